import type { Decisions } from "../engine/engine.js";
import { renderAdditionalFilters, renderMasked, renderVisibilities } from "../report/policy-info.js";
import { visibilityCounts } from "../report/visibility-report.js";
import { rowAccess } from "./cell.js";
import { maskDecisions } from "../evaluate/masking.js";

/**
 * What one user can see of one data source: everything policyInfo and visibilityReport say
 * about access (masked columns with their kind and metadata, visibilities, filters, the
 * counts, the denial), and nothing about how the policies are written (see `policyText`). Two cells differ in
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
}

/** The masking half of a view: it reads only which rule of each column's winner applies. */
export type MaskPart = Pick<AccessView, "masked" | "maskedBy">;

/** Each applied rule's rendered mask, made once (a rule belongs to one plan and column). */
const maskTexts = new WeakMap<object, string>();

/** The text of a column's mask under one of its winner's rules, rendered once per rule. */
export function maskText(c: Decisions["plan"]["columns"][number], rule: Decisions["plan"]["columns"][number]["winner"]["rules"][number]): string {
  let text = maskTexts.get(rule);
  if (text === undefined) {
    const m = renderMasked([{ column: c.column, columnIndex: c.columnIndex, policy: c.winner, applied: rule, plan: c }])[0]!;
    maskTexts.set(rule, (text = JSON.stringify({ type: m.type, metadata: m.metadata, actionType: m.actionType })));
  }
  return text;
}

/** `maskPart` of a user on a plan, each column's mask text rendered once per rule. */
export function maskPartOf(plan: Decisions["plan"], u: Decisions["user"]): MaskPart {
  const masked: Record<string, string> = Object.create(null);
  const maskedBy: Record<string, string> = Object.create(null);
  for (const d of maskDecisions(plan, u)) {
    if (!d.applied) continue;
    masked[d.column] = maskText(d.plan, d.applied);
    maskedBy[d.column] = d.policy.policy.name;
  }
  return { masked, maskedBy };
}

/** The row half of a view: it reads only the row decision (and `now`, for time windows). */
export type RowPart = Pick<
  AccessView,
  "visibilities" | "visibilityRuleApplies" | "filters" | "noVisibilities" | "dataSourceVisibilitiesCount" | "userVisibilitiesCount" | "denied" | "rows"
>;

export function maskPart(masks: Decisions["masks"]): MaskPart {
  // The same renderers policyInfo and visibilityReport use, without rendering the policies themselves.
  // Null-prototype: a column may be named `__proto__` or `constructor`.
  const masked: Record<string, string> = Object.create(null);
  const maskedBy: Record<string, string> = Object.create(null);
  for (const m of renderMasked(masks)) masked[m.name] = JSON.stringify({ type: m.type, metadata: m.metadata, actionType: m.actionType });
  for (const m of masks) if (m.applied) maskedBy[m.column] = m.policy.policy.name;
  return { masked, maskedBy };
}

export function rowPart(plan: Decisions["plan"], rows: Decisions["rows"], nowMs: number | null): RowPart {
  return {
    visibilities: renderVisibilities(plan, rows).map((v) => JSON.stringify(v)),
    visibilityRuleApplies: rows.visibility !== null,
    filters: JSON.stringify(renderAdditionalFilters(rows, nowMs)),
    ...visibilityCounts(plan, rows),
    denied: rows.denied,
    rows: rowAccess(rows),
  };
}

/** Names of the row policies whose rule applies to the user (attribution, not access). */
export function rowPolicyNames(rows: Decisions["rows"]): string[] {
  return rows.policies.filter((p) => p.applied !== null).map((p) => p.policy.policy.name);
}

/** The access view of one decision. */
export function accessView(d: Decisions): AccessView {
  return {
    ...maskPart(d.masks),
    ...rowPart(d.plan, d.rows, d.nowMs),
    allowMaskedJoins: d.user.project?.allowMaskedJoins === true,
    rowPolicies: rowPolicyNames(d.rows),
  };
}

/** The access part of a view as one string: equal keys, equal access. */
export function accessKey(v: AccessView): string {
  const { maskedBy: _by, rowPolicies: _rp, noVisibilities: _nv, ...access } = v;
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
