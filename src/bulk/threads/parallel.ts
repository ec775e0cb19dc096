import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CellTask } from "../cells.js";
import type { ShareRunner } from "../matrix.js";

/**
 * Finds the worker script next to this module: `bulk/worker.js` beside the built
 * `node` entry, `worker.js` beside this file, or `worker.ts` from source (loaded
 * through tsx's API: tests and benchmarks run from source). Undefined when none is
 * there, as when an application bundles Veil into one file.
 */
function workerSource(): { url: URL; ts: boolean } | undefined {
  for (const rel of ["./bulk/worker.js", "./worker.js", "./worker.ts"]) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === "file:" && existsSync(fileURLToPath(url))) return { url, ts: rel.endsWith(".ts") };
  }
  return undefined;
}

function startWorker(source: { url: URL; ts: boolean }, workerData: unknown): Worker {
  if (!source.ts) return new Worker(source.url, { workerData });
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source.url.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Runs one share per worker thread and returns their results in share order. */
function runInWorkers<R>(
  source: { url: URL; ts: boolean },
  mode: "matrix" | "diff",
  tasks: readonly CellTask[],
  finished: (t: CellTask) => void,
): Promise<R[]> {
  return Promise.all(
    tasks.map(
      (task) =>
        new Promise<R>((resolve, reject) => {
          const w = startWorker(source, { mode, task });
          w.once("message", (m: R) => {
            finished(task);
            resolve(m);
            void w.terminate();
          });
          w.once("error", reject);
          w.once("exit", (code) => code !== 0 && code !== 1 && reject(new Error(`bulk worker exited with code ${code}`)));
        }),
    ),
  );
}

/** Splits `items` into `n` contiguous shares of near-equal size. */
export function shares<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  const size = Math.ceil(items.length / n);
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Below this many (user, source, bundle) evaluations, the default is to stay in this thread [ours]. */
const MIN_CELLS_FOR_THREADS = 200_000;

/**
 * A runner that splits the data sources across `workers` threads (default: the
 * machine's available parallelism, for work of at least `MIN_CELLS_FOR_THREADS`). One share, or no worker script to start (a
 * bundled application), runs in this thread.
 */
export function threadRunner(workers: number | undefined): ShareRunner {
  return async (mode, task, inline) => {
    // By default threads start only when the work pays for their start-up (each compiles the bundle anew).
    const cells = task.users.length * task.dataSources.length * task.bundles.length;
    const wanted = workers ?? (cells >= MIN_CELLS_FOR_THREADS ? availableParallelism() : 1);
    const parts = shares(task.dataSources, Math.max(1, Math.min(wanted, task.dataSources.length)));
    const source = parts.length > 1 ? workerSource() : undefined;
    if (!source) return [inline(task)];
    // Functions do not cross to a worker: progress is reported here, a share at a time.
    const { progress, ...plain } = task;
    let done = 0;
    return runInWorkers(
      source,
      mode,
      parts.map((dataSources) => ({ ...plain, dataSources })),
      (share) => progress?.((done += share.dataSources.length)),
    );
  };
}
