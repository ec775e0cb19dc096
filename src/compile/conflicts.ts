import type { Policy } from "../model/policy.js";
import type { BoundMaskingPolicy } from "./plan.js";

/**
 * Authoring order: `createdAt`, then id, then position in the input. Policies without
 * `createdAt` count as authored after dated ones, in list order [ours].
 */
export function compareAuthored(a: Policy, b: Policy): number {
  const ta = a.lifecycle.createdAt === null ? Infinity : Date.parse(a.lifecycle.createdAt);
  const tb = b.lifecycle.createdAt === null ? Infinity : Date.parse(b.lifecycle.createdAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ia = a.id ?? Infinity;
  const ib = b.id ?? Infinity;
  if (ia !== ib) return ia < ib ? -1 : 1;
  if (a.scope !== b.scope) return a.scope === "local" ? -1 : 1;
  return a.order - b.order;
}

/**
 * Masking conflict order on one column: the deeper tag wins, then the policy
 * authored first [doc]; an earlier action of the same policy wins a tie [ours].
 */
export function compareMaskingPriority(a: BoundMaskingPolicy, b: BoundMaskingPolicy): number {
  if (a.depth !== b.depth) return b.depth - a.depth;
  return compareAuthored(a.policy, b.policy) || a.actionIndex - b.actionIndex;
}

/** Splits the candidates on one column into the winner and the losers (in priority order). */
export function resolveColumnConflict(candidates: readonly BoundMaskingPolicy[]): { winner: BoundMaskingPolicy; losers: BoundMaskingPolicy[] } | undefined {
  if (candidates.length === 0) return undefined;
  const sorted = [...candidates].sort(compareMaskingPriority);
  return { winner: sorted[0]!, losers: sorted.slice(1) };
}
