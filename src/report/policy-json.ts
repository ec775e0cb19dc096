import { policyHash } from "./policy-hash.js";
import type { BoundMaskingPolicy, BoundRowPolicy } from "../compile/plan.js";
import type { DataSourceModel } from "../model/bundle.js";
import type { DataSource } from "../model/data-source.js";
import type { MaskingRule, MaskSpec, Policy, RowRule } from "../model/policy.js";

/**
 * Immuta's JSON for bound policies (handler `jsonPolicies` items) and their hashes.
 * Plans carry our own names; this is the only place that knows Immuta's shapes.
 */

/** The JSON Immuta renders for a bound policy (handler `jsonPolicies` item), minus `ruleAppliedForUser`. */
export interface RenderedPolicy {
  readonly type: string;
  readonly rules: readonly Record<string, unknown>[];
  readonly global: Record<string, unknown> | null;
  readonly description: string | null;
  readonly policyHash: string;
}

/** A bound masking rule as Immuta renders it; key order is part of the hash [seed]. */
function renderMaskRule(rule: MaskingRule, column: string, mask: MaskSpec): Record<string, unknown> {
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
function renderGlobal(policy: Policy, ds: DataSource, tag: string | null, changedOnApply: string[], originalId: string): Record<string, unknown> | null {
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
function renderBoundPolicy(type: string, rules: Record<string, unknown>[], global: Record<string, unknown> | null, description: string | null): PolicyContent {
  return { type, rules, global, description };
}

/** A rendered policy without its hash: the hash is a function of `type` and `rules`, so equal contents mean equal renderings. */
export type PolicyContent = Omit<RenderedPolicy, "policyHash">;

/** v1 rule type names for each row kind (handler `ruleType` values). */
const V1_RULE_TYPE = {
  entitlements: "visibility",
  customWhere: "customWhere",
  never: "showRowsNever",
  time: "time",
  minimization: "minimization",
  purpose: "prerequisite",
} as const;

function rowConfig(rule: RowRule, matchColumns: readonly string[], ds: DataSourceModel): Record<string, unknown> {
  switch (rule.rowKind) {
    case "entitlements":
      return {
        qualifications: {
          operator: rule.operator === "all" ? "and" : "or",
          conditions: rule.matches.map((m, i) => {
            const field = matchColumns[i]!;
            if (m.type === "group") return { type: "groups", field };
            if (m.type === "attribute") return { type: "authorizations", authorization: { auth: m.attribute }, field };
            return { type: "purposes", field };
          }),
        },
      };
    case "customWhere":
      return { ...rule.config };
    case "never":
      return {};
    case "time":
      return { time: rule.seconds, isOlderOrNewer: rule.direction, eventTimeColumn: ds.eventTime ?? null };
    case "minimization":
      return { percent: rule.percent, hashPhrase: ds.highCardinality ?? null };
    case "purpose":
      return { operator: rule.operator === "all" ? "and" : "or", conditions: rule.purposes.map((value) => ({ type: "purposes", value })) };
  }
}

/** A bound row rule in Immuta's v1 handler form: `{type, config, exceptions[, inclusions]}` [ours: no seed shows one]. */
function renderRowRule(rule: RowRule, matchColumns: readonly string[], ds: DataSourceModel): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: V1_RULE_TYPE[rule.rowKind],
    config: rowConfig(rule, matchColumns, ds),
    exceptions: rule.exceptions ? rule.exceptions.report : null,
  };
  if (rule.inclusions) out["inclusions"] = rule.inclusions.report;
  return out;
}

// Rendering and hashing is the costly part of a report, and a bound policy is immutable:
// each is rendered once, when a report first asks. Keyed by identity, so nothing leaks.
const contentCache = new WeakMap<BoundMaskingPolicy | BoundRowPolicy, PolicyContent>();
const renderedCache = new WeakMap<BoundMaskingPolicy | BoundRowPolicy, RenderedPolicy>();

function isMask(b: BoundMaskingPolicy | BoundRowPolicy): b is BoundMaskingPolicy {
  return "column" in b;
}

/** A bound masking or row policy as Immuta renders it, without the hash, rendered once per bound policy. */
export function policyContent(bound: BoundMaskingPolicy | BoundRowPolicy): PolicyContent {
  let out = contentCache.get(bound);
  if (!out) contentCache.set(bound, (out = renderPolicyContent(bound)));
  return out;
}

/** `policyContent`, rendered afresh and kept by nobody: for a caller that reads each policy once (diff over a catalog). */
export function renderPolicyContent(bound: BoundMaskingPolicy | BoundRowPolicy): PolicyContent {
  let out: PolicyContent;
  const description = bound.policy.actions[bound.actionIndex]!.description;
  if (isMask(bound)) {
    const changed = bound.rules.some((r) => r.changedOnApply) ? ["dataTypeMismatch"] : [];
    out = renderBoundPolicy(
      "masking",
      bound.rules.map((r) => renderMaskRule(r.rule, bound.column, r.mask)),
      renderGlobal(bound.policy, bound.dataSource, bound.tag, changed, bound.originalPolicyId),
      description,
    );
  } else {
    out = renderBoundPolicy(
      bound.type,
      bound.rules.map((r) => renderRowRule(r.rule, r.matchColumns, bound.dataSource)),
      renderGlobal(bound.policy, bound.dataSource, null, [], bound.originalPolicyId),
      description,
    );
  }
  return out;
}

/** A bound masking or row policy as Immuta renders it: `{type, rules, global, description, policyHash}` [seed]. */
export function renderedPolicy(bound: BoundMaskingPolicy | BoundRowPolicy): RenderedPolicy {
  let out = renderedCache.get(bound);
  if (out) return out;
  const c = policyContent(bound);
  out = { ...c, policyHash: policyHash(c.type, c.rules) };
  renderedCache.set(bound, out);
  return out;
}
