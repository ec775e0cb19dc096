import type { Bundle } from "../../model/bundle.js";
import { diffOn, matrixOn, type BulkOptions, type DiffResult, type MatrixResult } from "../matrix.js";
import { threadRunner } from "./parallel.js";

/** Bulk options on Node: the core's, plus how many worker threads to use. */
export interface ThreadedBulkOptions extends BulkOptions {
  /** Worker threads; default: available parallelism. 1 runs in this thread. */
  readonly workers?: number;
}

/** Every user × every source, the sources split across worker threads. */
export function matrix(bundle: Bundle, options: ThreadedBulkOptions = {}): Promise<MatrixResult> {
  return matrixOn(threadRunner(options.workers), bundle, options);
}

/** Who gains or loses what between two bundles, the sources split across worker threads. */
export function diff(before: Bundle, after: Bundle, options: ThreadedBulkOptions = {}): Promise<DiffResult> {
  return diffOn(threadRunner(options.workers), before, after, options);
}
