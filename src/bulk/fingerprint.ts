import type { Plan } from "../compile/plan.js";

/**
 * Everything in a plan that a decision can depend on, as one string: two plans with
 * equal fingerprints give every user the same decisions, so diff skips the source.
 */
export function planFingerprint(plan: Plan): string {
  const ds = plan.dataSource;
  return JSON.stringify([
    plan.columns.map((c) => [
      c.columnIndex,
      c.winner.rules.map((r) => [r.mask, r.rule.conditionalPredicate, r.exceptions?.condition.logic ?? null, r.inclusions?.condition.logic ?? null]),
    ]),
    plan.rowPolicies.map((p) => p.rules.map((r) => [r.rule, r.matchColumns, r.exceptions?.condition.logic ?? null, r.inclusions?.condition.logic ?? null])),
    plan.rowColumns,
    plan.visibilities,
    [ds.eventTime ?? null, ds.highCardinality ?? null],
  ]);
}
