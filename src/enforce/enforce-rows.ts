/**
 * `enforceRows`: rows in, the rows one user may see out, masked. Rows stream through one
 * at a time (an iterable or an async iterable), so a server can enforce a result larger
 * than memory — except under K-anonymization, a set-level mask: whether a row's
 * quasi-identifiers are shown depends on how many passing rows share them, so every
 * passing row is buffered until the input ends.
 */
import { createEngine, type Engine, type EvaluationRequest } from "../engine/engine.js";
import { fail, issue, ok, type Result } from "../errors.js";
import type { Bundle } from "../model/bundle.js";
import { DIALECTS } from "../sql/dialects/index.js";
import { resolveExpr, type ResolvedExpr } from "../sql/resolve.js";
import type { KeyProvider } from "./keys.js";
import { kAnonymize, maskValue, type MaskContext } from "./masks/index.js";
import { enforcementPlan, type EnforcementPlan } from "./plan.js";
import { coerceCell, predicateTruth, rowFilter, type CellReader } from "./row-filter.js";

/** A row: cells keyed by column name. */
export type Row = Readonly<Record<string, unknown>>;

export interface EnforceOptions {
  /** Salts and keys for hashing, reversible, FPE and minimization (e.g. `hkdfKeyProvider(secret)`); null: those are refused. */
  readonly keys: KeyProvider | null;
  /** Random bytes for reversible IVs; null: reversible masks are refused. */
  readonly randomBytes?: ((n: number) => Uint8Array) | null;
  /** The evaluation instant, when the request has none (ISO-8601). */
  readonly now?: string;
}

/** A bundle, or an engine over one (reuses its compiled plans). */
export type EnforceSource = Bundle | Engine;

function engineOf(source: EnforceSource): Engine {
  return typeof (source as Engine).decide === "function" ? (source as Engine) : createEngine(source as Bundle);
}

/** The enforcement plan for a request, from a bundle or an engine. */
export function planFor(source: EnforceSource, request: EvaluationRequest, keys: KeyProvider | null, now?: string): Result<EnforcementPlan> {
  const d = engineOf(source).decide(request.now === undefined && now !== undefined ? { ...request, now } : request);
  return d.ok ? enforcementPlan(d.value, keys) : d;
}

/** A sample cell of each type family, to find masks that cannot run (no key, no randomness) before any row is read. */
const PROBES = { string: "x", number: 1, boolean: true, time: "2000-01-01T00:00:00.000Z", other: "x" } as const;

/** A prepared per-row transformer over one plan. */
interface Enforcer {
  readonly passes: (get: CellReader) => boolean;
  /** The masked row (keys in dictionary order); `kMasked` says per QI column whether its k-anonymity mask applies to the row. */
  readonly mask: (get: CellReader, rowIndex: number) => { row: Record<string, unknown>; kMasked: boolean[] };
  readonly kAnonymity: EnforcementPlan["kAnonymity"];
}

function enforcer(plan: EnforcementPlan, options: EnforceOptions): Result<Enforcer> {
  const lex = DIALECTS[plan.dataSource.dialect].lex;
  const passes = rowFilter(plan, lex);
  if (!passes.ok) return passes;
  const names = plan.columns.map((c) => c.name);
  const ctxBase = { dataSourceId: plan.dataSource.id, keys: options.keys, randomBytes: options.randomBytes ?? null };
  const columns: { name: string; when: ResolvedExpr | null; ctx: Omit<MaskContext, "rowIndex">; c: (typeof plan.columns)[number] }[] = [];
  for (const [i, c] of plan.columns.entries()) {
    const ctx = { ...ctxBase, column: c.name, columnType: c.type };
    let when: ResolvedExpr | null = null;
    if (c.mask) {
      if (c.mask.spec.type !== "K-Anonymization") {
        const probe = maskValue(c.mask.spec, PROBES[c.type.family], { ...ctx, rowIndex: 0 });
        if (!probe.ok) return fail(probe.issues.map((x) => ({ ...x, path: ["columns", c.name, ...x.path] })));
      }
      if (c.mask.when) {
        const r = resolveExpr(c.mask.when, lex, names, `the conditional masking predicate on column \`${c.name}\``, ["columns", i, "when"]);
        if (!r.ok) return r;
        when = r.value;
      }
    }
    columns.push({ name: c.name, when, ctx, c });
  }
  const kIndex = new Set(plan.kAnonymity?.columns ?? []);
  return ok({
    passes: passes.value,
    kAnonymity: plan.kAnonymity,
    mask(get, rowIndex) {
      const row: Record<string, unknown> = {};
      const kMasked: boolean[] = [];
      for (const { name, when, ctx, c } of columns) {
        const clear = get(name);
        // A conditional mask clears only rows where its predicate is false (unknown masks: fail closed).
        const applies = c.mask !== null && (when === null || predicateTruth(when, get) !== false);
        if (kIndex.has(name)) {
          kMasked.push(applies);
          row[name] = clear;
        } else if (applies) {
          const m = maskValue(c.mask!.spec, clear, { ...ctx, rowIndex });
          // Probed above; a cell the mask still cannot take hides rather than shows.
          row[name] = m.ok ? m.value : null;
        } else row[name] = clear;
      }
      return { row, kMasked };
    },
  });
}

function readerOf(plan: EnforcementPlan, raw: Row): CellReader {
  const types = new Map(plan.columns.map((c) => [c.name, c.type]));
  return (column) => coerceCell(Object.hasOwn(raw, column) ? raw[column] : null, types.get(column)!);
}

/** K-anonymization over the buffered rows, honouring conditional k-anonymity masks. */
function finishKAnonymity(e: Enforcer, buffered: { row: Record<string, unknown>; kMasked: boolean[] }[]): Record<string, unknown>[] {
  const k = e.kAnonymity!;
  const anonymized = kAnonymize(
    buffered.map((b) => b.row),
    k.columns,
    k.k,
  );
  return anonymized.map((row, i) => {
    const b = buffered[i]!;
    const out = { ...row };
    k.columns.forEach((c, j) => {
      if (!b.kMasked[j]) out[c] = b.row[c];
    });
    return out;
  });
}

type Buffered = { row: Record<string, unknown>; kMasked: boolean[] };

/** One input row: filtered out (undefined), held back for k-anonymity (undefined, pushed to `buffered`), or its masked form. */
function enforceOne(e: Enforcer, plan: EnforcementPlan, raw: Row, i: number, buffered: Buffered[]): Record<string, unknown> | undefined {
  const get = readerOf(plan, raw);
  if (!e.passes(get)) return undefined;
  const m = e.mask(get, i);
  if (!e.kAnonymity) return m.row;
  buffered.push(m);
  return undefined;
}

function* syncRows(e: Enforcer, plan: EnforcementPlan, rows: Iterable<Row>): Generator<Record<string, unknown>> {
  const buffered: Buffered[] = [];
  let index = 0;
  for (const raw of rows) {
    const out = enforceOne(e, plan, raw, index++, buffered);
    if (out) yield out;
  }
  if (e.kAnonymity) yield* finishKAnonymity(e, buffered);
}

async function* asyncRows(e: Enforcer, plan: EnforcementPlan, rows: AsyncIterable<Row>): AsyncGenerator<Record<string, unknown>> {
  const buffered: Buffered[] = [];
  let index = 0;
  for await (const raw of rows) {
    const out = enforceOne(e, plan, raw, index++, buffered);
    if (out) yield out;
  }
  if (e.kAnonymity) yield* finishKAnonymity(e, buffered);
}

/**
 * The rows `request`'s user may see, masked, with every column of the source in
 * dictionary order (cells the input lacks are NULL; keys the source lacks are dropped).
 * Everything that can be refused is refused here, before a row is read: an unknown user
 * or source, a time policy without `now`, a mask or minimization that needs a key or
 * randomness the options lack, a custom WHERE or conditional predicate that needs a SQL
 * engine. A row that is not an object is treated as a row of NULLs.
 */
export function enforceRows(
  source: EnforceSource,
  request: EvaluationRequest,
  rows: Iterable<Row>,
  options: EnforceOptions,
): Result<Iterable<Record<string, unknown>>>;
export function enforceRows(
  source: EnforceSource,
  request: EvaluationRequest,
  rows: AsyncIterable<Row>,
  options: EnforceOptions,
): Result<AsyncIterable<Record<string, unknown>>>;
export function enforceRows(
  source: EnforceSource,
  request: EvaluationRequest,
  rows: Iterable<Row> | AsyncIterable<Row>,
  options: EnforceOptions,
): Result<Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>> {
  const plan = planFor(source, request, options.keys, options.now);
  if (!plan.ok) return plan;
  const e = enforcer(plan.value, options);
  if (!e.ok) return e;
  const safe = (raw: unknown): Row => (raw !== null && typeof raw === "object" ? (raw as Row) : {});
  if (rows !== null && typeof rows === "object" && Symbol.asyncIterator in rows) {
    const source = rows as AsyncIterable<unknown>;
    return ok(
      asyncRows(e.value, plan.value, {
        async *[Symbol.asyncIterator]() {
          for await (const r of source) yield safe(r);
        },
      }),
    );
  }
  if (rows === null || typeof rows !== "object" || !(Symbol.iterator in rows)) {
    return fail([issue("invalid_input", ["rows"], "expected an iterable or an async iterable of row objects")]);
  }
  const list = rows as Iterable<unknown>;
  return ok(
    syncRows(e.value, plan.value, {
      *[Symbol.iterator]() {
        for (const r of list) yield safe(r);
      },
    }),
  );
}
