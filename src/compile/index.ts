import type { DataSourceModel } from "../model/bundle.js";
import { columnTypeOf } from "../model/data-type.js";
import type { MaskingRule, Policy } from "../model/policy.js";
import { tagAndAncestors, type RuleRef } from "./bind-index.js";
import { originalPolicyId, renderBoundPolicy, renderGlobal, renderMaskRule } from "./bound-policy.js";
import { circumstancesHold, sourceFacts, type SourceFacts } from "./circumstances.js";
import { compareAuthored, resolveColumnConflict } from "./conflicts.js";
import { fitMask } from "./fallback.js";
import { ruleReachesColumn } from "./fields.js";
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

/** Candidate (rule, column) pairs, grouped by (policy, action): a superset of what binds. */
type Candidates = Map<Policy, Map<number, Map<number, Set<number>>>>;

function addCandidate(c: Candidates, ref: RuleRef, columnIndex: number): void {
  let actions = c.get(ref.policy);
  if (!actions) c.set(ref.policy, (actions = new Map()));
  let columns = actions.get(ref.actionIndex);
  if (!columns) actions.set(ref.actionIndex, (columns = new Map()));
  let rules = columns.get(columnIndex);
  if (!rules) columns.set(columnIndex, (rules = new Set()));
  rules.add(ref.ruleIndex);
}

/** Every masking rule against every column: the unindexed path, kept to test the index against. */
export function allCandidates(policies: readonly Policy[], ds: DataSourceModel): Candidates {
  const c: Candidates = new Map();
  for (const policy of policies)
    policy.actions.forEach((action, actionIndex) =>
      action.rules.forEach((rule, ruleIndex) => {
        if (rule.kind === "masking") ds.columns.forEach((_, k) => addCandidate(c, { policy, actionIndex, ruleIndex }, k));
      }),
    );
  return c;
}

/** Only the rules the source's column tags can reach, through the policy set's tag index. */
function indexedCandidates(set: PolicySet, ds: DataSourceModel): Candidates {
  const c: Candidates = new Map();
  ds.columns.forEach((column, k) => {
    for (const tag of column.tags ?? []) for (const a of tagAndAncestors(tag)) for (const ref of set.index.byTag.get(a) ?? []) addCandidate(c, ref, k);
    for (const ref of set.index.unindexed) addCandidate(c, ref, k);
  });
  for (const [ref, k] of allCandidates(ds.localPolicies, ds).entries()) c.set(ref, k);
  return c;
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

  const perColumn: BoundMaskingPolicy[][] = ds.columns.map(() => []);
  const candidates = options.index === false ? allCandidates([...set.bundle.globalPolicies, ...ds.localPolicies], ds) : indexedCandidates(set, ds);
  for (const [policy, actions] of candidates) {
    if (!policyBinds(policy)) continue;
    for (const [actionIndex, columns] of actions)
      for (const [columnIndex, rules] of columns) {
        const bound = bindColumn(set, ds, policy, actionIndex, columnIndex, [...rules].sort((a, b) => a - b));
        if (bound) perColumn[columnIndex]!.push(bound);
      }
  }

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
  perColumn.forEach((list, columnIndex) => {
    const resolved = resolveColumnConflict(list);
    if (!resolved) return;
    const column = ds.columns[columnIndex]!;
    columns.push({ column: column.name, columnIndex, type: columnTypeOf(column.dataType)!, ...resolved });
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
