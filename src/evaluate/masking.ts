import type { BoundMaskingPolicy, BoundMaskRule, ColumnPlan, Plan } from "../compile/plan.js";
import { firstApplying } from "./audience.js";
import { holds, type PreparedUser } from "./subject.js";

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

/**
 * The first rule of a chain whose audience holds the user: `firstApplying`, with the
 * common rules (exceptions only, or everyone) decided inline. A rule applies unless its
 * exceptions hold (one that cannot be evaluated never excepts).
 */
function appliedRule(rules: readonly BoundMaskRule[], u: PreparedUser): BoundMaskRule | null {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (r.inclusions !== null) return firstApplying(rules.slice(i), u);
    if (r.exceptions === null || holds(u, r.exceptions) !== true) return r;
  }
  return null;
}

/** Masking on one column: the first rule of the winning policy whose audience holds applies. */
export function evaluateColumn(c: ColumnPlan, u: PreparedUser): MaskDecision {
  return { column: c.column, columnIndex: c.columnIndex, policy: c.winner, applied: appliedRule(c.winner.rules, u), plan: c };
}

/** Masking decisions for every column a policy reaches, in dictionary order (the user must be of the plan's set: see `checked.ts`). */
export function maskDecisions(plan: Plan, u: PreparedUser): MaskDecision[] {
  const columns = plan.columns;
  const out: MaskDecision[] = [];
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    out.push({ column: c.column, columnIndex: c.columnIndex, policy: c.winner, applied: appliedRule(c.winner.rules, u), plan: c });
  }
  return out;
}
