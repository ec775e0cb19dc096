import type { PolicySet } from "../compile/policy-set.js";
import type { Subject } from "../lang/subject.js";
import { fail, ok, type Result } from "../errors.js";
import type { Project, User } from "../model/user.js";

/**
 * A user prepared once for evaluation: sets and maps for lookups, the project whose
 * purposes are active, and a memo of condition outcomes shared across data sources.
 */
export interface PreparedUser {
  /** The policy set it was prepared on: its memo is indexed by that set's condition ids. */
  readonly policySet: PolicySet;
  readonly user: User;
  readonly project: Project | null;
  readonly subject: Subject;
  /** Condition id → 0 unknown, 1 false, 2 true; covers every id the policy set has given so far. */
  readonly memo: Uint8Array;
}

/**
 * Condition outcomes of one policy set, for whichever user evaluated each condition last:
 * `stamps[id]` says whose outcome `values[id]` is. Preparing a user therefore allocates
 * no memo at all (a fresh user per request is the common case in a server), and a user
 * whose entry was taken over by another just evaluates that condition again. Stamps are
 * doubles, so they never wrap.
 */
interface SharedMemo {
  stamps: Float64Array;
  values: Uint8Array;
}

const shared = new WeakMap<PolicySet, SharedMemo>();
let lastStamp = 0;

function sharedMemoOf(set: PolicySet): SharedMemo {
  let m = shared.get(set);
  if (!m) shared.set(set, (m = { stamps: new Float64Array(64), values: new Uint8Array(64) }));
  return m;
}

function growShared(m: SharedMemo, id: number): void {
  let n = m.stamps.length;
  while (n <= id) n *= 2;
  const stamps = new Float64Array(n);
  stamps.set(m.stamps);
  const values = new Uint8Array(n);
  values.set(m.values);
  m.stamps = stamps;
  m.values = values;
}

const NO_MEMO = new Uint8Array(0);

class Prepared implements PreparedUser {
  /** This user's own table: made when `memo` is read (bulk evaluation reads it), or by `holds` for a user kept for reuse. */
  #memo: Uint8Array = NO_MEMO;
  readonly #stamp = ++lastStamp;
  readonly #shared: SharedMemo;
  /** Kept for reuse (an engine's cached user): its outcomes go in its own table, never taken over by another user. */
  readonly #reused: boolean;
  constructor(
    readonly policySet: PolicySet,
    readonly user: User,
    readonly project: Project | null,
    readonly subject: Subject,
    reused: boolean,
  ) {
    this.#shared = sharedMemoOf(policySet);
    this.#reused = reused;
  }

  get memo(): Uint8Array {
    const m = this.#memo;
    return m.length >= this.policySet.conditionCount ? m : this.#grow();
  }

  #grow(): Uint8Array {
    // Exact the first time; then doubling, as ids keep coming while new conditions are first evaluated.
    const old = this.#memo;
    const m = new Uint8Array(old.length === 0 ? this.policySet.conditionCount : Math.max(this.policySet.conditionCount, 2 * old.length));
    m.set(old);
    return (this.#memo = m);
  }

  /** `holds` for this user: the outcome memoised in the own table or the shared one (looked up before the closure is). */
  holds(c: { id: number; test: ((s: Subject) => boolean) | null }): boolean | undefined {
    const id = c.id;
    if (this.#reused) {
      // The closure first: bulk evaluation also writes this table, and records a broken condition as false.
      const test = c.test;
      if (test === null) return undefined;
      // Ids are below the set's count, which `#grow` covers.
      let memo = this.#memo;
      if (id >= memo.length) memo = this.#grow();
      const known = memo[id];
      if (known !== 0 && known !== undefined) return known === 2;
      const v = test(this.subject);
      memo[id] = v ? 2 : 1;
      return v;
    }
    const m = this.#shared;
    // A broken condition is never recorded, so a recorded outcome is a real one.
    if (id >= 0 && id < m.stamps.length && m.stamps[id] === this.#stamp) return m.values[id] === 2;
    const test = c.test;
    if (test === null) return undefined;
    const v = test(this.subject);
    if (id >= 0) {
      if (id >= m.stamps.length) growShared(m, id);
      m.stamps[id] = this.#stamp;
      m.values[id] = v ? 2 : 1;
    }
    return v;
  }
}

/**
 * The user's lookups: the same Subject as `makeSubject` (lang/subject.ts) builds from
 * these lists, attributes read by own enumerable keys as Object.entries reads them
 * (Object.keys is much the faster on the null-prototype records the model makes).
 */
function subjectOf(user: User, project: Project | null): Subject {
  const attributes = new Map<string, ReadonlySet<string>>();
  const authorizations = user.authorizations ?? {};
  for (const name of Object.keys(authorizations)) attributes.set(name, new Set(authorizations[name]));
  return {
    groups: new Set(user.groups ?? []),
    attributes,
    purposes: new Set(project?.purposes ?? []),
  };
}

/**
 * Prepares a user on one policy set, acting under `project` (whose purposes are active),
 * or none. The engine picks the project: the policyInfo override, else the user's current
 * project [doc]. The result can only be evaluated against plans of the same set.
 */
export function prepareUser(set: PolicySet, user: User, project: Project | null = null): PreparedUser {
  return new Prepared(set, user, project, subjectOf(user, project), false);
}

/** `prepareUser` for a user that will be evaluated again and again (an engine caches it): its memo is its own. */
export function prepareReusedUser(set: PolicySet, user: User, project: Project | null = null): PreparedUser {
  return new Prepared(set, user, project, subjectOf(user, project), true);
}

/** The project a user acts under: `projectId` when given (membership is not checked [ours]), else their current project. */
export function projectFor(set: PolicySet, user: User, projectId?: number | null): Result<Project | null> {
  const id = projectId ?? user.currentProject ?? null;
  if (id === null) return ok(null);
  const project = set.bundle.projects.find((p) => p.id === id);
  return project ? ok(project) : fail([{ code: "unknown_reference", path: ["projectId"], message: `unknown project \`${id}\`` }]);
}

/** Evaluates a compiled condition for a prepared user, once. A broken condition has no value: callers decide how it fails closed. */
export function holds(u: PreparedUser, c: { id: number; test: ((s: Subject) => boolean) | null }): boolean | undefined {
  if (u instanceof Prepared) return u.holds(c);
  // A prepared user made by hand: its own table, if it covers the id.
  const test = c.test;
  if (test === null) return undefined;
  const memo = u.memo;
  const known = memo[c.id];
  if (known !== 0 && known !== undefined) return known === 2;
  const v = test(u.subject);
  memo[c.id] = v ? 2 : 1;
  return v;
}
