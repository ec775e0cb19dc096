import type { DataSourceModel } from "../model/bundle.js";
import { columnTypeOf } from "../model/data-type.js";
import type { MaskingRule, Policy } from "../model/policy.js";
import { tagAndAncestors, type RuleRef } from "./bind-index.js";
import { originalPolicyId, renderBoundPolicy, renderGlobal, renderMaskRule } from "./bound-policy.js";
import { circumstancesHold, sourceFacts, type SourceFacts } from "./circumstances.js";
import { compareAuthored, compareMaskingPriority } from "./conflicts.js";
import { fitMask } from "./fallback.js";
import { ruleReachesColumn } from "./fields.js";
import { tagDepth } from "./tags.js";
import type { BoundMaskingPolicy, BoundMaskRule, BoundRowPolicy, ColumnPlan, Plan, RenderedPolicy, SkippedPolicy } from "./plan.js";
import type { PolicySet } from "./policy-set.js";
import { bindRowAction, sourceVisibilities } from "./rows.js";

/** Why a policy does not bind to this source, if it does not. */
function skipReason(policy: Policy, ds: DataSourceModel, facts: SourceFacts): SkippedPolicy["reason"] | undefined {
  if (policy.scope === "local") return undefined;
  if (policy.deleted) return "deleted";
  if (policy.staged) return "staged";
  if (ds.globalPolicies?.some((g) => g.id === policy.id && g.disabled === true)) return "disabled";
  if (!circumstancesHold(policy.circumstances, ds, facts)) return "circumstances";
  return undefined;
}

/** A (policy, action) that may mask a column: the rules that reach it and through how deep a tag. */
interface Candidate {
  readonly policy: Policy;
  readonly actionIndex: number;
  readonly ruleIndices: number[];
  depth: number;
}

/** Adds a rule reaching a column at `depth` to the column's candidates (one per policy action). */
function addCandidate(list: Candidate[], ref: RuleRef, depth: number): void {
  for (const c of list) {
    if (c.policy === ref.policy && c.actionIndex === ref.actionIndex) {
      if (!c.ruleIndices.includes(ref.ruleIndex)) c.ruleIndices.push(ref.ruleIndex);
      if (depth > c.depth) c.depth = depth;
      return;
    }
  }
  list.push({ policy: ref.policy, actionIndex: ref.actionIndex, ruleIndices: [ref.ruleIndex], depth });
}

/** Adds a rule after checking it exactly against the column (untagged selectors, `all` operators, local policies). */
function addChecked(list: Candidate[], ref: RuleRef, column: DataSourceModel["columns"][number]): void {
  const match = ruleReachesColumn(ref.policy.actions[ref.actionIndex]!.rules[ref.ruleIndex] as MaskingRule, column);
  if (match) addCandidate(list, ref, match.depth);
}

/** Every masking rule of `policies` as refs. */
function refsOf(policies: readonly Policy[]): RuleRef[] {
  return policies.flatMap((policy) => policy.actions.flatMap((action, actionIndex) => action.rules.flatMap((rule, ruleIndex) => (rule.kind === "masking" ? [{ policy, actionIndex, ruleIndex }] : []))));
}

/**
 * Per column, the (policy, action) candidates that reach it. Indexed: only the rules
 * under the column's tags and their ancestors, plus untagged selectors; unindexed
 * (`index: false`): every rule checked on every column — kept to test the index against.
 */
function columnCandidates(set: PolicySet, ds: DataSourceModel, binds: (p: Policy) => boolean, indexed: boolean): Candidate[][] {
  const local = refsOf(ds.localPolicies);
  const everything = indexed ? [] : refsOf(set.bundle.globalPolicies);
  return ds.columns.map((column) => {
    const list: Candidate[] = [];
    if (indexed) {
      for (const tag of column.tags ?? [])
        for (const a of tagAndAncestors(tag))
          for (const ref of set.index.byTag.get(a) ?? []) {
            if (!binds(ref.policy)) continue;
            const rule = ref.policy.actions[ref.actionIndex]!.rules[ref.ruleIndex] as MaskingRule;
            if (rule.fieldOperator === "all") addChecked(list, ref, column);
            else addCandidate(list, ref, tagDepth(a));
          }
      for (const ref of set.index.unindexed) if (binds(ref.policy)) addChecked(list, ref, column);
    }
    for (const ref of everything) if (binds(ref.policy)) addChecked(list, ref, column);
    for (const ref of local) addChecked(list, ref, column);
    return list;
  });
}

/** One bound policy per (policy, action, column) [seed]; its JSON and hash are rendered when first read. */
function bindColumn(set: PolicySet, ds: DataSourceModel, policy: Policy, actionIndex: number, columnIndex: number, ruleIndices: readonly number[]): BoundMaskingPolicy | undefined {
  const action = policy.actions[actionIndex]!;
  const column = ds.columns[columnIndex]!;
  const type = columnTypeOf(column.dataType)!;
  const rules: BoundMaskRule[] = [];
  let tag: string | null = null;
  let depth = -1;
  for (const ruleIndex of ruleIndices) {
    const rule = action.rules[ruleIndex] as MaskingRule;
    const match = ruleReachesColumn(rule, column);
    if (!match) continue;
    if (match.depth > depth) ({ tag, depth } = match);
    const { mask, changed } = fitMask(rule.mask, type);
    rules.push({
      rule,
      ruleIndex,
      mask,
      changedOnApply: changed,
      exceptions: rule.exceptions ? set.compiledOf(rule.exceptions) : null,
      inclusions: rule.inclusions ? set.compiledOf(rule.inclusions) : null,
    });
  }
  if (rules.length === 0) return undefined;
  const originalId = originalPolicyId(policy, actionIndex, column.name, rules[0]!.rule.mask);
  const boundTag = tag;
  let rendered: RenderedPolicy | undefined;
  return {
    policy,
    actionIndex,
    column: column.name,
    columnIndex,
    tag,
    depth,
    rules,
    originalPolicyId: originalId,
    // Rendering (and hashing) only when a report asks: most decisions never need it.
    get rendered(): RenderedPolicy {
      return (rendered ??= renderBoundPolicy(
        "masking",
        rules.map((r) => renderMaskRule(r.rule, column.name, r.mask)),
        renderGlobal(policy, ds, boundTag, rules.some((r) => r.changedOnApply) ? ["dataTypeMismatch"] : [], originalId),
        action.description,
      ));
    },
  };
}

/** Options for `compilePlan`; `index: false` binds by checking every rule on every column. */
export interface CompileOptions {
  readonly index?: boolean;
}

/**
 * Binds the policy set to one data source: circumstances, one bound policy per
 * masked column, type fallbacks, conflicts. Depends only on the data source and the
 * policies — never on the user — so it is computed once and cached.
 */
export function compilePlan(set: PolicySet, ds: DataSourceModel, options: CompileOptions = {}): Plan {
  const facts = sourceFacts(ds);
  const binds = new Map<Policy, boolean>();
  const policyBinds = (p: Policy) => {
    let b = binds.get(p);
    if (b === undefined) binds.set(p, (b = skipReason(p, ds, facts) === undefined));
    return b;
  };

  const candidates = columnCandidates(set, ds, policyBinds, options.index !== false);
  const rowPolicies: BoundRowPolicy[] = [];
  const skippedActions: SkippedPolicy[] = [];
  const rowActions = [...set.index.rowActions, ...ds.localPolicies.flatMap((policy) => policy.actions.map((a, actionIndex) => ({ policy, actionIndex, a })).filter((x) => x.a.rules.some((r) => r.kind === "row")))];
  for (const { policy, actionIndex } of rowActions) {
    if (!policyBinds(policy)) continue;
    const row = bindRowAction(set, ds, policy, actionIndex);
    if (row.bound) rowPolicies.push(row.bound);
    if (row.skipped) skippedActions.push(row.skipped);
  }
  // Row predicates AND in authoring order, so shuffling the policy list changes nothing (law 2).
  rowPolicies.sort((a, b) => compareAuthored(a.policy, b.policy) || a.actionIndex - b.actionIndex);

  const columns: ColumnPlan[] = [];
  candidates.forEach((list, columnIndex) => {
    if (list.length === 0) return;
    // Only the winner is bound now; the losers (for explain and lint) when first asked for.
    list.sort(compareMaskingPriority);
    const bind = (c: Candidate) => bindColumn(set, ds, c.policy, c.actionIndex, columnIndex, [...c.ruleIndices].sort((a, b) => a - b))!;
    const winner = bind(list[0]!);
    let losers: BoundMaskingPolicy[] | undefined;
    const column = ds.columns[columnIndex]!;
    columns.push({
      column: column.name,
      columnIndex,
      type: columnTypeOf(column.dataType)!,
      winner,
      get losers(): readonly BoundMaskingPolicy[] {
        return (losers ??= list.slice(1).map(bind));
      },
    });
  });
  const used = new Set(rowPolicies.flatMap((p) => p.rules.flatMap((r) => r.matchColumns)));
  const rowColumns = ds.columns.map((c) => c.name).filter((name) => used.has(name));
  let skipped: SkippedPolicy[] | undefined;
  return {
    dataSource: ds,
    columns,
    rowPolicies,
    rowColumns,
    visibilities: sourceVisibilities(ds, rowColumns),
    // Every policy that does not bind, and why: for explain and lint, computed when asked.
    get skipped(): readonly SkippedPolicy[] {
      return (skipped ??= [
        ...set.bundle.globalPolicies.flatMap((policy) => {
          const reason = skipReason(policy, ds, facts);
          return reason ? [{ policy, reason }] : [];
        }),
        ...skippedActions,
      ]);
    },
  };
}

export { compilePolicySet, type PolicySet } from "./policy-set.js";
