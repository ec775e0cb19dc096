import type { DataSourceModel } from "../model/bundle.js";
import { columnTypeOf } from "../model/data-type.js";
import type { MaskingRule, Policy } from "../model/policy.js";
import { originalPolicyId, renderBoundPolicy, renderGlobal, renderMaskRule } from "./bound-policy.js";
import { circumstancesHold } from "./circumstances.js";
import { compareAuthored, resolveColumnConflict } from "./conflicts.js";
import { fitMask } from "./fallback.js";
import { ruleReachesColumn } from "./fields.js";
import type { BoundMaskingPolicy, BoundMaskRule, BoundRowPolicy, ColumnPlan, Plan, SkippedPolicy } from "./plan.js";
import { bindRowAction, sourceVisibilities } from "./rows.js";
import type { PolicySet } from "./policy-set.js";

/** Why a global policy does not bind to this source, if it does not. */
function skipReason(policy: Policy, ds: DataSourceModel): SkippedPolicy["reason"] | undefined {
  if (policy.scope === "local") return undefined;
  if (policy.deleted) return "deleted";
  if (policy.staged) return "staged";
  if (ds.globalPolicies?.some((g) => g.id === policy.id && g.disabled === true)) return "disabled";
  if (!circumstancesHold(policy.circumstances, ds)) return "circumstances";
  return undefined;
}

/** Binds one action of a policy to every column its masking rules reach: one bound policy per column [seed]. */
function bindMaskingAction(set: PolicySet, ds: DataSourceModel, policy: Policy, actionIndex: number): BoundMaskingPolicy[] {
  const action = policy.actions[actionIndex]!;
  const out: BoundMaskingPolicy[] = [];
  ds.columns.forEach((column, columnIndex) => {
    const type = columnTypeOf(column.dataType)!;
    const rules: BoundMaskRule[] = [];
    let tag: string | null = null;
    let depth = -1;
    action.rules.forEach((rule, ruleIndex) => {
      if (rule.kind !== "masking") return;
      const match = ruleReachesColumn(rule, column);
      if (!match) return;
      if (match.depth > depth) ({ tag, depth } = match);
      const { mask, changed } = fitMask(rule.mask, type);
      rules.push({
        rule,
        ruleIndex,
        mask,
        changedOnApply: changed,
        exceptions: rule.exceptions ? set.compiled.get(rule.exceptions)! : null,
        inclusions: rule.inclusions ? set.compiled.get(rule.inclusions)! : null,
      });
    });
    if (rules.length === 0) return;
    const changedOnApply = rules.some((r) => r.changedOnApply) ? ["dataTypeMismatch"] : [];
    const originalId = originalPolicyId(policy, actionIndex, column.name, (rules[0]!.rule as MaskingRule).mask);
    const rendered = renderBoundPolicy(
      "masking",
      rules.map((r) => renderMaskRule(r.rule, column.name, r.mask)),
      renderGlobal(policy, ds, tag, changedOnApply, originalId),
      action.description,
    );
    out.push({ policy, actionIndex, column: column.name, columnIndex, tag, depth, rules, originalPolicyId: originalId, rendered });
  });
  return out;
}

/**
 * Binds the policy set to one data source: circumstances, one bound policy per
 * masked column, type fallbacks, conflicts. Depends only on the data source and the
 * policies — never on the user — so it is computed once and cached.
 */
export function compilePlan(set: PolicySet, ds: DataSourceModel): Plan {
  const skipped: SkippedPolicy[] = [];
  const candidates: BoundMaskingPolicy[][] = ds.columns.map(() => []);
  const rowPolicies: BoundRowPolicy[] = [];
  const policies = [...set.bundle.globalPolicies, ...ds.localPolicies];
  for (const policy of policies) {
    const reason = skipReason(policy, ds);
    if (reason) {
      skipped.push({ policy, reason });
      continue;
    }
    policy.actions.forEach((action, actionIndex) => {
      for (const bound of bindMaskingAction(set, ds, policy, actionIndex)) candidates[bound.columnIndex]!.push(bound);
      if (!action.rules.some((r) => r.kind === "row")) return;
      const row = bindRowAction(set, ds, policy, actionIndex);
      if (row.bound) rowPolicies.push(row.bound);
      if (row.skipped) skipped.push(row.skipped);
    });
  }
  const columns: ColumnPlan[] = [];
  candidates.forEach((list, columnIndex) => {
    const resolved = resolveColumnConflict(list);
    if (!resolved) return;
    const column = ds.columns[columnIndex]!;
    columns.push({ column: column.name, columnIndex, type: columnTypeOf(column.dataType)!, ...resolved });
  });
  // Row predicates AND in authoring order, so shuffling the policy list changes nothing (law 2).
  rowPolicies.sort((a, b) => compareAuthored(a.policy, b.policy) || a.actionIndex - b.actionIndex);
  const used = new Set(rowPolicies.flatMap((p) => p.rules.flatMap((r) => r.matchColumns)));
  const rowColumns = ds.columns.map((c) => c.name).filter((name) => used.has(name));
  return { dataSource: ds, columns, rowPolicies, rowColumns, visibilities: sourceVisibilities(ds, rowColumns), skipped };
}

export { compilePolicySet, type PolicySet } from "./policy-set.js";
