import { createEngine, type Engine } from "../engine.js";
import type { Bundle } from "../model/bundle.js";
import { maskedCount, planKernel, rowCode } from "./kernel.js";
import { summarize, type CellSummary } from "./cell.js";

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

/** A difference between two bundles for one (user, source). */
export interface CellChange {
  readonly user: number;
  readonly dataSource: number;
  readonly before: CellSummary;
  readonly after: CellSummary;
}

function summaryOf(engine: Engine, dataSource: number, user: number, now: string | undefined): CellSummary {
  const d = engine.decide({ dataSource, user, ...(now !== undefined ? { now } : {}) });
  if (!d.ok) throw new Error(d.issues.map((i) => i.message).join("; "));
  return summarize(d.value);
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

function must<T>(r: { ok: true; value: T } | { ok: false; issues: readonly { message: string }[] }): T {
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("; "));
  return r.value;
}

/** Evaluates a diff share: only the cells whose summaries differ. */
export function diffCells(task: CellTask): CellChange[] {
  const [before, after] = task.bundles.map((b) => createEngine(b));
  const out: CellChange[] = [];
  for (const ds of task.dataSources)
    for (const user of task.users) {
      const a = summaryOf(before!, ds, user, task.now);
      const b = summaryOf(after!, ds, user, task.now);
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ user, dataSource: ds, before: a, after: b });
    }
  return out;
}
