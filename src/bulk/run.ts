/**
 * What matrix and diff share: their options, the guard that turns every failure into
 * issues, grouping users by signature, and running chunks of sources (in this thread, or
 * on worker threads through a `ChunkRunner`).
 */
import { isBundle } from "../engine/engine.js";
import { engineOf } from "./engines.js";
import { fail, ok, VeilError, type Result } from "../errors.js";
import { parseInstant } from "../lang/instant.js";
import { fromZod } from "../model/zod-issues.js";
import { z } from "zod";
import type { Engine } from "../engine/engine.js";
import type { Bundle } from "../model/bundle.js";
import { must, type CellTask } from "./cells.js";
import { signatureContext, userSignature } from "./signature.js";
import type { PreparedUser } from "../evaluate/subject.js";

const RefsSchema = z.array(z.union([z.number().int(), z.string().min(1)])).optional();
const BulkOptionsSchema = z.looseObject({
  users: RefsSchema,
  dataSources: RefsSchema,
  now: z.string().optional(),
  detail: z.enum(["cells", "summary"]).optional(),
});

/** Which users and sources to cover, and the instant to evaluate at. */
export interface BulkOptions {
  readonly users?: readonly (number | string)[];
  readonly dataSources?: readonly (number | string)[];
  readonly now?: string;
  /** Called as data sources are finished: how many of how many (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
  /** diff only: `cells` (default) lists every changed cell; `summary` only counts (catalog-sized diffs). */
  readonly detail?: "cells" | "summary";
}

// A bundle is immutable, and its engine keeps its prepared users: their signatures are worked out once.
const signatureCache = new WeakMap<Bundle, (u: PreparedUser) => string>();
function signaturesOf(bundle: Bundle, engine: Engine): (u: PreparedUser) => string {
  let f = signatureCache.get(bundle);
  if (!f) {
    const ctx = signatureContext(engine.policySet, bundle);
    const known = new WeakMap<PreparedUser, string>();
    f = (u) => {
      let sig = known.get(u);
      if (sig === undefined) known.set(u, (sig = userSignature(ctx, u)));
      return sig;
    };
    signatureCache.set(bundle, f);
  }
  return f;
}

/** Groups users by the signature of what can change their decisions under every given bundle. */
export function groupUsers(bundles: readonly Bundle[], users: readonly number[]): { reps: number[]; groupOf: Int32Array } {
  const engines = bundles.map(engineOf);
  const signatures = bundles.map((b, i) => signaturesOf(b, engines[i]!));
  const index = new Map<string, number>();
  const reps: number[] = [];
  const groupOf = new Int32Array(users.length);
  users.forEach((id, i) => {
    const sig = signatures.map((signature, k) => signature(must(engines[k]!.prepare(id)))).join("\n");
    let g = index.get(sig);
    if (g === undefined) {
      index.set(sig, (g = reps.length));
      reps.push(id);
    }
    groupOf[i] = g;
  });
  return { reps, groupOf };
}

/**
 * Validates the arguments, then runs the work: every problem comes back as issues, never
 * as a thrown error. Lookups that fail inside the work (`must`) carry their issues in a
 * `VeilError`; anything else is a defect, reported as `internal_error`.
 */
export async function guarded<T>(bundles: Bundle | readonly Bundle[], options: BulkOptions, work: () => Promise<T>): Promise<Result<T>> {
  for (const b of Array.isArray(bundles) ? bundles : [bundles]) {
    if (!isBundle(b)) return fail([{ code: "invalid_input", path: ["bundle"], message: "expected a bundle returned by parseBundle (or a loader)" }]);
  }
  const parsed = BulkOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) return fail(fromZod(parsed.error, ["options"]));
  if (options?.now !== undefined) {
    const now = parseInstant(options.now, ["options", "now"]);
    if (!now.ok) return now;
  }
  try {
    return ok(await work());
  } catch (e) {
    if (e instanceof VeilError) return fail(e.issues);
    return fail([{ code: "internal_error", path: [], message: `internal error in bulk evaluation: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}

/**
 * Runs bulk work chunk by chunk: in this thread (the core), or across worker threads
 * (`veil-policy/node` passes a runner that does). Results come back in chunk order, one
 * at a time, so a caller that writes each as it comes holds one chunk, not the catalog.
 */
export interface ChunkRunner {
  /** How many threads work of `cells` (user × source × bundle) evaluations runs on. */
  threads(cells: number): number;
  /** Why work runs on fewer threads than asked (a bundled application has no worker script), if it does. */
  note?(cells: number): string | undefined;
  /** Runs the chunks, results in chunk order. */
  run<R, T extends CellTask>(mode: "matrix" | "diff", chunks: readonly T[], inline: (t: T) => R): AsyncIterable<R>;
}

/** The core's runner: every chunk in this thread. */
export const inThisThread: ChunkRunner = {
  threads: () => 1,
  async *run(_mode, chunks, inline) {
    for (const c of chunks) yield inline(c);
  },
};

/**
 * Chunks of sources: at most `cellsPerChunk` (user, source) cells and 64 sources each, so
 * a chunk's result stays small; on several threads, two chunks per thread at least, so
 * threads share even a small catalog (and no more, so they exchange few messages). A
 * matrix cell is five bytes; a diff cell may be a change object, so diff chunks are smaller.
 */
export const MATRIX_CHUNK_CELLS = 1_048_576;
export const DIFF_CHUNK_CELLS = 32_768;
export function chunkSources(sources: readonly number[], users: number, cellsPerChunk: number, threads: number): number[][] {
  const byCells = Math.floor(cellsPerChunk / Math.max(1, users));
  const byThreads = threads > 1 ? Math.ceil(sources.length / (2 * threads)) : Infinity;
  const size = Math.max(1, Math.min(64, byCells, byThreads));
  const out: number[][] = [];
  for (let i = 0; i < sources.length; i += size) out.push(sources.slice(i, i + size));
  return out;
}

/** Iterates `it`, turning anything thrown that is not a `VeilError` into one with an `internal_error` issue. */
export async function* coded<T>(it: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* it;
  } catch (e) {
    if (e instanceof VeilError) throw e;
    throw new VeilError([{ code: "internal_error", path: [], message: `internal error in bulk evaluation: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}
