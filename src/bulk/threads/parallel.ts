import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CellTask } from "../cells.js";
import type { ChunkRunner } from "../run.js";
import { VeilError, type VeilIssue } from "../../errors.js";
import type { Bundle } from "../../model/bundle.js";

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

function startWorker(source: { url: URL; ts: boolean }): Worker {
  if (!source.ts) return new Worker(source.url);
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source.url.href)}); });`;
  return new Worker(boot, { eval: true });
}

/** What a worker answers for one job. */
type Reply = { id: number; result: unknown } | { id: number; issues: VeilIssue[] } | { id: number; error: string };

// Each bundle crosses to a worker once: it keeps the bundle, and so its engine and compiled
// plans, for later calls. Tokens name bundles across the thread boundary.
const tokens = new WeakMap<Bundle, number>();
let nextToken = 1;
/** Counts for tests and benchmarks: bundles sent to workers, jobs run there, workers started. */
const stats = { bundlesSent: 0, jobs: 0, workersStarted: 0 };
export function poolStats(): Readonly<typeof stats> {
  return { ...stats };
}
function tokenOf(b: Bundle): number {
  let t = tokens.get(b);
  if (t === undefined) tokens.set(b, (t = nextToken++));
  return t;
}

/** Bundles a worker keeps at most (two per diff, so two diffs or four matrices). */
const KEPT_BUNDLES = 4;

class PooledWorker {
  readonly worker: Worker;
  /** Tokens of the bundles this worker holds, oldest first. */
  readonly held: number[] = [];
  readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  dead = false;

  constructor(source: { url: URL; ts: boolean }, onExit: (w: PooledWorker) => void) {
    this.worker = startWorker(source);
    stats.workersStarted++;
    this.worker.unref();
    this.worker.on("message", (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if ("result" in m) p.resolve(m.result);
      else if ("issues" in m) p.reject(new VeilError(m.issues));
      else p.reject(new Error(m.error));
    });
    const die = (e: unknown) => {
      this.dead = true;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      onExit(this);
    };
    this.worker.on("error", die);
    this.worker.on("exit", (code) => die(new Error(`bulk worker exited with code ${code}`)));
  }

  /** Sends the bundles the job needs that this worker does not hold yet, then the job. */
  run(id: number, mode: "matrix" | "diff", task: CellTask): Promise<unknown> {
    const { bundles, progress: _p, ...plain } = task;
    const held = bundles.map(tokenOf);
    bundles.forEach((b, i) => {
      const t = held[i]!;
      if (this.held.includes(t)) {
        this.held.splice(this.held.indexOf(t), 1);
        this.held.push(t);
        return;
      }
      this.worker.postMessage({ type: "bundle", token: t, bundle: b });
      stats.bundlesSent++;
      this.held.push(t);
    });
    while (this.held.length > Math.max(KEPT_BUNDLES, bundles.length)) this.worker.postMessage({ type: "drop", token: this.held.shift() });
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      stats.jobs++;
      this.worker.postMessage({ type: "job", id, mode, tokens: held, task: plain });
    });
  }
}

/**
 * Worker threads kept for the life of the process and reused by every call: each holds
 * the bundles it was sent (and their compiled plans), so a second matrix or diff over the
 * same bundle compiles nothing again. Idle workers do not keep the process alive.
 */
class WorkerPool {
  readonly workers: PooledWorker[] = [];
  #jobs = 0;
  constructor(readonly source: { url: URL; ts: boolean }) {}

  /** At least `n` live workers. */
  grow(n: number): void {
    while (this.workers.length < n) this.workers.push(new PooledWorker(this.source, (w) => this.workers.splice(this.workers.indexOf(w), 1)));
  }

  /** Runs a job on the least busy of the first `n` workers. */
  run(n: number, mode: "matrix" | "diff", task: CellTask): Promise<unknown> {
    this.grow(n);
    let best = this.workers[0]!;
    for (const w of this.workers.slice(0, n)) if (w.pending.size < best.pending.size) best = w;
    return best.run(++this.#jobs, mode, task);
  }
}

let pool: WorkerPool | undefined;

/** Below this many (user, source, bundle) evaluations, the default is to stay in this thread [ours]. */
const MIN_CELLS_FOR_THREADS = 200_000;

/**
 * A runner that spreads the chunks across `workers` threads of the shared pool (default:
 * the machine's available parallelism, for work of at least `MIN_CELLS_FOR_THREADS`),
 * two chunks in flight per thread, results in chunk order. One thread, or no worker
 * script to start (an application that bundled Veil into one file), runs in this thread.
 */
export function threadRunner(workers: number | undefined): ChunkRunner {
  const asked = (cells: number) => workers ?? (cells >= MIN_CELLS_FOR_THREADS ? availableParallelism() : 1);
  const threads = (cells: number) => {
    const wanted = asked(cells);
    return wanted > 1 && workerSource() ? wanted : 1;
  };
  return {
    threads,
    note: (cells) =>
      asked(cells) > 1 && !workerSource()
        ? `no bulk worker script next to Veil's module (an application that bundled it into one file?): running on one thread instead of ${asked(cells)}`
        : undefined,
    run(mode, chunks, inline) {
      const cells = chunks.reduce((n, c) => n + c.users.length * c.dataSources.length * c.bundles.length, 0);
      const wanted = Math.min(threads(cells), chunks.length);
      const source = wanted > 1 ? workerSource() : undefined;
      if (!source)
        return (async function* () {
          for (const c of chunks) yield inline(c);
        })();
      pool ??= new WorkerPool(source);
      const shared = pool;
      // The calling thread is one of the `wanted` threads: it works through its share of each
      // window of chunks while `wanted - 1` workers do the rest, so no thread waits idle and
      // the machine's cores are not oversubscribed. A window is two chunks per thread.
      const workersUsed = wanted - 1;
      return (async function* () {
        const window = 2 * wanted;
        const pending: Promise<unknown>[] = [];
        try {
          for (let start = 0; start < chunks.length; start += window) {
            const end = Math.min(chunks.length, start + window);
            const results: (Promise<unknown> | { value: unknown })[] = [];
            // Workers first (they start at once), then this thread's chunks, inline.
            for (let i = start; i < end; i++) {
              if ((i - start) % wanted === 0) results.push({ value: undefined });
              else {
                const p = shared.run(workersUsed, mode, chunks[i]!);
                pending.push(p);
                results.push(p);
              }
            }
            for (let i = start; i < end; i++) if ((i - start) % wanted === 0) results[i - start] = { value: inline(chunks[i]!) };
            for (const r of results) yield ("value" in r ? r.value : await r) as ReturnType<typeof inline>;
            pending.length = 0;
          }
        } finally {
          // Stopped early (an error, or the consumer left): let the rest settle unobserved.
          for (const p of pending) p.catch(() => undefined);
        }
      })();
    },
  };
}
