/**
 * The one internal policy model that v1 JSON, V2 policy-as-code and local handler
 * policies are normalised into on load. Declared by hand: it never comes from outside.
 */
import type { LogicRule as RulesLogic } from "../lang/logic.js";
import type { PredicateTemplate } from "../lang/predicate.js";
import type { Result } from "../errors.js";
import type { DialectId } from "../sql/dialect.js";
import type { V1MaskType } from "./masking-config.js";

/** Where a global policy applies (semantics §2). */
export type Circumstance =
  | { readonly kind: "tags"; readonly tag: string }
  | { readonly kind: "columnTags"; readonly tag: string }
  | { readonly kind: "columnRegex"; readonly regex: string; readonly caseInsensitive: boolean }
  | { readonly kind: "anyTag" }
  | { readonly kind: "noTags" }
  | { readonly kind: "server"; readonly server: string }
  | { readonly kind: "time"; readonly startDate: string | null; readonly endDate: string | null }
  | { readonly kind: "domains"; readonly domains: readonly { readonly id?: string; readonly name?: string }[] };

/** A circumstance and the operator joining it to those before it (left fold). */
export interface JoinedCircumstance {
  readonly join: "and" | "or";
  readonly circumstance: Circumstance;
}

/** Which columns a masking rule reaches. */
export type FieldSelector =
  | { readonly kind: "columnTags"; readonly tag: string }
  | { readonly kind: "columnName"; readonly column: string }
  | { readonly kind: "anyTag" }
  | { readonly kind: "noTags" }
  | { readonly kind: "allColumns" }
  | { readonly kind: "columnRegex"; readonly regex: string; readonly caseInsensitive: boolean };

/** A v1 condition item, as reports render it. */
export type ReportConditionItem =
  | { type: "groups"; group: { name: string } }
  | { type: "authorizations"; authorization: { auth: string; value: string } }
  | { type: "purposes"; value: string };

/** An audience condition: its JSON Logic (evaluated) and its v1 form (reported, hashed). */
export interface Condition {
  readonly logic: RulesLogic;
  readonly report: { operator: "or" | "and"; conditions: ReportConditionItem[]; advanced?: string };
}

/** Who a rule applies to: everyone, everyone except, or everyone who. */
export interface Audience {
  readonly exceptions: Condition | null;
  readonly inclusions: Condition | null;
}

/** A mask in Immuta's v1 terms; `metadata` keys are in canonical order. */
export interface MaskSpec {
  readonly type: V1MaskType;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface MaskingRule extends Audience {
  readonly kind: "masking";
  readonly fields: readonly FieldSelector[];
  /** How the field selectors combine (`config.operator` in V2 exports; v1 is always `any`). */
  readonly fieldOperator: "any" | "all";
  readonly mask: MaskSpec;
  /** The authored conditional-mask predicate, as written (it is rendered). */
  readonly conditionalPredicate: string | null;
  /** The same predicate parsed per dialect, when there is one. */
  readonly conditionalTemplate: PredicateSource | null;
}

/**
 * An author's custom-WHERE predicate: its text, where it sits in the bundle, and its
 * template for each SQL dialect of the bundle's data sources (author SQL is lexed per
 * engine; `parseBundle` fills `templates` for every dialect its sources speak).
 */
export interface PredicateSource {
  readonly source: string;
  readonly path: readonly (string | number)[];
  readonly templates: Map<DialectId, Result<PredicateTemplate>>;
}

/** Row rule kinds, named after Immuta's V2 rule types. */
export type RowRuleKind = "customWhere" | "entitlements" | "time" | "minimization" | "purpose" | "never";

/** One "user entitlement ↔ column value" match of a row-visibility rule. */
export interface EntitlementMatch {
  readonly type: "group" | "attribute" | "purpose";
  /** The attribute name, for `attribute` matches. */
  readonly attribute: string | null;
  /** The column holding the values: named outright, or the column carrying a tag. */
  readonly target: { readonly tag: string } | { readonly column: string };
}

/** What a row rule restricts, by kind. */
export type RowSpec =
  | {
      readonly rowKind: "customWhere";
      readonly predicate: PredicateSource;
      /** The authored config, key order kept (it is rendered and hashed). */
      readonly config: Readonly<Record<string, unknown>>;
    }
  | { readonly rowKind: "entitlements"; readonly matches: readonly EntitlementMatch[]; readonly operator: "any" | "all" }
  | { readonly rowKind: "time"; readonly seconds: number; readonly direction: "newer" | "older" }
  | { readonly rowKind: "minimization"; readonly percent: number }
  | { readonly rowKind: "purpose"; readonly purposes: readonly string[]; readonly operator: "any" | "all" }
  | { readonly rowKind: "never" };

export type RowRule = Audience & { readonly kind: "row" } & RowSpec;

export type Rule = MaskingRule | RowRule;

export interface Action {
  readonly description: string | null;
  readonly rules: readonly Rule[];
}

/** Lifecycle fields rendered into a bound policy's `global` object. */
export interface PolicyLifecycle {
  readonly createdAt: string | null;
  /** `createdAt` in epoch ms, parsed once; +Infinity when absent (authored after dated policies). */
  readonly createdAtMs: number;
  readonly updatedAt: string | null;
  readonly createdBy: string | number | null;
  readonly createdByName: string | null;
  readonly policyKey: string;
  readonly template: boolean;
  readonly certification: unknown;
  readonly ownerRestrictions: unknown;
  readonly systemGenerated: boolean;
  readonly clonedFrom: number | null;
  readonly metadata: unknown;
}

/** A normalised global or local data policy. */
export interface Policy {
  readonly scope: "global" | "local";
  readonly format: "v1" | "v2";
  /** Immuta's id; `null` for local policies, which have none. */
  readonly id: number | null;
  readonly name: string;
  /** Position in the input: the authoring order when `createdAt` is absent. */
  readonly order: number;
  readonly staged: boolean;
  readonly deleted: boolean;
  readonly lifecycle: PolicyLifecycle;
  readonly circumstances: readonly JoinedCircumstance[];
  readonly actions: readonly Action[];
}

/** A normalised subscription policy (evaluated by the subscription stage). */
export interface SubscriptionPolicy {
  readonly id: number;
  readonly name: string;
  readonly order: number;
  readonly staged: boolean;
  readonly deleted: boolean;
  readonly circumstances: readonly JoinedCircumstance[];
  readonly subscriptionType: "automatic" | "approval" | "policy" | "manual";
  readonly audience: Condition | null;
  readonly allowDiscovery: boolean;
  readonly automaticSubscription: boolean;
  readonly shareResponsibility: boolean;
}
