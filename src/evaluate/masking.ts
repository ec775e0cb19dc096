import type { BoundMaskingPolicy, BoundMaskRule, ColumnPlan, Plan } from "../compile/plan.js";
import { firstApplying } from "./audience.js";
import type { PreparedUser } from "./subject.js";

export { ruleOutcomes, type RuleOutcome } from "./audience.js";

/** The masking decision on one column, with its provenance. */
export interface MaskDecision {
  readonly column: string;
  readonly columnIndex: number;
  /** The policy that won the column's conflict (it decides, even if no rule applies). */
  readonly policy: BoundMaskingPolicy;
  /** The rule that masks the column for this user, or null: the column is clear (see `ruleOutcomes` for why). */
  readonly applied: BoundMaskRule | null;
  /** The column's plan: `plan.losers` lists the policies that lost its conflict (found when read). */
  readonly plan: ColumnPlan;
}

/** Masking on one column: the first rule of the winning policy whose audience holds applies. */
export function evaluateColumn(c: ColumnPlan, u: PreparedUser): MaskDecision {
  return { column: c.column, columnIndex: c.columnIndex, policy: c.winner, applied: firstApplying(c.winner.rules, u), plan: c };
}

/** Masking decisions for every column a policy reaches, in dictionary order (the user must be of the plan's set: see `checked.ts`). */
export function maskDecisions(plan: Plan, u: PreparedUser): MaskDecision[] {
  return plan.columns.map((c) => evaluateColumn(c, u));
}
