import type { DataSourceModel } from "../model/bundle.js";
import type { MaskingRule, Policy } from "../model/policy.js";
import { originalPolicyId } from "./policy-ids.js";
import { fitMask } from "./fallback.js";
import { ruleReachesColumn } from "./fields.js";
import type { BoundMaskingPolicy, BoundMaskRule } from "./plan.js";
import type { PolicySet } from "./policy-set.js";

/**
 * A bound masking policy. A class rather than a literal so a catalog of millions of
 * them shares one getter: the original policy id is built when first asked.
 */
class BoundMask implements BoundMaskingPolicy {
  #originalPolicyId: string | undefined;
  constructor(
    readonly policy: Policy,
    readonly actionIndex: number,
    readonly column: string,
    readonly columnIndex: number,
    readonly tag: string | null,
    readonly depth: number,
    readonly rules: readonly BoundMaskRule[],
    readonly dataSource: DataSourceModel,
  ) {}

  get originalPolicyId(): string {
    return (this.#originalPolicyId ??= originalPolicyId(this.policy, this.actionIndex, this.column, this.rules[0]!.rule.mask));
  }
}

/** One bound policy per (policy, action, column) [seed]: the action's rules that reach the column, fitted to its type. */
export function bindColumn(
  set: PolicySet,
  ds: DataSourceModel,
  policy: Policy,
  actionIndex: number,
  columnIndex: number,
  ruleIndices: readonly number[],
): BoundMaskingPolicy | undefined {
  const action = policy.actions[actionIndex]!;
  const column = ds.columns[columnIndex]!;
  const type = ds.columnTypes[columnIndex]!;
  const rules: BoundMaskRule[] = [];
  let tag: string | null = null;
  let depth = -1;
  for (const ruleIndex of ruleIndices.length > 1 ? [...ruleIndices].sort((a, b) => a - b) : ruleIndices) {
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
  return new BoundMask(policy, actionIndex, column.name, columnIndex, tag, depth, rules, ds);
}
