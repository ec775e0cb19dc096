/**
 * What `explain` returns: plain JSON-serialisable data, in Veil's own names (not
 * Immuta's report shapes). docs/explain.md describes each part.
 */
import type { AudienceOutcome } from "../evaluate/audience.js";
import type { HiddenBy, RowAccess, RowEffectKind } from "../evaluate/verdict.js";
import type { SkippedPolicy } from "../compile/plan.js";

/** A policy (one action of it) as a reader finds it in the bundle. */
export interface PolicyRef {
  readonly name: string;
  /** Immuta's id; null for a local policy. */
  readonly id: number | null;
  readonly scope: "global" | "local";
  readonly actionIndex: number;
}

/** One group, attribute or purpose test of a condition, and whether the user passes it. */
export interface ConditionItemExplanation {
  readonly kind: "group" | "attribute" | "purpose";
  /** The group, attribute name or purpose. */
  readonly name: string;
  /** The attribute value, for attribute tests. */
  readonly value?: string;
  readonly holds: boolean;
}

/** An exceptions or inclusions condition, evaluated for the user. */
export interface ConditionExplanation {
  readonly operator: "any" | "all";
  /** Whether the whole condition holds; null when it cannot be evaluated (it then fails closed). */
  readonly holds: boolean | null;
  readonly items: readonly ConditionItemExplanation[];
  /** An advanced expression of the condition, and whether it holds (null: cannot be evaluated). */
  readonly advanced?: { readonly expression: string; readonly holds: boolean | null };
}

/** One rule of a first-match chain: whether it applied, and why. */
export interface RuleExplanation {
  /** The rule's index within its action, as authored. */
  readonly ruleIndex: number;
  readonly applied: boolean;
  readonly outcome: AudienceOutcome | "earlier-rule-applied";
  readonly exceptions: ConditionExplanation | null;
  readonly inclusions: ConditionExplanation | null;
  /** The rule applies only because a condition of it cannot be evaluated (fail closed). */
  readonly failedClosed: boolean;
}

/** A mask in Immuta's terms, as policyInfo shows it. */
export interface MaskExplanation {
  readonly type: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly actionType: string;
  /** Set when the mask applies only to rows where this predicate holds. */
  readonly conditionalPredicate?: string;
}

/** A masking rule of the winning policy on a column. */
export interface MaskRuleExplanation extends RuleExplanation {
  /** The mask this rule puts on the column (after any fallback). */
  readonly mask: MaskExplanation;
  /** The authored mask did not fit the column's type: Nullify instead (`changedOnApply: ["dataTypeMismatch"]`). */
  readonly fallback: { readonly authored: MaskExplanation; readonly changedOnApply: readonly ["dataTypeMismatch"] } | null;
}

/** Why a policy lost a column's conflict. */
export type LostBecause = "local-policy" | "deeper-tag" | "authored-first" | "earlier-action";

export interface LoserExplanation {
  readonly policy: PolicyRef;
  readonly tag: string | null;
  /** null: a local policy naming the column. */
  readonly depth: number | null;
  readonly because: LostBecause;
  /** The comparison in words, naming both sides. */
  readonly detail: string;
}

/** One column of the data source. */
export interface ColumnExplanation {
  readonly column: string;
  readonly dataType: string;
  readonly tags: readonly string[];
  /** The mask that applies to the user, or null: the column is clear. */
  readonly mask: MaskExplanation | null;
  /** The policy that won the column (it decides even when none of its rules applies); null when no policy reaches the column. */
  readonly policy: PolicyRef | null;
  /** The tag through which the winner reached the column, and its depth (null tag: a selector without a tag; null depth: a local policy naming the column). */
  readonly tag: string | null;
  readonly depth: number | null;
  /** The winning policy's rules that reach the column, in order. */
  readonly rules: readonly MaskRuleExplanation[];
  /** The policies that lost the column's conflict, best first. */
  readonly lost: readonly LoserExplanation[];
}

/** One match of an entitlement rule: the user's values for it and those found in the column. */
export interface EntitlementMatchExplanation {
  readonly type: "group" | "attribute" | "purpose";
  readonly attribute: string | null;
  readonly column: string;
  readonly userValues: readonly string[];
  /** The user's values that occur in the column's visibilities. */
  readonly matched: readonly string[];
}

/** What an applying row rule restricts, by kind. */
export type RowRuleDetail =
  | {
      readonly kind: "entitlements";
      readonly operator: "any" | "all";
      readonly matches: readonly EntitlementMatchExplanation[];
      /** Visibilities this rule allows, of the source's total. */
      readonly visible: number;
      readonly total: number;
    }
  | {
      readonly kind: "customWhere";
      readonly authored: string;
      /** The predicate for this user, in the source's dialect; null when it cannot be applied (see `reason`). */
      readonly predicate: string | null;
      readonly reason?: string;
    }
  | {
      readonly kind: "time";
      readonly seconds: number;
      readonly direction: "newer" | "older";
      readonly column: string | null;
      /** The window's start at `now`, when `now` is given. */
      readonly windowStart: string | null;
    }
  | { readonly kind: "minimization"; readonly percent: number; readonly hashPhrase: string | null }
  | { readonly kind: "purpose"; readonly operator: "any" | "all"; readonly purposes: readonly string[]; readonly met: boolean }
  | { readonly kind: "never" };

/** One bound row policy on the source. */
export interface RowPolicyExplanation {
  readonly policy: PolicyRef;
  /** Immuta's handler policy type: `rowOrObjectRestriction`, `time`, `minimization` or `prerequisite`. */
  readonly type: string;
  /** The rule that applies to the user (its index), or null: none does. */
  readonly applied: number | null;
  /** What the applying rule does to the user's rows; null when no rule applies. */
  readonly effect: RowEffectKind | null;
  readonly detail: RowRuleDetail | null;
  readonly rules: readonly RuleExplanation[];
}

/** Everything row-level: the verdict and each policy's part in it. */
export interface RowsExplanation {
  readonly access: RowAccess;
  readonly hiddenBy: HiddenBy | null;
  readonly denial: { readonly reason: string; readonly policy: PolicyRef; readonly ruleIndex: number } | null;
  readonly problems: readonly { readonly message: string; readonly policy: PolicyRef; readonly ruleIndex: number }[];
  /** The row-security columns and the visibilities the user sees; null when no entitlement rule applies. */
  readonly visibilities: {
    readonly columns: readonly string[];
    readonly total: number;
    readonly visible: readonly Readonly<Record<string, string | null>>[];
  } | null;
  readonly policies: readonly RowPolicyExplanation[];
}

/** One circumstance of a policy and whether the source satisfies it. */
export interface CircumstanceExplanation {
  readonly join: "and" | "or";
  /** The circumstance in words, e.g. ``tag `EU` on the data source``. */
  readonly circumstance: string;
  readonly holds: boolean;
}

/** A policy (or one action of it) that does not bind to this source. */
export interface SkippedExplanation {
  readonly name: string;
  readonly id: number | null;
  readonly reason: SkippedPolicy["reason"];
  readonly actionIndex?: number;
  readonly detail?: string;
  /** For `circumstances`: each circumstance and whether it holds here. */
  readonly circumstances?: readonly CircumstanceExplanation[];
}

/** Why a user sees what they see of one data source. */
export interface Explanation {
  readonly dataSource: { readonly id: number; readonly name: string; readonly dialect: string };
  readonly user: {
    readonly profileId: number;
    readonly name: string;
    readonly groups: readonly string[];
    readonly attributes: Readonly<Record<string, readonly string[]>>;
    /** The active purposes: those of the project the user acts under. */
    readonly purposes: readonly string[];
    readonly project: { readonly id: number; readonly name: string } | null;
  };
  /** The evaluation instant, when given. */
  readonly now: string | null;
  /** Every column of the source, in the source's order. */
  readonly columns: readonly ColumnExplanation[];
  readonly rows: RowsExplanation;
  /** Policies that do not bind here, and why. */
  readonly skipped: readonly SkippedExplanation[];
}
