/**
 * Plan types: everything about a (policy set, data source) pair that does not
 * depend on the user. Built once, evaluated for many users.
 */
import type { DataSourceModel } from "../model/bundle.js";
import type { ColumnType } from "../model/data-type.js";
import type { Condition, MaskingRule, MaskSpec, Policy, RowRule } from "../model/policy.js";
import type { Subject } from "../lang/subject.js";
import type { BoundWhere } from "./where.js";
import type { PolicySet } from "./policy-set.js";

/** A condition compiled once per policy set; `id` indexes per-user memo tables. */
export interface CompiledCondition {
  readonly id: number;
  readonly condition: Condition;
  /** The compiled test, or null when the condition could not be compiled (it then fails closed). */
  readonly test: ((s: Subject) => boolean) | null;
}

/** A masking rule bound to one column. */
export interface BoundMaskRule {
  readonly rule: MaskingRule;
  /** Index of the rule within its action, as authored. */
  readonly ruleIndex: number;
  /** The mask in effect on this column (after a type-mismatch fallback). */
  readonly mask: MaskSpec;
  readonly changedOnApply: boolean;
  readonly exceptions: CompiledCondition | null;
  readonly inclusions: CompiledCondition | null;
}

/** One handler policy per (policy, action, column) [seed]. */
export interface BoundMaskingPolicy {
  readonly policy: Policy;
  readonly actionIndex: number;
  readonly column: string;
  readonly columnIndex: number;
  /** The tag through which the policy reached the column; null for untagged selectors. */
  readonly tag: string | null;
  readonly depth: number;
  readonly rules: readonly BoundMaskRule[];
  readonly originalPolicyId: string;
  readonly dataSource: DataSourceModel;
}

/** A column's masking after conflicts: one winner, the rest kept for explain and lint. */
export interface ColumnPlan {
  readonly column: string;
  readonly columnIndex: number;
  readonly type: ColumnType;
  readonly winner: BoundMaskingPolicy;
  readonly losers: readonly BoundMaskingPolicy[];
}

/** A row rule bound to a data source, its columns resolved. */
export interface BoundRowRule {
  readonly rule: RowRule;
  /** Index of the rule within its action, as authored. */
  readonly ruleIndex: number;
  readonly exceptions: CompiledCondition | null;
  readonly inclusions: CompiledCondition | null;
  /** Entitlement rules: the column each match reads, in match order. */
  readonly matchColumns: readonly string[];
  /** Custom WHERE rules: the predicate bound to this source (columns resolved, read for its engine). */
  readonly where: BoundWhere | null;
  /** Equal for rules that test the same thing (entitlements: operator, matches, columns). */
  readonly signature: string;
}

/**
 * The row rules of one action of a policy: a first-match chain (an inclusions rule,
 * then its otherwise rule) [doc; ordering ours], rendered as one handler policy.
 */
export interface BoundRowPolicy {
  readonly policy: Policy;
  readonly actionIndex: number;
  readonly rules: readonly BoundRowRule[];
  readonly originalPolicyId: string;
  /** The handler policy type: `time`, `minimization`, `prerequisite` or `rowOrObjectRestriction`. */
  readonly type: string;
  readonly dataSource: DataSourceModel;
}

/** Why a policy (or one action of it) did not bind, for explain and lint. */
export interface SkippedPolicy {
  readonly policy: Policy;
  readonly reason: "staged" | "deleted" | "disabled" | "circumstances" | "ownerRestrictions" | "untaggedColumn";
  /** Set when only one action was skipped, with the detail. */
  readonly actionIndex?: number;
  readonly detail?: string;
}

export interface Plan {
  /** The policy set the plan was bound from: prepared users of that set only may be evaluated against it. */
  readonly policySet: PolicySet;
  readonly dataSource: DataSourceModel;
  /** Masked columns in dictionary order. */
  readonly columns: readonly ColumnPlan[];
  readonly rowPolicies: readonly BoundRowPolicy[];
  /**
   * The same row policies arranged for evaluation: one-rule, inclusion-free entitlement
   * rules grouped by what they test (one applying rule is enough for a group), the
   * rest as they are, in authoring order.
   */
  readonly rowEvaluation: { readonly entitlementGroups: readonly (readonly BoundRowRule[])[]; readonly others: readonly BoundRowPolicy[] };
  /** The row-security columns (those entitlement rules read), in dictionary order. */
  readonly rowColumns: readonly string[];
  /** The source's distinct value-combinations over `rowColumns` (null values kept as null). */
  readonly visibilities: readonly (readonly (string | null)[])[];
  readonly skipped: readonly SkippedPolicy[];
}
