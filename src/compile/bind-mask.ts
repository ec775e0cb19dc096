import type { DataSourceModel } from "../model/bundle.js";
import type { ColumnType } from "../model/data-type.js";
import type { MaskingRule, Policy } from "../model/policy.js";
import { originalPolicyId } from "./policy-ids.js";
import { fitMask } from "./fallback.js";
import { ruleReachesColumn } from "./fields.js";
import type { BoundMaskingPolicy, BoundMaskRule } from "./plan.js";
import type { MaskActionMemo, PolicySet } from "./policy-set.js";
import { anyTagReached, tagDepth } from "./tags.js";

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

/**
 * What binding keeps of an action (per set): whether it is uniform — each masking rule has
 * one selector, `columnTags` on the same tag (the common shape: one tag, a chain of
 * rules), so a column is reached by all of them or by none, through that tag, and one
 * check stands for a check per rule — and its bound rules, shared by every column and
 * source that binds them alike (immutable, so sharing is safe).
 */
function actionMemo(set: PolicySet, policy: Policy, actionIndex: number): MaskActionMemo {
  let perAction = set.maskRuleMemo.get(policy);
  if (!perAction) set.maskRuleMemo.set(policy, (perAction = []));
  let memo = perAction[actionIndex];
  if (!memo) {
    let tag: string | undefined;
    let count = 0;
    let uniform = true;
    for (const r of policy.actions[actionIndex]!.rules) {
      if (r.kind !== "masking") continue;
      const f = r.fields.length === 1 ? r.fields[0]! : undefined;
      if (f?.kind !== "columnTags" || (tag !== undefined && f.tag !== tag)) uniform = false;
      else tag = f.tag;
      count++;
    }
    const u = uniform && tag !== undefined ? { tag, depth: tagDepth(tag), count } : null;
    perAction[actionIndex] = memo = { uniform: u, all: new Map(), some: new Map() };
  }
  return memo;
}

/** Column types by identity, numbered (types are shared objects, so few numbers). */
const typeIds = new WeakMap<ColumnType, number>();
let nextTypeId = 0;
function typeId(t: ColumnType): number {
  let id = typeIds.get(t);
  if (id === undefined) typeIds.set(t, (id = nextTypeId++));
  return id;
}

/** The action's bound rules for these rule indices (all its masking rules when `all`) on a column of this type. */
function boundRules(
  set: PolicySet,
  memo: MaskActionMemo,
  policy: Policy,
  actionIndex: number,
  type: ColumnType,
  ruleIndices: readonly number[],
  all: boolean,
): readonly BoundMaskRule[] {
  const key = all ? undefined : `${typeId(type)}|${ruleIndices.join(",")}`;
  let rules = key === undefined ? memo.all.get(type) : memo.some.get(key);
  if (!rules) {
    const action = policy.actions[actionIndex]!;
    const out: BoundMaskRule[] = [];
    for (const ruleIndex of ruleIndices) {
      const rule = action.rules[ruleIndex] as MaskingRule;
      const { mask, changed } = fitMask(rule.mask, type);
      out.push({
        rule,
        ruleIndex,
        mask,
        changedOnApply: changed,
        exceptions: rule.exceptions ? set.compiledOf(rule.exceptions) : null,
        inclusions: rule.inclusions ? set.compiledOf(rule.inclusions) : null,
      });
    }
    rules = out;
    if (key === undefined) memo.all.set(type, rules);
    else memo.some.set(key, rules);
  }
  return rules;
}

function ascending(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! >= xs[i]!) return false;
  return true;
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
  const column = ds.columns[columnIndex]!;
  const type = ds.columnTypes[columnIndex]!;
  const sorted = ascending(ruleIndices) ? ruleIndices : [...ruleIndices].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const memo = actionMemo(set, policy, actionIndex);
  const u = memo.uniform;
  if (u) {
    if (!anyTagReached(u.tag, column.tags ?? [])) return undefined;
    // Ascending, distinct and as many as the action's masking rules: all of them.
    const all = sorted.length === u.count && ascending(sorted);
    return new BoundMask(policy, actionIndex, column.name, columnIndex, u.tag, u.depth, boundRules(set, memo, policy, actionIndex, type, sorted, all), ds);
  }
  const action = policy.actions[actionIndex]!;
  const reaching: number[] = [];
  let tag: string | null = null;
  let depth = -1;
  for (const ruleIndex of sorted) {
    const match = ruleReachesColumn(action.rules[ruleIndex] as MaskingRule, column);
    if (!match) continue;
    if (match.depth > depth) ({ tag, depth } = match);
    reaching.push(ruleIndex);
  }
  if (reaching.length === 0) return undefined;
  return new BoundMask(policy, actionIndex, column.name, columnIndex, tag, depth, boundRules(set, memo, policy, actionIndex, type, reaching, false), ds);
}
