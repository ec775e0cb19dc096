/**
 * Columns in words: the mask that applies (or none), the winning policy with the tag that
 * reached the column, each rule's audience, any type fallback, and who lost the conflict.
 */
import { actionTypeOf } from "../compile/fallback.js";
import { LOCAL_DEPTH } from "../compile/fields.js";
import type { BoundMaskingPolicy, BoundMaskRule, Plan } from "../compile/plan.js";
import type { MaskDecision } from "../evaluate/masking.js";
import type { PreparedUser } from "../evaluate/subject.js";
import type { MaskSpec, Policy } from "../model/policy.js";
import { explainRules, policyRef } from "./audience.js";
import type { ColumnExplanation, LoserExplanation, MaskExplanation, MaskRuleExplanation } from "./types.js";

function maskOf(spec: MaskSpec, conditionalPredicate: string | null): MaskExplanation {
  const m: MaskExplanation = { type: spec.type, metadata: { ...spec.metadata }, actionType: actionTypeOf(spec) };
  return conditionalPredicate === null ? m : { ...m, conditionalPredicate };
}

function maskOfRule(r: BoundMaskRule): MaskExplanation {
  return maskOf(r.mask, r.rule.conditionalPredicate);
}

/** A tag and its depth in words; a local policy names its column, other selectors carry no tag. */
function reach(p: BoundMaskingPolicy): string {
  if (p.depth === LOCAL_DEPTH) return "a local policy on the column";
  return p.tag === null ? "a selector without a tag (depth 0)" : `tag \`${p.tag}\` (depth ${p.depth})`;
}

/** The conflict depth as shown: null for a local policy naming its column (it outranks every tag). */
function depthOf(p: BoundMaskingPolicy): number | null {
  return p.depth === LOCAL_DEPTH ? null : p.depth;
}

function policyName(p: BoundMaskingPolicy): string {
  return p.policy.id === null ? `local policy "${p.policy.name}"` : `"${p.policy.name}" (id ${p.policy.id})`;
}

/** Why policy `a` comes before `b` in authoring order (compareAuthored), in words. */
function authoredFirst(a: Policy, b: Policy): string {
  const la = a.lifecycle;
  const lb = b.lifecycle;
  if (la.createdAtMs !== lb.createdAtMs)
    return `created ${la.createdAt} before ${lb.createdAt ?? "the other, which has no createdAt (undated policies count as authored after dated ones)"}`;
  const same = la.createdAt === null ? "neither has a createdAt" : `both created ${la.createdAt}`;
  if ((a.id ?? Infinity) !== (b.id ?? Infinity)) return `${same}, so the lower id wins: ${a.id} before ${b.id ?? "none"}`;
  if (a.scope !== b.scope) return `${same} and no id decides, so the local policy wins`;
  return `${same} and no id decides, so the one earlier in the input wins`;
}

/** Why `loser` lost to `winner`: the conflict order of compile/conflicts.ts, in words. */
export function lostBecause(winner: BoundMaskingPolicy, loser: BoundMaskingPolicy): Pick<LoserExplanation, "because" | "detail"> {
  if (winner.depth !== loser.depth) {
    if (winner.depth === LOCAL_DEPTH)
      return { because: "local-policy", detail: `${policyName(winner)} is a local policy on the column, which beats ${reach(loser)}` };
    return { because: "deeper-tag", detail: `${policyName(winner)} reaches it through ${reach(winner)}, deeper than ${reach(loser)}` };
  }
  if (winner.policy !== loser.policy)
    return { because: "authored-first", detail: `same depth; ${policyName(winner)} was authored first: ${authoredFirst(winner.policy, loser.policy)}` };
  return { because: "earlier-action", detail: `same policy and depth; action ${winner.actionIndex} comes before action ${loser.actionIndex}` };
}

function rulesOf(p: BoundMaskingPolicy, u: PreparedUser): MaskRuleExplanation[] {
  const audience = explainRules(p.rules, u);
  return p.rules.map((r, i) => ({
    ...audience[i]!,
    mask: maskOfRule(r),
    fallback: r.changedOnApply ? { authored: maskOf(r.rule.mask, r.rule.conditionalPredicate), changedOnApply: ["dataTypeMismatch"] as const } : null,
  }));
}

/** Every column of the source, masked or clear, in the source's order. */
export function explainColumns(plan: Plan, masks: readonly MaskDecision[], u: PreparedUser): ColumnExplanation[] {
  const byIndex = new Map(masks.map((m) => [m.columnIndex, m]));
  return plan.dataSource.columns.map((c, i) => {
    const m = byIndex.get(i);
    const base = { column: c.name, dataType: c.dataType, tags: [...(c.tags ?? [])] };
    if (!m) return { ...base, mask: null, policy: null, tag: null, depth: null, rules: [], lost: [] };
    const w = m.policy;
    return {
      ...base,
      mask: m.applied ? maskOfRule(m.applied) : null,
      policy: policyRef(w.policy, w.actionIndex),
      tag: w.tag,
      depth: depthOf(w),
      rules: rulesOf(w, u),
      lost: m.plan.losers.map((l) => ({ policy: policyRef(l.policy, l.actionIndex), tag: l.tag, depth: depthOf(l), ...lostBecause(w, l) })),
    };
  });
}
