import type { Policy } from "../model/policy.js";

/**
 * Authoring order: `createdAt`, then id, then position in the input. Policies without
 * `createdAt` count as authored after dated ones; among those, ids decide [ours].
 */
export function compareAuthored(a: Policy, b: Policy): number {
  const ta = a.lifecycle.createdAtMs;
  const tb = b.lifecycle.createdAtMs;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ia = a.id ?? Infinity;
  const ib = b.id ?? Infinity;
  if (ia !== ib) return ia < ib ? -1 : 1;
  if (a.scope !== b.scope) return a.scope === "local" ? -1 : 1;
  return a.order - b.order;
}

/** What conflict resolution needs of a candidate on one column. */
export interface ConflictCandidate {
  readonly policy: Policy;
  readonly actionIndex: number;
  /** Depth of the tag through which it reaches the column. */
  readonly depth: number;
}

/**
 * Masking conflict order on one column: the deeper tag wins, then the policy
 * authored first [doc]; an earlier action of the same policy wins a tie [ours].
 */
export function compareMaskingPriority(a: ConflictCandidate, b: ConflictCandidate): number {
  if (a.depth !== b.depth) return b.depth - a.depth;
  return compareAuthored(a.policy, b.policy) || a.actionIndex - b.actionIndex;
}
