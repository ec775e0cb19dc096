/**
 * The row filters of an enforcement plan as one in-memory test per row. Each part follows
 * the SQL `renderSql` writes for it, so a row passes here exactly when the engine keeps it.
 */
import { ok, type Result } from "../errors.js";
import { parseInstant } from "../lang/instant.js";
import type { ColumnType } from "../model/data-type.js";
import type { LexRules } from "../sql/dialect.js";
import { evalExpr, SqlTypeError, type SqlValue } from "../sql/eval.js";
import { resolveExpr, type ResolvedExpr } from "../sql/resolve.js";
import type { EnforcementPlan } from "./plan.js";
import { sampleBucket } from "./sample.js";

/** Reads one (coerced) cell of the current row. */
export type CellReader = (column: string) => SqlValue;

/** A cell as the engine's cast to text gives it (what visibilities and minimization compare), or null. */
export function textOf(v: SqlValue): string | null {
  if (v === null) return null;
  return typeof v === "string" ? v : String(v);
}

/** Epoch milliseconds of an event time (an ISO-8601 instant with an offset), or null: the row is hidden. */
function instantOf(v: SqlValue): number | null {
  if (typeof v !== "string") return null;
  const r = parseInstant(v);
  return r.ok ? r.value : null;
}

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * A raw cell as evaluation sees it, by the column's family: numeric text becomes a
 * number on number columns, `true`/`false` a boolean on boolean columns, a `Date` its
 * ISO instant, a bigint a number; anything else that is not a primitive becomes its JSON.
 */
export function coerceCell(v: unknown, type: ColumnType): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === "string") {
    if (type.family === "number" && NUMERIC_TEXT.test(v)) return Number(v);
    if (type.family === "boolean" && (v === "true" || v === "false")) return v === "true";
    return v;
  }
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v;
  return JSON.stringify(v);
}

/** A resolved predicate's truth for a row: a type error (the engine would raise one) counts as unknown. */
export function predicateTruth(e: ResolvedExpr, get: CellReader): boolean | null {
  try {
    const v = evalExpr(e, get);
    return v === null ? null : v === true;
  } catch (err) {
    if (err instanceof SqlTypeError) return null;
    throw err;
  }
}

/**
 * The plan's row test, or why a custom WHERE predicate cannot be evaluated without an
 * engine. No rows at all is a test that always fails.
 */
export function rowFilter(plan: EnforcementPlan, lex: LexRules): Result<(get: CellReader) => boolean> {
  const r = plan.rows;
  if (r.noRows !== null) return ok(() => false);
  const names = plan.columns.map((c) => c.name);
  const predicates: ResolvedExpr[] = [];
  for (const [i, p] of r.predicates.entries()) {
    const resolved = resolveExpr(p, lex, names, `custom WHERE predicate ${i + 1} of data source \`${plan.dataSource.name}\``, ["rows", "predicates", i]);
    if (!resolved.ok) return resolved;
    predicates.push(resolved.value);
  }
  const visibility = r.visibility?.map((t) => ({ all: t.all, matches: t.matches.map((m) => ({ column: m.column, values: new Set(m.values) })) })) ?? null;
  const { time, minimization } = r;
  return ok((get) => {
    if (visibility) {
      for (const t of visibility) {
        let hits = 0;
        for (const m of t.matches) {
          const v = textOf(get(m.column));
          if (v !== null && m.values.has(v)) hits++;
        }
        if (t.all ? hits !== t.matches.length : hits === 0) return false;
      }
    }
    for (const p of predicates) if (predicateTruth(p, get) !== true) return false;
    if (time) {
      const at = instantOf(get(time.column));
      if (at === null) return false;
      if (time.direction === "newer" ? at < time.startMs : at >= time.startMs) return false;
    }
    if (minimization) {
      const bucket = sampleBucket(minimization.saltHex, textOf(get(minimization.column)));
      if (bucket === null || bucket >= minimization.percent) return false;
    }
    return true;
  });
}
