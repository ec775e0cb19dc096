import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CellTask } from "../cells.js";

/**
 * Starts the worker script next to this module: `worker.js` once built (also
 * `bulk/worker.js` from the bundled entry), or `worker.ts` from source, loaded
 * through tsx's API (tests and benchmarks run from source).
 */
function startWorker(workerData: unknown): Worker {
  for (const rel of ["./worker.js", "./bulk/worker.js", "./worker.ts"]) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    if (!rel.endsWith(".ts")) return new Worker(url, { workerData });
    const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
  throw new Error("bulk worker script not found next to the Veil module");
}

/** Runs one share per worker thread and returns their results in share order. */
export function runInWorkers<R>(mode: "matrix" | "diff", tasks: readonly CellTask[]): Promise<R[]> {
  return Promise.all(
    tasks.map(
      (task) =>
        new Promise<R>((resolve, reject) => {
          const w = startWorker({ mode, task });
          w.once("message", (m: R) => {
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
