/** matrix: every user × every data source, masked-column counts and row access, collected or streamed. */
import type { Engine } from "../engine/engine.js";
import { engineOf } from "./engines.js";
import { fail, ok, type Result, type VeilError } from "../errors.js";
import type { Bundle } from "../model/bundle.js";
import { matrixCells, must, type CellTask, type MatrixCells } from "./cells.js";
import { chunkSources, coded, groupUsers, guarded, inThisThread, MATRIX_CHUNK_CELLS, type BulkOptions, type ChunkRunner } from "./run.js";

/** users × data sources: masked-column counts and row access, with how much work grouping saved. */
export interface MatrixResult {
  readonly users: readonly number[];
  readonly dataSources: readonly number[];
  /** Masked columns per cell, `users.length × dataSources.length`, users major. */
  readonly masked: Int32Array;
  /** Row access per cell: 0 all rows, 1 filtered, 2 none. */
  readonly rows: Uint8Array;
  /** Distinct user signatures (each evaluated once per source). */
  readonly groups: number;
  /** Present when the work ran on fewer threads than asked, saying why. */
  readonly notes?: readonly string[];
}

function resolveIds(engine: Engine, bundle: Bundle, options: BulkOptions): { users: number[]; dataSources: number[] } {
  const pick = <T>(refs: readonly (number | string)[] | undefined, all: readonly T[], find: (r: number | string) => T, id: (t: T) => number) =>
    (refs ? refs.map(find) : all).map(id);
  return {
    users: pick(
      options.users,
      bundle.users,
      (r) => must(engine.prepare(r)).user,
      (u) => u.profileId,
    ),
    dataSources: pick(
      options.dataSources,
      bundle.dataSources,
      (r) => must(engine.planFor(r)).dataSource,
      (d) => d.id,
    ),
  };
}

/** One data source's column of the matrix: every user's cell, in user order. */
export interface MatrixBlock {
  readonly dataSource: number;
  readonly masked: Int32Array;
  readonly rows: Uint8Array;
}

/** A matrix as it is computed: the axes up front, then one block per data source, in order. */
export interface MatrixStream {
  readonly users: readonly number[];
  readonly dataSources: readonly number[];
  readonly groups: number;
  /** Throws a `VeilError` (coded issues) if evaluation fails part-way, e.g. a time policy without `now`. */
  readonly blocks: AsyncIterable<MatrixBlock>;
  /** Why the work runs on fewer threads than asked, if it does (empty otherwise). */
  readonly notes: readonly string[];
}

/** A matrix's set-up and its chunks as computed: representatives' cells per chunk of sources. */
interface MatrixChunks {
  readonly users: readonly number[];
  readonly dataSources: readonly number[];
  readonly groups: number;
  /** Each user's group: the row of its representative in a chunk's cells. */
  readonly groupOf: Int32Array;
  readonly notes: readonly string[];
  readonly chunks: AsyncIterable<{ readonly ids: readonly number[]; readonly part: MatrixCells }>;
}

function matrixChunksOn(run: ChunkRunner, bundle: Bundle, options: BulkOptions): Promise<Result<MatrixChunks>> {
  return guarded(bundle, options, async () => {
    const engine = engineOf(bundle);
    const { users, dataSources } = resolveIds(engine, bundle, options);
    const { reps, groupOf } = groupUsers([bundle], users);
    const now = options.now !== undefined ? { now: options.now } : {};
    const threads = run.threads(reps.length * dataSources.length);
    const note = run.note?.(reps.length * dataSources.length);
    const tasks = chunkSources(dataSources, reps.length, MATRIX_CHUNK_CELLS, threads).map(
      (ids): CellTask => ({ bundles: [bundle], dataSources: ids, users: reps, ...now }),
    );
    const total = dataSources.length;
    async function* chunks() {
      let done = 0;
      let k = 0;
      for await (const part of run.run<MatrixCells, CellTask>("matrix", tasks, matrixCells)) {
        const ids = tasks[k++]!.dataSources;
        yield { ids, part };
        options.onProgress?.((done += ids.length), total);
      }
    }
    return { users, dataSources, groups: reps.length, groupOf, chunks: coded(chunks()), notes: note ? [note] : [] };
  });
}

/**
 * Every user × every source, streamed by data source: users with identical relevant
 * entitlements evaluated once, the chunks run by `run` (this thread, or worker threads).
 * Memory is bounded by a chunk of sources, not the catalog.
 */
export async function matrixStreamOn(run: ChunkRunner, bundle: Bundle, options: BulkOptions = {}): Promise<Result<MatrixStream>> {
  const m = await matrixChunksOn(run, bundle, options);
  if (!m.ok) return m;
  const { users, dataSources, groups, groupOf, chunks, notes } = m.value;
  async function* blocks(): AsyncGenerator<MatrixBlock> {
    for await (const { ids, part } of chunks) {
      const width = ids.length;
      for (let j = 0; j < width; j++) {
        const masked = new Int32Array(users.length);
        const rows = new Uint8Array(users.length);
        for (let i = 0; i < users.length; i++) {
          const from = groupOf[i]! * width + j;
          masked[i] = part.masked[from]!;
          rows[i] = part.rows[from]!;
        }
        yield { dataSource: ids[j]!, masked, rows };
      }
    }
  }
  return ok({ users, dataSources, groups, blocks: blocks(), notes });
}

/** Every user × every source, collected into one result (see `matrixStreamOn` to stream). */
export async function matrixOn(run: ChunkRunner, bundle: Bundle, options: BulkOptions = {}): Promise<Result<MatrixResult>> {
  const m = await matrixChunksOn(run, bundle, options);
  if (!m.ok) return m;
  const { users, dataSources, groups, groupOf } = m.value;
  const w = dataSources.length;
  const masked = new Int32Array(users.length * w);
  const rows = new Uint8Array(masked.length);
  try {
    // Straight from each chunk's representatives into the users' rows.
    let offset = 0;
    for await (const { ids, part } of m.value.chunks) {
      const width = ids.length;
      for (let i = 0; i < users.length; i++) {
        const from = groupOf[i]! * width;
        masked.set(part.masked.subarray(from, from + width), i * w + offset);
        rows.set(part.rows.subarray(from, from + width), i * w + offset);
      }
      offset += width;
    }
  } catch (e) {
    return fail((e as VeilError).issues);
  }
  return ok({ users, dataSources, masked, rows, groups, ...(m.value.notes.length > 0 ? { notes: m.value.notes } : {}) });
}

/** Every user × every source, in this thread. `veil-policy/node` has a threaded `matrix`. */
export function matrix(bundle: Bundle, options: BulkOptions = {}): Promise<Result<MatrixResult>> {
  return matrixOn(inThisThread, bundle, options);
}
/** `matrix`, streamed by data source, in this thread. `veil-policy/node` has a threaded `matrixStream`. */
export function matrixStream(bundle: Bundle, options: BulkOptions = {}): Promise<Result<MatrixStream>> {
  return matrixStreamOn(inThisThread, bundle, options);
}
