import type { Plan } from "../../src/compile/plan.js";
import { renderedPolicy } from "../../src/report/policy-json.js";

/** Everything a plan decides, as plain data, for comparing two ways of building it. */
export function planSnapshot(plan: Plan): unknown {
  return {
    columns: plan.columns.map((c) => ({
      column: c.column,
      winner: {
        id: c.winner.originalPolicyId,
        tag: c.winner.tag,
        depth: c.winner.depth,
        rules: c.winner.rules.map((r) => [r.ruleIndex, r.mask, r.changedOnApply]),
        rendered: renderedPolicy(c.winner),
      },
      losers: c.losers.map((l) => l.originalPolicyId),
    })),
    rows: plan.rowPolicies.map((p) => ({ id: p.originalPolicyId, rendered: renderedPolicy(p), columns: p.rules.map((r) => r.matchColumns) })),
    rowColumns: plan.rowColumns,
    visibilities: plan.visibilities,
    skipped: plan.skipped.map((s) => [s.policy.id, s.policy.scope, s.reason, s.actionIndex ?? null]),
  };
}
