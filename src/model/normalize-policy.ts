import type { VeilIssue } from "../errors.js";
import { instantOr } from "../lang/instant.js";
import type { JsonPolicy, LocalMaskingRule } from "./data-source.js";
import { METADATA_KEYS, v2MaskType, type V1MaskingConfig, type V2MaskingConfig } from "./masking-config.js";
import { normalizeV1Condition, normalizeV2Condition } from "./normalize-condition.js";
import type { Action, Audience, FieldSelector, JoinedCircumstance, MaskSpec, Policy, PolicyLifecycle, PredicateSource, Rule } from "./policy.js";
import { predicateSource, rowSpecFromV1, rowSpecFromV2 } from "./normalize-row.js";
import type { V1Circumstance, V1MaskingRule, V1Policy, V1RowRule } from "./policy-v1.js";
import type { V2Circumstance, V2Policy, V2Rule } from "./policy-v2.js";
import type { V1Condition, V2Condition } from "./condition.js";

type Path = (string | number)[];
type DataPolicy<P> = Extract<P, { type: "data" }>;

/** Picks a mask's metadata keys in canonical order, so v1 and V2 render identically. */
function canonicalMask(type: MaskSpec["type"], metadata: Record<string, unknown>): MaskSpec {
  const out: Record<string, unknown> = {};
  for (const key of METADATA_KEYS[type]) if (metadata[key] !== undefined) out[key] = metadata[key];
  return { type, metadata: out };
}

export function maskFromV1(c: V1MaskingConfig): MaskSpec {
  return canonicalMask(c.type, c.metadata ?? {});
}

export function maskFromV2(c: V2MaskingConfig): MaskSpec {
  const { type, metadata, ...inline } = c;
  const lower = type.toLowerCase();
  const mapped = v2MaskType(type);
  if (!mapped) throw new Error(`unreachable: mask type ${type} passed validation`);
  const merged: Record<string, unknown> = { ...(metadata ?? {}), ...inline };
  // Hash/Null/Constant are one v1 type told apart by `constant`.
  if (lower === "hash" || lower === "hashing") return { type: mapped.type, metadata: {} };
  if (mapped.constant === null) return { type: mapped.type, metadata: { constant: null } };
  return canonicalMask(mapped.type, merged);
}

/** A v1 or V2 circumstance → Circumstance. */
export function circumstanceFrom(c: V1Circumstance | V2Circumstance): JoinedCircumstance["circumstance"] {
  switch (c.type) {
    case "tags":
      return { kind: "tags", tag: c.tag };
    case "columnTags":
      return { kind: "columnTags", tag: c.columnTag };
    case "columnRegex":
      return "columnRegex" in c
        ? { kind: "columnRegex", regex: c.columnRegex.regex, caseInsensitive: c.columnRegex.caseInsensitive ?? false }
        : { kind: "columnRegex", regex: c.regex, caseInsensitive: c.caseInsensitive ?? false };
    case "anyTag":
    case "noTags":
      return { kind: c.type };
    case "server":
      return { kind: "server", server: c.server };
    case "time":
      return { kind: "time", startDate: c.startDate ?? null, endDate: c.endDate ?? null };
    case "domains":
      return { kind: "domains", domains: c.domains };
  }
}

function audienceV1(r: { exceptions?: V1Condition | null; inclusions?: V1Condition | null }): Audience {
  return { exceptions: r.exceptions ? normalizeV1Condition(r.exceptions) : null, inclusions: r.inclusions ? normalizeV1Condition(r.inclusions) : null };
}

function audienceV2(r: { exceptions?: V2Condition; inclusions?: V2Condition }, path: Path, issues: VeilIssue[]): Audience {
  return {
    exceptions: r.exceptions ? normalizeV2Condition(r.exceptions, [...path, "exceptions"], issues) : null,
    inclusions: r.inclusions ? normalizeV2Condition(r.inclusions, [...path, "inclusions"], issues) : null,
  };
}

function ruleFromV2(r: V2Rule, path: Path, issues: VeilIssue[]): Rule {
  const audience = audienceV2(r, path, issues);
  if (r.type === "Masking") {
    const fields = r.config.fields.map(
      (f): FieldSelector =>
        f.type === "columnTags"
          ? { kind: "columnTags", tag: f.columnTag }
          : f.type === "columnRegex"
            ? { kind: "columnRegex", regex: f.regex, caseInsensitive: f.caseInsensitive ?? false }
            : { kind: f.type },
    );
    return {
      kind: "masking",
      ...audience,
      fields,
      fieldOperator: r.config.operator ?? "any",
      mask: maskFromV2(r.config.maskingConfig),
      ...conditional(r.config.conditionalPredicate, [...path, "config", "conditionalPredicate"]),
    };
  }
  return { kind: "row", ...audience, ...rowSpecFromV2(r, path, issues) };
}

/** A conditional mask's predicate, as authored and waiting to be parsed per dialect. */
function conditional(text: string | null | undefined, path: Path): { conditionalPredicate: string | null; conditionalTemplate: PredicateSource | null } {
  return text ? { conditionalPredicate: text, conditionalTemplate: predicateSource(text, path) } : { conditionalPredicate: null, conditionalTemplate: null };
}

function lifecycle(p: V1Policy | V2Policy): PolicyLifecycle {
  return {
    createdAt: p.createdAt ?? null,
    createdAtMs: instantOr(p.createdAt, Infinity),
    updatedAt: p.updatedAt ?? null,
    createdBy: p.createdBy ?? null,
    createdByName: p.createdByName ?? null,
    policyKey: p.policyKey ?? p.name,
    template: p.template ?? false,
    certification: p.certification ?? null,
    ownerRestrictions: p.ownerRestrictions ?? null,
    systemGenerated: p.systemGenerated ?? false,
    clonedFrom: p.clonedFrom ?? null,
    metadata: "metadata" in p ? (p.metadata ?? null) : null,
  };
}

/** The header every global policy shares; a missing `id` becomes `defaultId` (see `defaultPolicyIds`). */
function globalPolicy(
  p: V1Policy | V2Policy,
  format: "v1" | "v2",
  order: number,
  defaultId: number,
  circumstances: JoinedCircumstance[],
  actions: Action[],
): Policy {
  return {
    scope: "global",
    format,
    id: p.id ?? defaultId,
    name: p.name,
    order,
    staged: p.staged ?? false,
    deleted: p.deleted ?? false,
    lifecycle: lifecycle(p),
    circumstances,
    actions,
  };
}

/** A V2 data policy → Policy; `circumstanceOperator` (default `any`) joins every circumstance. */
export function normalizeV2Policy(p: DataPolicy<V2Policy>, order: number, path: Path, issues: VeilIssue[], defaultId: number): Policy {
  const join = p.circumstanceOperator === "all" ? "and" : "or";
  const actions: Action[] = p.actions.map((a, ai) => ({
    description: a.description ?? null,
    rules: a.rules.map((r, ri) => ruleFromV2(r as V2Rule, [...path, "actions", ai, "rules", ri], issues)),
  }));
  return globalPolicy(
    p,
    "v2",
    order,
    defaultId,
    (p.circumstances ?? []).map((c) => ({ join, circumstance: circumstanceFrom(c) })),
    actions,
  );
}

type V1Field = V1MaskingRule["config"]["fields"][number];

function fieldFromV1(f: V1Field): FieldSelector {
  return f.type === "columnTags"
    ? { kind: "columnTags", tag: f.columnTag }
    : f.type === "columnRegex"
      ? { kind: "columnRegex", regex: f.regex, caseInsensitive: f.caseInsensitive ?? false }
      : { kind: f.type };
}

/** A v1 rule → Rule. Local handler rules name columns, global ones select by tag. */
function ruleFromV1(rule: V1MaskingRule | LocalMaskingRule | V1RowRule, path: Path, issues: VeilIssue[]): Rule {
  if (rule.type !== "masking") return { kind: "row", ...audienceV1(rule), ...rowSpecFromV1(rule, path, issues) };
  const fields = (rule.config.fields as (V1Field | string)[]).map(
    (f): FieldSelector => (typeof f === "string" ? { kind: "columnName", column: f } : fieldFromV1(f)),
  );
  return {
    kind: "masking",
    ...audienceV1(rule),
    fields,
    fieldOperator: "any",
    mask: maskFromV1(rule.config.maskingConfig),
    ...conditional(rule.config.conditionalPredicate, [...path, "config", "conditionalPredicate"]),
  };
}

/** A v1 data policy → Policy. Each circumstance's `operator` joins it to those before it [ours: left fold]. */
export function normalizeV1Policy(p: DataPolicy<V1Policy>, order: number, path: Path, issues: VeilIssue[], defaultId: number): Policy {
  const circumstances = (p.circumstances ?? []).map((c) => ({ join: c.operator ?? "or", circumstance: circumstanceFrom(c) }));
  const actions = p.actions.map((a, ai) => ({
    description: a.description ?? null,
    rules: a.rules.map((r, ri) => ruleFromV1(r, [...path, "actions", ai, "rules", ri], issues)),
  }));
  return globalPolicy(p, "v1", order, defaultId, circumstances, actions);
}

/** A local handler policy → Policy, named `<data source> local policy N` [ours]. */
export function normalizeLocalPolicy(p: JsonPolicy, order: number, dataSourceName: string, path: Path, issues: VeilIssue[]): Policy {
  const name = `${dataSourceName} local policy ${order + 1}`;
  return {
    scope: "local",
    format: "v1",
    id: null,
    name,
    order,
    staged: false,
    deleted: false,
    lifecycle: {
      createdAt: p.createdAt ?? null,
      createdAtMs: instantOr(p.createdAt, Infinity),
      updatedAt: null,
      createdBy: p.createdBy ?? null,
      createdByName: null,
      policyKey: name,
      template: false,
      certification: null,
      ownerRestrictions: null,
      systemGenerated: false,
      clonedFrom: null,
      metadata: null,
    },
    circumstances: [],
    actions: [{ description: p.description ?? null, rules: p.rules.map((r, ri) => ruleFromV1(r, [...path, "rules", ri], issues)) }],
  };
}
