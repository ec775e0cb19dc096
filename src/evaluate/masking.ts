import type { BoundMaskingPolicy, BoundMaskRule, ColumnPlan, Plan } from "../compile/plan.js";
import { applies, audienceOutcome, type AudienceOutcome } from "./audience.js";
import type { PreparedUser } from "./subject.js";

/** One rule of the winning policy and what it meant for the user. */
export interface RuleOutcome {
  readonly ruleIndex: number;
  readonly outcome: AudienceOutcome | "earlier-rule-applied";
  readonly applied: boolean;
}

/** The masking decision on one column, with its provenance. */
export interface MaskDecision {
  readonly column: string;
  readonly columnIndex: number;
  /** The policy that won the column's conflict (it decides, even if no rule applies). */
  readonly policy: BoundMaskingPolicy;
  /** The rule that masks the column for this user, or null: the column is clear. */
  readonly applied: BoundMaskRule | null;
  readonly outcomes: readonly RuleOutcome[];
  /** Policies that lost the conflict on this column. */
  readonly losers: readonly BoundMaskingPolicy[];
}

/**
 * Masking on one column: the first rule of the winning policy whose audience holds
 * applies (an inclusions rule, then its otherwise rule) [doc; ordering ours].
 */
export function evaluateColumn(c: ColumnPlan, u: PreparedUser): MaskDecision {
  let applied: BoundMaskRule | null = null;
  const outcomes: RuleOutcome[] = [];
  for (const rule of c.winner.rules) {
    if (applied) {
      outcomes.push({ ruleIndex: rule.ruleIndex, outcome: "earlier-rule-applied", applied: false });
      continue;
    }
    const outcome = audienceOutcome(rule, u);
    const yes = applies(outcome);
    if (yes) applied = rule;
    outcomes.push({ ruleIndex: rule.ruleIndex, outcome, applied: yes });
  }
  return { column: c.column, columnIndex: c.columnIndex, policy: c.winner, applied, outcomes, losers: c.losers };
}

/** Masking decisions for every column a policy reaches, in dictionary order. */
export function evaluateMasking(plan: Plan, u: PreparedUser): MaskDecision[] {
  return plan.columns.map((c) => evaluateColumn(c, u));
}
