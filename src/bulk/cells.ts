import { createEngine, type Engine } from "../engine/engine.js";
import type { Bundle } from "../model/bundle.js";
import { planFingerprint } from "./fingerprint.js";
import { maskedCount, planKernel, rowCode } from "./kernel.js";
import { summarize, type CellSummary } from "./cell.js";
import { unwrap, type Result } from "../errors.js";

/** One unit of bulk work: some sources × some representative users, on one or two bundles. */
export interface CellTask {
  readonly bundles: readonly Bundle[];
  /** Data source ids to evaluate (a share of the catalog). */
  readonly dataSources: readonly number[];
  /** Representative profile ids, one per signature group. */
  readonly users: readonly number[];
  readonly now?: string;
}

/** For matrix: masked-column counts and row access per (user, source), users major. */
export interface MatrixCells {
  readonly masked: Int32Array;
  /** 0 all rows, 1 filtered, 2 none. */
  readonly rows: Uint8Array;
}

/** What changed for one (user, source): only the fields that differ. */
export interface CellChange {
  readonly user: number;
  readonly dataSource: number;
  /** Column → [actionType before, after]; null where the column is in clear. */
  readonly masked?: Readonly<Record<string, readonly [string | null, string | null]>>;
  readonly rows?: readonly [CellSummary["rows"], CellSummary["rows"]];
  readonly visibilities?: readonly [number | null, number | null];
  readonly filters?: readonly [string, string];
  readonly denied?: readonly [string | null, string | null];
}

/** A diff share's findings: counts weighted by how many users each representative stands for. */
export interface DiffCells {
  readonly changes: CellChange[];
  readonly changedCells: number;
  /** Change kind → cells: `masked`, `unmasked`, `maskChanged`, `rows`, `visibilities`, `filters`, `denied`. */
  readonly kinds: Record<string, number>;
  readonly sources: number[];
}

/** The delta between two summaries, or null when equal. */
export function cellDelta(user: number, dataSource: number, a: CellSummary, b: CellSummary): CellChange | null {
  const masked: Record<string, [string | null, string | null]> = {};
  for (const col of new Set([...Object.keys(a.masked), ...Object.keys(b.masked)])) {
    const x = a.masked[col] ?? null;
    const y = b.masked[col] ?? null;
    if (x !== y) masked[col] = [x, y];
  }
  const change: { -readonly [K in keyof CellChange]: CellChange[K] } = { user, dataSource };
  if (Object.keys(masked).length > 0) change.masked = masked;
  if (a.rows !== b.rows) change.rows = [a.rows, b.rows];
  if (a.visibilities !== b.visibilities) change.visibilities = [a.visibilities, b.visibilities];
  if (a.filters !== b.filters) change.filters = [a.filters, b.filters];
  if (a.denied !== b.denied) change.denied = [a.denied, b.denied];
  return Object.keys(change).length > 2 ? change : null;
}

function summaryOf(engine: Engine, dataSource: number, user: number, now: string | undefined): CellSummary {
  return summarize(must(engine.decide({ dataSource, user, ...(now !== undefined ? { now } : {}) })));
}

/**
 * Evaluates a matrix share on the lean path: plans and prepared users are looked up
 * once, and a cell is the count of masked columns plus a row-access code, with no
 * per-cell report objects. Agrees with `summarize` (tested).
 */
export function matrixCells(task: CellTask): MatrixCells {
  const engine = createEngine(task.bundles[0]!);
  const set = engine.policySet;
  const width = task.dataSources.length;
  const masked = new Int32Array(task.users.length * width);
  const rows = new Uint8Array(masked.length);
  const users = task.users.map((id) => must(engine.prepare(id)));
  const kernels = task.dataSources.map((id) => planKernel(must(engine.planFor(id))));
  const applied = new Uint8Array(Math.max(1, ...kernels.map((k) => k.checks.length)));
  // Tiles of sources × users keep both the plans and the users' memo tables in cache.
  const TILE = 64;
  for (let j0 = 0; j0 < width; j0 += TILE)
    for (let i = 0; i < users.length; i++) {
      const u = users[i]!;
      for (let j = j0; j < Math.min(width, j0 + TILE); j++) {
        const k = kernels[j]!;
        masked[i * width + j] = maskedCount(set, k, u);
        rows[i * width + j] = rowCode(set, k, u, applied);
      }
    }
  return { masked, rows };
}

/** The value of a lookup that bulk work cannot do without; its issues travel in a `VeilError` up to `matrix`/`diff`, which return them. */
export function must<T>(r: Result<T>): T {
  return unwrap(r);
}

/**
 * Evaluates a diff share. A source whose plan did not change (same fingerprint)
 * cannot change any decision and is skipped — the common case when simulating one
 * policy edit over a catalog. `weights[i]` is how many users representative i stands
 * for; with `keep: false` only counts are returned (catalog-sized diffs).
 */
export function diffCells(task: CellTask & { readonly weights: readonly number[]; readonly keep: boolean }): DiffCells {
  const [before, after] = task.bundles.map((b) => createEngine(b));
  const result: { -readonly [K in keyof DiffCells]: DiffCells[K] } = { changes: [], changedCells: 0, kinds: {}, sources: [] };
  const count = (kind: string, w: number) => (result.kinds[kind] = (result.kinds[kind] ?? 0) + w);
  for (const ds of task.dataSources) {
    if (planFingerprint(must(before!.planFor(ds))) === planFingerprint(must(after!.planFor(ds)))) continue;
    let touched = false;
    task.users.forEach((user, i) => {
      const d = cellDelta(user, ds, summaryOf(before!, ds, user, task.now), summaryOf(after!, ds, user, task.now));
      if (!d) return;
      const w = task.weights[i]!;
      touched = true;
      result.changedCells += w;
      for (const [x, y] of Object.values(d.masked ?? {})) count(x === null ? "masked" : y === null ? "unmasked" : "maskChanged", w);
      for (const k of ["rows", "visibilities", "filters", "denied"] as const) if (d[k]) count(k, w);
      if (task.keep) result.changes.push(d);
    });
    if (touched) result.sources.push(ds);
  }
  return result;
}
