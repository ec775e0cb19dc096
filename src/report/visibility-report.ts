import type { Plan } from "../compile/plan.js";
import { renderedPolicy, type RenderedPolicy } from "./policy-json.js";
import type { MaskDecision } from "../evaluate/masking.js";
import type { RowDecision } from "../evaluate/rows.js";
import type { Project } from "../model/user.js";
import { renderAdditionalFilters, renderMasked } from "./policy-info.js";

/** visibilityReport, keys in Immuta's order [seed]; `denialReason` last, only when denied [ours for placement]. */
export interface VisibilityReport {
  noVisibilities: boolean;
  dataSourceVisibilitiesCount: number;
  userVisibilitiesCount: number;
  masked: { type: string; metadata: Record<string, unknown>; name: string }[];
  dataSource: number;
  dataSourceName: string;
  additionalFilters: Record<string, unknown>;
  allowMaskedJoins: boolean;
  policySet: string;
  denialReason?: string;
}

function withApplied(rendered: RenderedPolicy, applied: readonly boolean[]): Record<string, unknown> {
  return { ...rendered, rules: rendered.rules.map((r, i) => ({ ...r, ruleAppliedForUser: applied[i] ?? false })) };
}

/**
 * `policySet`: the JSON string of the bound policies in effect (masking winners and
 * row policies), each rule with `ruleAppliedForUser`, ordered by originalPolicyId [seed; order ours].
 */
export function renderPolicySet(masks: readonly MaskDecision[], rows: RowDecision): string {
  const entries = [
    ...masks.map((m) => ({
      id: m.policy.originalPolicyId,
      json: withApplied(
        renderedPolicy(m.policy),
        m.policy.rules.map((r) => r === m.applied),
      ),
    })),
    ...rows.policies.map((p) => ({
      id: p.policy.originalPolicyId,
      json: withApplied(
        renderedPolicy(p.policy),
        p.policy.rules.map((r) => r === p.applied),
      ),
    })),
  ];
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.stringify(entries.map((e) => e.json));
}

/** The visibilityReport's counts for one user on one source. */
export function visibilityCounts(
  plan: Plan,
  rows: RowDecision,
): Pick<VisibilityReport, "noVisibilities" | "dataSourceVisibilitiesCount" | "userVisibilitiesCount"> {
  const total = plan.visibilities.length;
  return {
    // True when the source has no row-level or purpose policy, not "the user sees nothing" [seed].
    noVisibilities: plan.rowPolicies.length === 0,
    dataSourceVisibilitiesCount: total,
    userVisibilitiesCount: rows.access === "none" ? 0 : rows.visibility ? rows.visibility.visible.length : total,
  };
}

/** Renders visibilityReport for one user on one source. */
export function renderVisibilityReport(
  plan: Plan,
  masks: readonly MaskDecision[],
  rows: RowDecision,
  project: Project | null,
  nowMs: number | null,
): VisibilityReport {
  const counts = visibilityCounts(plan, rows);
  const report: VisibilityReport = {
    ...counts,
    masked: renderMasked(masks).map(({ type, metadata, name }) => ({ type, metadata, name })),
    dataSource: plan.dataSource.id,
    dataSourceName: plan.dataSource.name,
    additionalFilters: renderAdditionalFilters(rows, nowMs),
    allowMaskedJoins: project?.allowMaskedJoins === true,
    policySet: renderPolicySet(masks, rows),
  };
  if (rows.denied !== null) report.denialReason = rows.denied;
  return report;
}
