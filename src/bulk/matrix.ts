import { isBundle, type Engine } from "../engine/engine.js";
import { engineOf } from "./engines.js";
import { fail, ok, VeilError, type Result } from "../errors.js";
import { parseInstant } from "../lang/instant.js";
import { fromZod } from "../model/zod-issues.js";
import { z } from "zod";
import type { Bundle } from "../model/bundle.js";
import { diffCells, matrixCells, must, oneSidedChange, type CellChange, type CellTask, type DiffCells, type DiffTask, type MatrixCells } from "./cells.js";
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

/** Who changes what between two bundles. */
export interface DiffResult {
  /** Every changed (user, source), in user order; empty with `detail: "summary"`. */
  readonly changes: readonly CellChange[];
  /** How many (user, source) cells were compared and how many changed. */
  readonly compared: number;
  readonly changedCells: number;
  /** Change kind → cells (`masked`, `unmasked`, `maskChanged`, `rows`, `visibilities`, `filters`, `denied`, `report`, `added`, `removed`). */
  readonly kinds: Readonly<Record<string, number>>;
  /** Sources where some decision changed. */
  readonly dataSources: readonly number[];
  readonly groups: number;
  /** Cells where only how the policies in effect are written changed (the rendered `policySet`), not what the user sees; empty with `detail: "summary"`. */
  readonly policyChanges: readonly { readonly user: number; readonly dataSource: number }[];
  readonly policyChangedCells: number;
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
function groupUsers(bundles: readonly Bundle[], users: readonly number[]): { reps: number[]; groupOf: Int32Array } {
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
async function guarded<T>(bundles: Bundle | readonly Bundle[], options: BulkOptions, work: () => Promise<T>): Promise<Result<T>> {
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
const MATRIX_CHUNK_CELLS = 1_048_576;
const DIFF_CHUNK_CELLS = 32_768;
function chunkSources(sources: readonly number[], users: number, cellsPerChunk: number, threads: number): number[][] {
  const byCells = Math.floor(cellsPerChunk / Math.max(1, users));
  const byThreads = threads > 1 ? Math.ceil(sources.length / (2 * threads)) : Infinity;
  const size = Math.max(1, Math.min(64, byCells, byThreads));
  const out: number[][] = [];
  for (let i = 0; i < sources.length; i += size) out.push(sources.slice(i, i + size));
  return out;
}

/** Iterates `it`, turning anything thrown that is not a `VeilError` into one with an `internal_error` issue. */
async function* coded<T>(it: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* it;
  } catch (e) {
    if (e instanceof VeilError) throw e;
    throw new VeilError([{ code: "internal_error", path: [], message: `internal error in bulk evaluation: ${e instanceof Error ? e.message : String(e)}` }]);
  }
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

/** Refs (ids or names) resolved against two bundles: an id known to either side, or the issue of the first that neither knows. */
function resolveBoth(
  refs: readonly (number | string)[] | undefined,
  all: (b: Bundle) => readonly number[],
  find: (e: Engine, r: number | string) => Result<number>,
  engines: readonly [Engine, Engine],
  bundles: readonly [Bundle, Bundle],
): number[] {
  if (!refs) return [...new Set([...all(bundles[0]), ...all(bundles[1])])];
  return [
    ...new Set(
      refs.map((r) => {
        const a = find(engines[0], r);
        return a.ok ? a.value : must(find(engines[1], r));
      }),
    ),
  ];
}

/** The user's record and project on one side, as they bear on decisions. */
function userRecord(bundle: Bundle, id: number): string {
  const u = bundle.users.find((x) => x.profileId === id);
  const project = u?.currentProject == null ? null : (bundle.projects.find((p) => p.id === u.currentProject) ?? null);
  return JSON.stringify([u ?? null, project]);
}

/** A cell whose access is the same on both sides but whose policy text (the rendered policySet) changed. */
export interface PolicyTextChange {
  readonly user: number;
  readonly dataSource: number;
  readonly change: "policy";
}

/** diff's totals. */
export type DiffSummary = Omit<DiffResult, "changes" | "policyChanges" | "notes">;

/** A diff as it is computed: changes one at a time, then the totals. */
export interface DiffStream {
  /** The users compared (either side), in order. */
  readonly users: readonly number[];
  /**
   * Every changed cell, then the policy-text-only cells of the same chunk, data source
   * chunk by chunk; cells on one side only come last. Throws a `VeilError` if evaluation
   * fails part-way. Nothing with `detail: "summary"`.
   */
  readonly items: AsyncIterable<CellChange | PolicyTextChange>;
  /** The totals: complete once `items` is exhausted. */
  summary(): DiffSummary;
  /** Why the work runs on fewer threads than asked, if it does (empty otherwise). */
  readonly notes: readonly string[];
}

/**
 * Who sees what differently between two bundles, streamed. Users and sources on both
 * sides are compared cell by cell (users with identical relevant entitlements once per
 * group); users or sources on one side only are reported as added or removed, with what
 * they see. Memory is bounded by a chunk of sources, not the catalog.
 */
export function diffStreamOn(run: ChunkRunner, before: Bundle, after: Bundle, options: BulkOptions = {}): Promise<Result<DiffStream>> {
  return guarded([before, after], options, async () => {
    const engines = [engineOf(before), engineOf(after)] as const;
    const bundles = [before, after] as const;
    const users = resolveBoth(
      options.users,
      (b) => b.users.map((u) => u.profileId),
      (e, r) => {
        const u = e.prepare(r);
        return u.ok ? { ok: true, value: u.value.user.profileId } : u;
      },
      engines,
      bundles,
    );
    const dataSources = resolveBoth(
      options.dataSources,
      (b) => b.dataSources.map((d) => d.id),
      (e, r) => {
        const p = e.planFor(r);
        return p.ok ? { ok: true, value: p.value.dataSource.id } : p;
      },
      engines,
      bundles,
    );
    const has = (b: Bundle) => ({ users: new Set(b.users.map((u) => u.profileId)), sources: new Set(b.dataSources.map((d) => d.id)) });
    const [inA, inB] = [has(before), has(after)];
    const commonUsers = users.filter((u) => inA.users.has(u) && inB.users.has(u));
    const commonSources = dataSources.filter((d) => inA.sources.has(d) && inB.sources.has(d));
    const { reps, groupOf } = groupUsers([before, after], commonUsers);
    const weights = reps.map(() => 0);
    const stable = reps.map(() => false);
    // Each representative's group, in user order: its changes fan out to all of them.
    const members: number[][] = reps.map(() => []);
    commonUsers.forEach((u, i) => {
      const g = groupOf[i]!;
      weights[g]!++;
      members[g]!.push(u);
      if (!stable[g] && userRecord(before, u) === userRecord(after, u)) stable[g] = true;
    });
    const groupOfRep = new Map(reps.map((r, g) => [r, g]));
    const keep = options.detail !== "summary";
    const now = options.now !== undefined ? { now: options.now } : {};
    const threads = run.threads(2 * reps.length * commonSources.length);
    const note = run.note?.(2 * reps.length * commonSources.length);
    const chunks = chunkSources(commonSources, reps.length, DIFF_CHUNK_CELLS, threads).map(
      (ids): DiffTask => ({ bundles: [before, after], dataSources: ids, users: reps, weights, stable, keep, ...now }),
    );
    const kinds: Record<string, number> = {};
    const changedSources = new Set<number>();
    let changedCells = 0;
    let policyChangedCells = 0;
    let compared = commonUsers.length * commonSources.length;
    const count = (k: string, w: number) => (kinds[k] = (kinds[k] ?? 0) + w);
    const total = commonSources.length;
    async function* items(): AsyncGenerator<CellChange | PolicyTextChange> {
      let done = 0;
      let k = 0;
      for await (const part of run.run<DiffCells, DiffTask>("diff", chunks, diffCells)) {
        for (const [kind, v] of Object.entries(part.kinds)) count(kind, v);
        changedCells += part.changedCells;
        policyChangedCells += part.policyChangedCells;
        for (const ds of part.sources) changedSources.add(ds);
        for (const c of part.changes) for (const user of members[groupOfRep.get(c.user)!]!) yield { ...c, user };
        for (const c of part.policyChanges)
          for (const user of members[groupOfRep.get(c.user)!]!) yield { user, dataSource: c.dataSource, change: "policy" as const };
        options.onProgress?.((done += chunks[k++]!.dataSources.length), total);
      }
      // One-sided cells: a user or a source that only one bundle has.
      for (const user of users)
        for (const ds of dataSources) {
          const a = inA.users.has(user) && inA.sources.has(ds);
          const b = inB.users.has(user) && inB.sources.has(ds);
          if (a === b) continue;
          compared++;
          changedCells++;
          changedSources.add(ds);
          const c = oneSidedChange(a ? engines[0] : engines[1], a ? "removed" : "added", user, ds, options.now);
          count(c.change, 1);
          if (keep) yield c;
        }
    }
    return {
      users,
      notes: note ? [note] : [],
      items: coded(items()),
      summary: (): DiffSummary => ({
        compared,
        changedCells,
        kinds: { ...kinds },
        dataSources: [...changedSources],
        groups: reps.length,
        policyChangedCells,
      }),
    };
  });
}

/**
 * Who sees what differently between two bundles, collected into one result: changes in
 * user order (then data source order), cells on one side only last (see `diffStreamOn` to stream).
 */
export async function diffOn(run: ChunkRunner, before: Bundle, after: Bundle, options: BulkOptions = {}): Promise<Result<DiffResult>> {
  const stream = await diffStreamOn(run, before, after, options);
  if (!stream.ok) return stream;
  const changes: CellChange[] = [];
  const oneSided: CellChange[] = [];
  const policyChanges: { user: number; dataSource: number }[] = [];
  try {
    for await (const item of stream.value.items) {
      if (item.change === "policy") policyChanges.push({ user: item.user, dataSource: item.dataSource });
      else if (item.change === "changed") changes.push(item);
      else oneSided.push(item);
    }
  } catch (e) {
    return fail((e as VeilError).issues);
  }
  const order = new Map(stream.value.users.map((u, i) => [u, i]));
  const byUser = <T extends { user: number }>(xs: T[]) => xs.sort((a, b) => order.get(a.user)! - order.get(b.user)!);
  const notes = stream.value.notes;
  return ok({
    ...stream.value.summary(),
    changes: [...byUser(changes), ...oneSided],
    policyChanges: byUser(policyChanges),
    ...(notes.length > 0 ? { notes } : {}),
  });
}

/** Every user × every source, in this thread. `veil-policy/node` has a threaded `matrix`. */
export function matrix(bundle: Bundle, options: BulkOptions = {}): Promise<Result<MatrixResult>> {
  return matrixOn(inThisThread, bundle, options);
}

/** Who gains or loses what between two bundles, in this thread. `veil-policy/node` has a threaded `diff`. */
export function diff(before: Bundle, after: Bundle, options: BulkOptions = {}): Promise<Result<DiffResult>> {
  return diffOn(inThisThread, before, after, options);
}

/** `matrix`, streamed by data source, in this thread. `veil-policy/node` has a threaded `matrixStream`. */
export function matrixStream(bundle: Bundle, options: BulkOptions = {}): Promise<Result<MatrixStream>> {
  return matrixStreamOn(inThisThread, bundle, options);
}

/** `diff`, streamed change by change, in this thread. `veil-policy/node` has a threaded `diffStream`. */
export function diffStream(before: Bundle, after: Bundle, options: BulkOptions = {}): Promise<Result<DiffStream>> {
  return diffStreamOn(inThisThread, before, after, options);
}
