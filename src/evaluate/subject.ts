import type { PolicySet } from "../compile/policy-set.js";
import { makeSubject, type Subject } from "../lang/subject.js";
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
  /** Condition id → 0 unknown, 1 false, 2 true. */
  readonly memo: Uint8Array;
}

/**
 * Prepares a user on one policy set, acting under `project` (whose purposes are active),
 * or none. The engine picks the project: the policyInfo override, else the user's current
 * project [doc]. The result can only be evaluated against plans of the same set.
 */
export function prepareUser(set: PolicySet, user: User, project: Project | null = null): PreparedUser {
  const subject = makeSubject({ groups: user.groups ?? [], attributes: user.authorizations ?? {}, purposes: project?.purposes ?? [] });
  return { policySet: set, user, project, subject, memo: new Uint8Array(set.conditions.length) };
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
  if (c.test === null) return undefined;
  const known = u.memo[c.id];
  if (known !== 0 && known !== undefined) return known === 2;
  const v = c.test(u.subject);
  u.memo[c.id] = v ? 2 : 1;
  return v;
}
