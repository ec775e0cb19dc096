/**
 * Veil on Node.js (`veil-policy/node`): everything in the core, plus reading bundles
 * from files and folders, and `matrix` / `diff` split across worker threads.
 */
export * from "./index.js";
export { loadBundleFile } from "./io/load.js";
// These two shadow the core's single-threaded `matrix` and `diff`.
export { matrix, diff, matrixStream, diffStream } from "./bulk/threads/bulk.js";
export type { ThreadedBulkOptions } from "./bulk/threads/bulk.js";
