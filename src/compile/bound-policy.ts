import type { DataSource } from "../model/data-source.js";
import type { MaskingRule, MaskSpec, Policy } from "../model/policy.js";
import { policyHash } from "../report/policy-hash.js";
import type { RenderedPolicy } from "./plan.js";

/**
 * originalPolicyId: lower-cased parts joined with `(^_^)`: rule type, policy name,
 * column, authored masking type, then three parts empty for a plain policy [seed].
 * [ours] part 5 is the action number when a policy has several actions, part 6 is
 * `local` for a local policy, part 7 stays empty.
 */
export function originalPolicyId(policy: Policy, actionIndex: number, column: string, authored: MaskSpec): string {
  const part5 = policy.actions.length > 1 ? String(actionIndex + 1) : "";
  const part6 = policy.scope === "local" ? "local" : "";
  return ["masking", policy.name, column, authored.type, part5, part6, ""].map((p) => p.toLowerCase()).join("(^_^)");
}

/** A bound masking rule as Immuta renders it; key order is part of the hash [seed]. */
export function renderMaskRule(rule: MaskingRule, column: string, mask: MaskSpec): Record<string, unknown> {
  const config: Record<string, unknown> = { fields: [column], maskingConfig: { type: mask.type, metadata: { ...mask.metadata } } };
  if (rule.conditionalPredicate !== null) config["conditionalPredicate"] = rule.conditionalPredicate;
  const out: Record<string, unknown> = { type: "masking", config, exceptions: rule.exceptions ? rule.exceptions.report : null };
  if (rule.inclusions) out["inclusions"] = rule.inclusions.report;
  return out;
}

/**
 * The `global` object of a bound policy, keys in PostgreSQL jsonb order (shorter
 * keys first, then bytewise) [seed]. Local policies have none (`null`) [ours].
 */
export function renderGlobal(policy: Policy, ds: DataSource, tag: string | null, changedOnApply: string[], originalId: string): Record<string, unknown> | null {
  if (policy.scope === "local") return null;
  const l = policy.lifecycle;
  const perSource = ds.globalPolicies?.find((g) => g.id === policy.id);
  return {
    id: policy.id,
    tag,
    live: !policy.staged,
    name: policy.name,
    reason: perSource?.reason ?? null,
    staged: policy.staged,
    deleted: policy.deleted,
    conflict: null,
    disabled: false,
    metadata: l.metadata,
    template: l.template,
    createdAt: l.createdAt,
    createdBy: l.createdBy,
    policyKey: l.policyKey,
    updatedAt: l.updatedAt,
    clonedFrom: l.clonedFrom,
    certification: l.certification,
    createdByName: l.createdByName,
    changedOnApply,
    parentPolicyId: null,
    systemGenerated: l.systemGenerated,
    originalPolicyId: originalId,
    ownerRestrictions: l.ownerRestrictions,
  };
}

/** The whole bound policy: `{type, rules, global, description, policyHash}` [seed]. */
export function renderBoundPolicy(
  type: string,
  rules: Record<string, unknown>[],
  global: Record<string, unknown> | null,
  description: string | null,
): RenderedPolicy {
  return { type, rules, global, description, policyHash: policyHash(type, rules) };
}
