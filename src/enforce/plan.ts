/**
 * The enforcement plan: what one user's decisions mean for the rows and cells of one data
 * source, in one place that both forms read — `enforceRows` (in memory) and `renderSql`
 * (one SELECT per engine) — so the two cannot drift apart (law 6).
 */
import { bindConditionalMask } from "../compile/rows.js";
import { fail, issue, ok, type Result } from "../errors.js";
import { expandWhere } from "../evaluate/where.js";
import type { Decisions } from "../engine/engine.js";
import { windowStart } from "../lang/instant.js";
import type { ColumnType } from "../model/data-type.js";
import type { MaskSpec } from "../model/policy.js";
import type { SqlExpr } from "../sql/ast.js";
import type { DialectId } from "../sql/dialect.js";
import { DEFAULT_K_GROUP_SIZE } from "./masks/index.js";
import { sampleSaltHex, type SamplingKeys } from "./sample.js";

/** A column's mask for this user; `when` (a conditional mask) limits it to the rows where the predicate is not false. */
export interface PlannedMask {
  readonly spec: MaskSpec;
  /** The expanded conditional predicate, or null: the mask applies to every row (also when the predicate cannot be read: fail closed). */
  readonly when: SqlExpr | null;
}

/** Every column of the source, in dictionary order. */
export interface PlannedColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly mask: PlannedMask | null;
}

/** One applying entitlement rule: the row's value in each column must be one of the user's values (all, or any). */
export interface VisibilityTest {
  readonly all: boolean;
  readonly matches: readonly { readonly column: string; readonly type: ColumnType; readonly values: readonly string[] }[];
}

/** Row filters, AND-ed. */
export interface RowFilterPlan {
  /** Set when no row may be shown (never, a purpose denial, a fail-closed problem), with the reason. */
  readonly noRows: string | null;
  /** Applying entitlement rules (every one must pass), or null when none applies. */
  readonly visibility: readonly VisibilityTest[] | null;
  /** Expanded custom WHERE predicates, AND-ed, in the source's dialect. */
  readonly predicates: readonly SqlExpr[];
  /** Rows newer (`>= start`) or older (`< start`) than the window start; NULL event time hides the row. */
  readonly time: { readonly column: string; readonly direction: "newer" | "older"; readonly startIso: string; readonly startMs: number } | null;
  /** Keep a row when its bucket (see `sample.ts`) is below `percent`; NULL drops the row. */
  readonly minimization: { readonly column: string; readonly type: ColumnType; readonly percent: number; readonly saltHex: string } | null;
}

export interface EnforcementPlan {
  readonly dataSource: {
    readonly id: number;
    readonly name: string;
    readonly schema: string;
    readonly table: string;
    readonly dialect: DialectId;
  };
  readonly columns: readonly PlannedColumn[];
  readonly rows: RowFilterPlan;
  /** K-anonymization: quasi-identifier columns (those whose mask is K-Anonymization) and the largest `groupSize`. */
  readonly kAnonymity: { readonly columns: readonly string[]; readonly k: number } | null;
}

const snake = (s: string) =>
  s
    .trim()
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();

/** The user's values one entitlement match compares with (exact, case-sensitive), sorted for stable SQL. */
function matchValues(d: Decisions, m: { type: "group" | "attribute" | "purpose"; attribute: string | null }): string[] {
  const s = d.user.subject;
  const set = m.type === "group" ? s.groups : m.type === "purpose" ? s.purposes : (s.attributes.get(m.attribute ?? "") ?? new Set<string>());
  return [...set].sort();
}

/** The largest `groupSize` of the K-Anonymization masks, or the default when none gives one. */
function kGroupSize(sizes: readonly unknown[]): number {
  const given = sizes.filter((s): s is number => typeof s === "number");
  return given.length === 0 ? DEFAULT_K_GROUP_SIZE : Math.max(...given);
}

/**
 * The plan for one user. `keys` supplies the sampling salt when a minimization applies;
 * without it the plan is refused (keyed sampling needs a secret).
 */
export function enforcementPlan(d: Decisions, keys: SamplingKeys | null): Result<EnforcementPlan> {
  const ds = d.plan.dataSource;
  const typeOf = (name: string): ColumnType => ds.columnTypes[ds.columns.findIndex((c) => c.name === name)]!;
  const masks = new Map(d.masks.map((m) => [m.columnIndex, m]));
  const columns: PlannedColumn[] = ds.columns.map((c, i) => {
    const applied = masks.get(i)?.applied ?? null;
    if (!applied) return { name: c.name, type: ds.columnTypes[i]!, mask: null };
    const bound = bindConditionalMask(applied.rule, ds);
    // A predicate that cannot be bound here leaves the mask on every row [fail closed].
    const when = bound?.status === "bound" ? expandWhere(bound.parts, d.user) : null;
    return { name: c.name, type: ds.columnTypes[i]!, mask: { spec: applied.mask, when } };
  });

  const r = d.rows;
  const noRows = r.denied ?? (r.problems.length > 0 ? r.problems.join("; ") : r.never ? "a never rule applies" : null);
  const visibility = r.visibility
    ? r.visibility.rules.map((rule) => {
        const matches = (rule.rule as Extract<typeof rule.rule, { rowKind: "entitlements" }>).matches;
        return {
          all: (rule.rule as { operator?: string }).operator === "all",
          matches: matches.map((m, i) => ({ column: rule.matchColumns[i]!, type: typeOf(rule.matchColumns[i]!), values: matchValues(d, m) })),
        };
      })
    : null;

  let time: RowFilterPlan["time"] = null;
  if (r.time && noRows === null) {
    if (d.nowMs === null) return fail([issue("invalid_input", ["now"], `a time policy applies to data source \`${ds.name}\`: pass \`now\` (ISO-8601)`)]);
    const start = windowStart(d.nowMs, r.time.seconds);
    if (!start.ok) return start;
    time = { column: r.time.column, direction: r.time.direction, startIso: start.value, startMs: d.nowMs - r.time.seconds * 1000 };
  }

  let minimization: RowFilterPlan["minimization"] = null;
  if (r.minimization && noRows === null) {
    if (keys === null) {
      return fail([
        issue(
          "invalid_input",
          ["keys"],
          `a minimization policy applies to data source \`${ds.name}\`: keyed sampling needs a key provider: set VEIL_SECRET (or pass \`keys\`, e.g. hkdfKeyProvider(secret))`,
        ),
      ]);
    }
    const column = r.minimization.hashPhrase;
    minimization = { column, type: typeOf(column), percent: r.minimization.percent, saltHex: sampleSaltHex(keys, ds.id, column) };
  }

  const kColumns = columns.filter((c) => c.mask?.spec.type === "K-Anonymization");
  const kAnonymity =
    kColumns.length === 0 ? null : { columns: kColumns.map((c) => c.name), k: kGroupSize(kColumns.map((c) => c.mask!.spec.metadata["groupSize"])) };

  return ok({
    dataSource: { id: ds.id, name: ds.name, schema: ds.sqlSchemaName ?? "public", table: ds.sqlTableName ?? snake(ds.name), dialect: ds.dialect },
    columns,
    rows: { noRows, visibility, predicates: noRows === null ? r.predicates : [], time, minimization },
    kAnonymity,
  });
}
