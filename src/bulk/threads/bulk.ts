import { fail, type Result } from "../../errors.js";
import type { Bundle } from "../../model/bundle.js";
import { diffOn, diffStreamOn, type DiffResult, type DiffStream } from "../diff.js";
import { matrixOn, matrixStreamOn, type MatrixResult, type MatrixStream } from "../matrix.js";
import type { BulkOptions } from "../run.js";
import { threadRunner } from "./parallel.js";

/** Bulk options on Node: the core's, plus how many worker threads to use. */
export interface ThreadedBulkOptions extends BulkOptions {
  /** Worker threads; default: available parallelism. 1 runs in this thread. */
  readonly workers?: number;
}

function badWorkers(options: ThreadedBulkOptions | undefined): Result<never> | undefined {
  const w = options?.workers;
  if (w === undefined || (Number.isInteger(w) && w >= 1)) return undefined;
  return fail([{ code: "invalid_input", path: ["options", "workers"], message: `expected a whole number of worker threads ≥ 1, got \`${String(w)}\`` }]);
}

/** Every user × every source, the sources split across worker threads. */
export async function matrix(bundle: Bundle, options: ThreadedBulkOptions = {}): Promise<Result<MatrixResult>> {
  return badWorkers(options) ?? matrixOn(threadRunner(options?.workers), bundle, options);
}

/** Who gains or loses what between two bundles, the sources split across worker threads. */
export async function diff(before: Bundle, after: Bundle, options: ThreadedBulkOptions = {}): Promise<Result<DiffResult>> {
  return badWorkers(options) ?? diffOn(threadRunner(options?.workers), before, after, options);
}

/** `matrix`, streamed by data source (memory bounded by a chunk of sources), on worker threads. */
export async function matrixStream(bundle: Bundle, options: ThreadedBulkOptions = {}): Promise<Result<MatrixStream>> {
  return badWorkers(options) ?? matrixStreamOn(threadRunner(options?.workers), bundle, options);
}

/** `diff`, streamed change by change (memory bounded by a chunk of sources), on worker threads. */
export async function diffStream(before: Bundle, after: Bundle, options: ThreadedBulkOptions = {}): Promise<Result<DiffStream>> {
  return badWorkers(options) ?? diffStreamOn(threadRunner(options?.workers), before, after, options);
}
