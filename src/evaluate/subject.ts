import type { PolicySet } from "../compile/policy-set.js";
import { makeSubject, type Subject } from "../lang/subject.js";
import { fail, ok, type Result } from "../errors.js";
import type { Project, User } from "../model/user.js";

/**
 * A user prepared once for evaluation: sets and maps for lookups, the project whose
 * purposes are active, and a memo of condition outcomes shared across data sources.
 */
export interface PreparedUser {
  readonly user: User;
  readonly project: Project | null;
  readonly subject: Subject;
  /** Condition id → 0 unknown, 1 false, 2 true. */
  readonly memo: Uint8Array;
}

/**
 * Prepares a user. Purposes are those of `projectId` when given (the policyInfo
 * override; membership is not checked [ours]) or of the user's current project [doc].
 */
export function prepareUser(set: PolicySet, user: User, projectId?: number | null): Result<PreparedUser> {
  const id = projectId ?? user.currentProject ?? null;
  const project = id === null ? null : (set.bundle.projects.find((p) => p.id === id) ?? null);
  if (id !== null && project === null) return fail([{ code: "unknown_reference", path: ["projectId"], message: `unknown project \`${id}\`` }]);
  const subject = makeSubject({ groups: user.groups ?? [], attributes: user.authorizations ?? {}, purposes: project?.purposes ?? [] });
  return ok({ user, project, subject, memo: new Uint8Array(set.conditions.length) });
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
