import type { Plan } from "../compile/plan.js";
import type { RowRule } from "../model/policy.js";

/** A row rule's own settings; a custom WHERE counts through its binding (`where`), which holds its resolved columns. */
function rowSpecKey(rule: RowRule): unknown {
  if (rule.rowKind === "customWhere") return rule.predicate.source;
  const { exceptions: _e, inclusions: _i, ...spec } = rule;
  return spec;
}

/**
 * Everything in a plan that a decision can depend on, as one string: two plans with
 * equal fingerprints give every user the same decisions, so diff skips the source.
 */
export function planFingerprint(plan: Plan): string {
  const ds = plan.dataSource;
  return JSON.stringify([
    plan.columns.map((c) => [
      c.columnIndex,
      c.column,
      c.winner.rules.map((r) => [r.mask, r.rule.conditionalPredicate, r.exceptions?.condition.logic ?? null, r.inclusions?.condition.logic ?? null]),
    ]),
    plan.rowPolicies.map((p) =>
      p.rules.map((r) => [
        r.rule.rowKind,
        rowSpecKey(r.rule),
        r.matchColumns,
        r.where,
        r.exceptions?.condition.logic ?? null,
        r.inclusions?.condition.logic ?? null,
      ]),
    ),
    plan.rowColumns,
    plan.visibilities,
    [ds.eventTime ?? null, ds.highCardinality ?? null, ds.dialect],
  ]);
}
