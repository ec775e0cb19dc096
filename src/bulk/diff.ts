/** diff: who sees what differently between two bundles, collected or streamed. */
import type { Engine } from "../engine/engine.js";
import { engineOf } from "./engines.js";
import { fail, ok, type Result, type VeilError } from "../errors.js";
import type { Bundle } from "../model/bundle.js";
import { diffCells, must, oneSidedChange, type CellChange, type DiffCells, type DiffTask } from "./cells.js";
import { chunkSources, coded, DIFF_CHUNK_CELLS, groupUsers, guarded, inThisThread, type BulkOptions, type ChunkRunner } from "./run.js";

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

/** Who gains or loses what between two bundles, in this thread. `veil-policy/node` has a threaded `diff`. */
export function diff(before: Bundle, after: Bundle, options: BulkOptions = {}): Promise<Result<DiffResult>> {
  return diffOn(inThisThread, before, after, options);
}
/** `diff`, streamed change by change, in this thread. `veil-policy/node` has a threaded `diffStream`. */
export function diffStream(before: Bundle, after: Bundle, options: BulkOptions = {}): Promise<Result<DiffStream>> {
  return diffStreamOn(inThisThread, before, after, options);
}
