import { isBundle, type Engine } from "../engine/engine.js";
import { engineOf } from "./engines.js";
import { fail, ok, VeilError, type Result } from "../errors.js";
import { parseInstant } from "../lang/instant.js";
import { fromZod } from "../model/zod-issues.js";
import { z } from "zod";
import type { Bundle } from "../model/bundle.js";
import { diffCells, matrixCells, must, oneSidedChange, type CellChange, type CellTask, type DiffCells, type MatrixCells } from "./cells.js";
import { signatureContext, userSignature } from "./signature.js";

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

/** Groups users by the signature of what can change their decisions under every given bundle. */
function groupUsers(bundles: readonly Bundle[], users: readonly number[]): { reps: number[]; groupOf: Int32Array } {
  const engines = bundles.map(engineOf);
  const contexts = bundles.map((b, i) => signatureContext(engines[i]!.policySet, b));
  const index = new Map<string, number>();
  const reps: number[] = [];
  const groupOf = new Int32Array(users.length);
  users.forEach((id, i) => {
    const sig = contexts.map((ctx, k) => userSignature(ctx, must(engines[k]!.prepare(id)))).join("\n");
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
 * Runs a bulk task: in this thread (the core), or split by data source across worker
 * threads (`veil-policy/node` passes a runner that does).
 */
export type ShareRunner = <R, T extends CellTask>(mode: "matrix" | "diff", task: T, inline: (t: T) => R) => Promise<R[]>;

/** The core's runner: everything in this thread. */
export const inThisThread: ShareRunner = async (_mode, task, inline) => [inline(task)];

/** The task with a progress callback over `total` sources, when the caller asked for one. */
function withProgress<T extends CellTask>(task: T, options: BulkOptions): T {
  const report = options.onProgress;
  if (!report) return task;
  const total = task.dataSources.length;
  return { ...task, progress: (done: number) => report(done, total) };
}

/**
 * Every user × every source, users with identical relevant entitlements evaluated
 * once, the work run by `run` (this thread, or worker threads).
 */
export function matrixOn(run: ShareRunner, bundle: Bundle, options: BulkOptions = {}): Promise<Result<MatrixResult>> {
  return guarded(bundle, options, async () => {
    const engine = engineOf(bundle);
    const { users, dataSources } = resolveIds(engine, bundle, options);
    const { reps, groupOf } = groupUsers([bundle], users);
    const task: CellTask = { bundles: [bundle], dataSources, users: reps, ...(options.now !== undefined ? { now: options.now } : {}) };
    const parts = await run<MatrixCells, CellTask>("matrix", withProgress(task, options), matrixCells);
    const masked = new Int32Array(users.length * dataSources.length);
    const rows = new Uint8Array(masked.length);
    let offset = 0;
    for (const part of parts) {
      const width = part.masked.length / reps.length;
      users.forEach((_, i) => {
        for (let j = 0; j < width; j++) {
          const from = groupOf[i]! * width + j;
          masked[i * dataSources.length + offset + j] = part.masked[from]!;
          rows[i * dataSources.length + offset + j] = part.rows[from]!;
        }
      });
      offset += width;
    }
    return { users, dataSources, masked, rows, groups: reps.length };
  });
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

/**
 * Who sees what differently between two bundles. Users and sources on both sides are
 * compared cell by cell (users with identical relevant entitlements once per group);
 * users or sources on one side only are reported as added or removed, with what they see.
 */
export function diffOn(run: ShareRunner, before: Bundle, after: Bundle, options: BulkOptions = {}): Promise<Result<DiffResult>> {
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
    commonUsers.forEach((u, i) => {
      const g = groupOf[i]!;
      weights[g]!++;
      if (!stable[g] && userRecord(before, u) === userRecord(after, u)) stable[g] = true;
    });
    const keep = options.detail !== "summary";
    const task = {
      bundles: [before, after],
      dataSources: commonSources,
      users: reps,
      weights,
      stable,
      keep,
      ...(options.now !== undefined ? { now: options.now } : {}),
    };
    const parts = await run<DiffCells, typeof task>("diff", withProgress(task, options), diffCells);
    const kinds: Record<string, number> = {};
    for (const p of parts) for (const [k, v] of Object.entries(p.kinds)) kinds[k] = (kinds[k] ?? 0) + v;
    const count = (k: string, w: number) => (kinds[k] = (kinds[k] ?? 0) + w);
    // Fan each representative's changes out to every user of its group, in user order.
    const byRep = new Map<number, CellChange[]>();
    for (const c of parts.flatMap((p) => p.changes)) byRep.set(c.user, [...(byRep.get(c.user) ?? []), c]);
    const changes: CellChange[] = keep ? commonUsers.flatMap((user, i) => (byRep.get(reps[groupOf[i]!]!) ?? []).map((c) => ({ ...c, user }))) : [];
    const policyByRep = new Map<number, { user: number; dataSource: number }[]>();
    for (const c of parts.flatMap((p) => p.policyChanges)) policyByRep.set(c.user, [...(policyByRep.get(c.user) ?? []), c]);
    const policyChanges = keep ? commonUsers.flatMap((user, i) => (policyByRep.get(reps[groupOf[i]!]!) ?? []).map((c) => ({ ...c, user }))) : [];
    // One-sided cells: a user or a source that only one bundle has.
    let oneSided = 0;
    const sides = new Set<number>();
    for (const user of users)
      for (const ds of dataSources) {
        const a = inA.users.has(user) && inA.sources.has(ds);
        const b = inB.users.has(user) && inB.sources.has(ds);
        if (a === b) continue;
        oneSided++;
        sides.add(ds);
        const c = oneSidedChange(a ? engines[0] : engines[1], a ? "removed" : "added", user, ds, options.now);
        count(c.change, 1);
        if (keep) changes.push(c);
      }
    return {
      changes,
      compared: commonUsers.length * commonSources.length + oneSided,
      changedCells: parts.reduce((n, p) => n + p.changedCells, 0) + oneSided,
      kinds,
      dataSources: [...new Set([...parts.flatMap((p) => p.sources), ...sides])],
      groups: reps.length,
      policyChanges,
      policyChangedCells: parts.reduce((n, p) => n + p.policyChangedCells, 0),
    };
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
