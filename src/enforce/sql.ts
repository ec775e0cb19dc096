/**
 * `renderSql`: one user's enforcement as a single statement an engine runs — every column
 * of the source in dictionary order (masked ones replaced by their mask expression), the
 * row filters in WHERE, and K-anonymization as a window over the rows that pass (a window
 * is computed after WHERE, so it counts only those). The same plan drives `enforceRows`.
 */
import type { EvaluationRequest } from "../engine/engine.js";
import { fail, issue, ok, type Result } from "../errors.js";
import { and, literal, type SqlExpr } from "../sql/ast.js";
import { DIALECT_IDS, type Dialect, type DialectId } from "../sql/dialect.js";
import { DIALECTS } from "../sql/dialects/index.js";
import { resolveExpr } from "../sql/resolve.js";
import { renderExpr } from "../sql/render.js";
import type { KeyProvider } from "./keys.js";
import { kAnonymizeSql, maskSql } from "./masks/index.js";
import { planFor, type EnforceSource } from "./enforce-rows.js";
import type { EnforcementPlan } from "./plan.js";
import { castToText, sampleBucketSql, timestampLiteral } from "./sql-forms.js";

export interface RenderSqlOptions {
  /** The engine to write for; default: the data source's own (`blobHandlerType`). */
  readonly dialect?: DialectId;
  /** Also give `CREATE VIEW <view> AS <select>` (the name is one identifier, quoted). */
  readonly view?: string;
  /** UDF names (dotted identifiers the caller created) for masks no engine has built in; without one those masks are refused. */
  readonly udfs?: { readonly reversible?: string; readonly fpe?: string };
  /** Salts and keys for hashing, FPE and minimization; null: those are refused. */
  readonly keys: KeyProvider | null;
  /** The evaluation instant, when the request has none (ISO-8601). */
  readonly now?: string;
}

export interface RenderedSql {
  readonly dialect: DialectId;
  /** `SELECT … FROM … WHERE …`. */
  readonly select: string;
  /** `CREATE VIEW … AS SELECT …`, when `view` was given. */
  readonly createView: string | null;
}

/**
 * Values the engine cannot store (PostgreSQL text cannot hold NUL; its `quoteString` writes
 * NULL for them) equal no stored value. In an IN list such a value is dropped rather than
 * written as NULL, which would turn a false test unknown and change its meaning under NOT;
 * a list left empty keeps IN's three values: `v IS NULL AND NULL` is unknown for NULL v,
 * false otherwise — exactly what memory computes.
 */
function storableOnly(e: SqlExpr, d: Dialect): SqlExpr {
  const unstorable = (v: SqlExpr) => v.kind === "literal" && typeof v.value === "string" && d.quoteString(v.value) === "NULL";
  switch (e.kind) {
    case "in": {
      const expr = storableOnly(e.expr, d);
      const values = e.values.filter((v) => !unstorable(v)).map((v) => storableOnly(v, d));
      if (values.length === e.values.length) return { ...e, expr, values };
      return values.length > 0 ? { ...e, expr, values } : and([{ kind: "isNull", item: expr, negated: false }, literal(null)]);
    }
    case "compare":
      return { ...e, left: storableOnly(e.left, d), right: storableOnly(e.right, d) };
    case "and":
    case "or":
      return { ...e, items: e.items.map((i) => storableOnly(i, d)) };
    case "not":
      return { ...e, item: storableOnly(e.item, d) };
    case "isNull":
      return { ...e, item: storableOnly(e.item, d) };
    case "author":
      return { ...e, parts: e.parts.map((p) => (typeof p === "string" ? p : storableOnly(p, d))) };
    default:
      return e;
  }
}

/**
 * A predicate for the target engine. Author SQL was lexed for the source's engine and is
 * copied as is there; for another engine it is read into a tree (the subset `sql/eval.ts`
 * reads) and written out with that engine's quoting, or refused.
 */
function predicateSql(p: SqlExpr, plan: EnforcementPlan, d: Dialect, label: string): Result<string> {
  if (d.id === plan.dataSource.dialect) return ok(renderExpr(storableOnly(p, d), d));
  const src = DIALECTS[plan.dataSource.dialect];
  const resolved = resolveExpr(
    p,
    src.lex,
    plan.columns.map((c) => c.name),
    `${label} (written for ${src.name}, rendered for ${d.name})`,
  );
  return resolved.ok ? ok(renderExpr(storableOnly(resolved.value, d), d)) : resolved;
}

/** The WHERE clause's conditions (AND-ed), or `FALSE`. */
function whereSql(plan: EnforcementPlan, d: Dialect): Result<string> {
  const r = plan.rows;
  if (r.noRows !== null) return ok("FALSE");
  const type = (name: string) => plan.columns.find((c) => c.name === name)!.type;
  const text = (name: string) => (type(name).family === "string" ? d.quoteIdent(name) : castToText(d.quoteIdent(name), d));
  const parts: string[] = [];
  for (const t of r.visibility ?? []) {
    // Values the engine cannot store match no row: left out (none left: FALSE).
    const tests = t.matches.map((m) => {
      const values = m.values.map((v) => d.quoteString(v)).filter((v) => v !== "NULL");
      return values.length === 0 ? "FALSE" : `${text(m.column)} IN (${values.join(", ")})`;
    });
    parts.push(tests.length === 1 ? tests[0]! : `(${tests.join(t.all ? " AND " : " OR ")})`);
  }
  for (const [i, p] of r.predicates.entries()) {
    const s = predicateSql(p, plan, d, `custom WHERE predicate ${i + 1} of data source \`${plan.dataSource.name}\``);
    if (!s.ok) return s;
    parts.push(`(${s.value})`);
  }
  if (r.time) parts.push(`${d.quoteIdent(r.time.column)} ${r.time.direction === "newer" ? ">=" : "<"} ${timestampLiteral(r.time.startIso, d)}`);
  if (r.minimization) parts.push(`${sampleBucketSql(text(r.minimization.column), r.minimization.saltHex, d)} < ${r.minimization.percent}`);
  return ok(parts.length === 0 ? "TRUE" : parts.join(" AND "));
}

/** The select list: each column clear, masked, or masked where its condition is not false. */
function selectList(plan: EnforcementPlan, d: Dialect, options: RenderSqlOptions): Result<string[]> {
  const out: string[] = [];
  const k = plan.kAnonymity;
  for (const c of plan.columns) {
    const col = d.quoteIdent(c.name);
    if (!c.mask) {
      out.push(col);
      continue;
    }
    let masked: string;
    if (c.mask.spec.type === "K-Anonymization") {
      masked = kAnonymizeSql(
        col,
        k!.columns.map((q) => d.quoteIdent(q)),
        k!.k,
        d.id,
      );
    } else {
      const m = maskSql(c.mask.spec, col, {
        dialect: d.id,
        dataSourceId: plan.dataSource.id,
        column: c.name,
        columnType: c.type,
        keys: options.keys,
        udfs: options.udfs ?? {},
      });
      if (!m.ok) return fail(m.issues.map((x) => ({ ...x, path: ["columns", c.name, ...x.path] })));
      masked = m.value;
    }
    if (c.mask.when) {
      const w = predicateSql(c.mask.when, plan, d, `the conditional masking predicate on column \`${c.name}\``);
      if (!w.ok) return w;
      // NOT(NULL) is NULL, so an unknown condition keeps the mask [fail closed].
      masked = `CASE WHEN NOT (${w.value}) THEN ${col} ELSE ${masked} END`;
    }
    out.push(`${masked} AS ${col}`);
  }
  return ok(out);
}

/**
 * The statement that enforces `request`'s decisions on the source's table, for one engine:
 * `select`, and `createView` when `options.view` names a view. Refused (issues, no SQL):
 * an unknown dialect, masks the engine cannot compute (reversible or FPE without a UDF
 * name, anything that needs a key without `keys`), author SQL that cannot be carried to
 * another engine.
 */
export function renderSql(source: EnforceSource, request: EvaluationRequest, options: RenderSqlOptions): Result<RenderedSql> {
  if (options.dialect !== undefined && !(DIALECT_IDS as readonly string[]).includes(options.dialect)) {
    return fail([issue("invalid_input", ["dialect"], `unknown dialect \`${String(options.dialect)}\`; accepted: ${DIALECT_IDS.join(", ")}`)]);
  }
  if (options.view !== undefined && (typeof options.view !== "string" || options.view === "")) {
    return fail([issue("invalid_input", ["view"], "the view name must be a non-empty string")]);
  }
  const plan = planFor(source, request, options.keys, options.now);
  if (!plan.ok) return plan;
  const d = DIALECTS[options.dialect ?? plan.value.dataSource.dialect];
  const list = selectList(plan.value, d, options);
  if (!list.ok) return list;
  const where = whereSql(plan.value, d);
  if (!where.ok) return where;
  const ds = plan.value.dataSource;
  const select = `SELECT ${list.value.join(", ")} FROM ${d.quoteIdent(ds.schema)}.${d.quoteIdent(ds.table)} WHERE ${where.value}`;
  return ok({ dialect: d.id, select, createView: options.view === undefined ? null : `CREATE VIEW ${d.quoteIdent(options.view)} AS ${select}` });
}
