import type { Column } from "../model/data-source.js";
import type { MaskingRule, Policy } from "../model/policy.js";
import type { ActionRef, RuleRef } from "./bind-index.js";
import { compareAuthored, compareMaskingPriority } from "./conflicts.js";
import { ruleReachesColumn } from "./fields.js";
import type { PolicySet } from "./policy-set.js";
import { tagDepth } from "./tags.js";

/** A (policy, action) that masks a column: the rules that reach it and through how deep a tag. */
export interface Candidate {
  readonly policy: Policy;
  readonly actionIndex: number;
  readonly ruleIndices: number[];
  depth: number;
}

/** Where candidates come from: the tag index, or every rule (the unindexed path tests the index). */
export interface CandidateSource {
  readonly set: PolicySet;
  /** Local policies' refs of the source being bound. */
  readonly local: readonly RuleRef[];
  /** Every global ref, for the unindexed path; empty when indexed. */
  readonly everything: readonly RuleRef[];
  readonly indexed: boolean;
  /** Whether a policy binds to the source (circumstances, lifecycle), memoised per source. */
  readonly binds: (p: Policy) => boolean;
}

function add(found: Map<ActionRef, Candidate>, ref: RuleRef, depth: number): void {
  const c = found.get(ref.action);
  if (!c) return void found.set(ref.action, { policy: ref.policy, actionIndex: ref.actionIndex, ruleIndices: [ref.ruleIndex], depth });
  if (!c.ruleIndices.includes(ref.ruleIndex)) c.ruleIndices.push(ref.ruleIndex);
  if (depth > c.depth) c.depth = depth;
}

function addChecked(found: Map<ActionRef, Candidate>, ref: RuleRef, column: Column): void {
  const match = ruleReachesColumn(ref.policy.actions[ref.actionIndex]!.rules[ref.ruleIndex] as MaskingRule, column);
  if (match) add(found, ref, match.depth);
}

/**
 * The (policy, action) candidates that reach one column. Indexed: only the rules
 * under the column's tags and their ancestors, plus those no tag narrows.
 * `found` is scratch space, cleared first, so binding a source allocates one map.
 */
export function candidatesFor(src: CandidateSource, column: Column, found: Map<ActionRef, Candidate> = new Map()): Candidate[] {
  found.clear();
  if (src.indexed) {
    for (const tag of column.tags ?? [])
      for (const a of src.set.index.ancestors(tag)) {
        const refs = src.set.index.byTag.get(a);
        if (refs) for (const ref of refs) if (src.binds(ref.policy)) add(found, ref, tagDepth(a));
      }
    for (const ref of src.set.index.unindexed) if (src.binds(ref.policy)) addChecked(found, ref, column);
  }
  for (const ref of src.everything) if (src.binds(ref.policy)) addChecked(found, ref, column);
  for (const ref of src.local) addChecked(found, ref, column);
  return [...found.values()];
}

/**
 * The winning candidate of one column without gathering them all: each tag's refs
 * are in priority order, so the first binding ref of each of the column's tags (and
 * ancestors) is that tag's best; the winner is the best of those, of the rules no tag
 * narrows, and of local policies. Same result as `bestCandidate(candidatesFor(…))`.
 */
export function winningCandidate(src: CandidateSource, column: Column, scratch: Map<ActionRef, Candidate>): Candidate | undefined {
  if (!src.indexed) return bestCandidate(candidatesFor(src, column, scratch));
  scratch.clear();
  // Best tagged ref so far, kept as (ref, depth) so nothing is allocated until the end.
  let bestRef: RuleRef | undefined;
  let bestDepth = -1;
  const index = src.set.index;
  for (const tag of column.tags ?? [])
    for (const a of index.ancestors(tag)) {
      const refs = index.byTag.get(a);
      if (!refs) continue;
      for (const ref of refs) {
        if (!src.binds(ref.policy)) continue;
        const depth = tagDepth(a);
        // compareMaskingPriority, inline: the deeper tag, then authoring order, then the earlier action.
        if (
          !bestRef ||
          depth > bestDepth ||
          (depth === bestDepth && (compareAuthored(ref.policy, bestRef.policy) || ref.actionIndex - bestRef.actionIndex) < 0)
        ) {
          bestRef = ref;
          bestDepth = depth;
        }
        break;
      }
    }
  let best: Candidate | undefined = bestRef && {
    policy: bestRef.policy,
    actionIndex: bestRef.actionIndex,
    // Every masking rule of the action: binding checks each against the column (the array is shared, and never changed).
    ruleIndices: bestRef.action.maskingRules as number[],
    depth: bestDepth,
  };
  if (index.unindexed.length === 0 && src.local.length === 0) return best;
  for (const ref of index.unindexed) if (src.binds(ref.policy)) addChecked(scratch, ref, column);
  for (const ref of src.local) addChecked(scratch, ref, column);
  for (const c of scratch.values()) if (!best || compareMaskingPriority(c, best) < 0) best = c;
  return best;
}

/** The candidate that wins a column's conflict, in one pass. */
export function bestCandidate(list: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of list) if (!best || compareMaskingPriority(c, best) < 0) best = c;
  return best;
}
