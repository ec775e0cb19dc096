import type { Plan } from "../compile/plan.js";
import type { RowRule } from "../model/policy.js";

/** A row rule's own settings; a custom WHERE counts through its binding (`where`), which holds its resolved columns. */
function rowSpecKey(rule: RowRule): unknown {
  if (rule.rowKind === "customWhere") return rule.predicate.source;
  const { exceptions: _e, inclusions: _i, ...spec } = rule;
  return spec;
}

/** A plan's fingerprint in parts: one per masked column (in dictionary order), and the row half. */
export interface PlanParts {
  /** Masked column names, in dictionary order. */
  readonly names: readonly string[];
  /** Per masked column: everything its decision depends on (position, mask rules and their audiences). */
  readonly columns: readonly string[];
  /** Everything the row decision depends on. */
  readonly rows: string;
  /** All of it: equal wholes, equal decisions for every user. */
  readonly whole: string;
}

export function planParts(plan: Plan): PlanParts {
  const ds = plan.dataSource;
  const columns = plan.columns.map((c) =>
    JSON.stringify([
      c.columnIndex,
      c.column,
      c.winner.rules.map((r) => [r.mask, r.rule.conditionalPredicate, r.exceptions?.condition.logic ?? null, r.inclusions?.condition.logic ?? null]),
    ]),
  );
  const rows = JSON.stringify([
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
  return { names: plan.columns.map((c) => c.column), columns, rows, whole: `[${columns.join(",")}]${rows}` };
}

/**
 * Everything in a plan that a decision can depend on, as one string: two plans with
 * equal fingerprints give every user the same decisions, so diff skips the source.
 */
export function planFingerprint(plan: Plan): string {
  return planParts(plan).whole;
}
