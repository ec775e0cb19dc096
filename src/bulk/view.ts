import type { Decisions } from "../engine/engine.js";
import { renderPolicyInfo } from "../report/policy-info.js";
import { renderPolicySet, renderVisibilityReport } from "../report/visibility-report.js";
import { rowAccess } from "./cell.js";

/**
 * What one user can see of one data source: everything policyInfo and visibilityReport say
 * about access (masked columns with their kind and metadata, visibilities, filters, the
 * counts, the denial), and nothing about how the policies are written. Two cells differ in
 * access exactly when their views differ.
 */
export interface AccessView {
  /** Masked column → `type` and `metadata` as policyInfo renders them (JSON). */
  readonly masked: Readonly<Record<string, string>>;
  /** Masked column → the name of the policy that masks it. */
  readonly maskedBy: Readonly<Record<string, string>>;
  /** Visible visibilities, each as JSON, in report order. */
  readonly visibilities: readonly string[];
  readonly visibilityRuleApplies: boolean;
  /** `additionalFilters` as JSON (time windows render against `now`). */
  readonly filters: string;
  /** Whether any row policy binds: how the source is governed, not what the user sees (not part of the access key). */
  readonly noVisibilities: boolean;
  readonly dataSourceVisibilitiesCount: number;
  readonly userVisibilitiesCount: number;
  readonly allowMaskedJoins: boolean;
  readonly denied: string | null;
  /** Row access: all rows, some (a restriction applies), or none. */
  readonly rows: "all" | "filtered" | "none";
  /** Names of the row policies whose rule applies to the user. */
  readonly rowPolicies: readonly string[];
  /** The rendered `policySet`: how the policies in effect are written (a policy change, not an access change). */
  readonly policySet: string;
}

/** The access view of one decision. */
export function accessView(d: Decisions): AccessView {
  const info = renderPolicyInfo(d.plan, d.masks, d.rows, d.nowMs);
  const report = renderVisibilityReport(d.plan, d.masks, d.rows, d.user.project, d.nowMs);
  const masked: Record<string, string> = {};
  const maskedBy: Record<string, string> = {};
  for (const m of info.masked) masked[m.name] = JSON.stringify({ type: m.type, metadata: m.metadata, actionType: m.actionType });
  for (const m of d.masks) if (m.applied) maskedBy[m.column] = m.policy.policy.name;
  return {
    masked,
    maskedBy,
    visibilities: info.visibilities.map((v) => JSON.stringify(v)),
    visibilityRuleApplies: info.visibilityRuleApplies,
    filters: JSON.stringify(info.additionalFilters),
    noVisibilities: report.noVisibilities,
    dataSourceVisibilitiesCount: report.dataSourceVisibilitiesCount,
    userVisibilitiesCount: report.userVisibilitiesCount,
    allowMaskedJoins: report.allowMaskedJoins,
    denied: report.denialReason ?? null,
    rows: rowAccess(d.rows),
    rowPolicies: d.rows.policies.filter((p) => p.applied !== null).map((p) => p.policy.policy.name),
    policySet: renderPolicySet(d.masks, d.rows),
  };
}

/** The access part of a view as one string: equal keys, equal access. */
export function accessKey(v: AccessView): string {
  const { maskedBy: _by, rowPolicies: _rp, policySet: _ps, noVisibilities: _nv, ...access } = v;
  return JSON.stringify(access);
}

/** A short summary of what a user sees, for users or sources present on one side only. */
export interface ViewSummary {
  readonly masked: readonly string[];
  readonly rows: "all" | "filtered" | "none";
  readonly visibilities: number;
  readonly denied: string | null;
}

export function viewSummary(v: AccessView): ViewSummary {
  return { masked: Object.keys(v.masked), rows: v.rows, visibilities: v.userVisibilitiesCount, denied: v.denied };
}
