/**
 * The row verdict: what a user gets of a source's rows, decided once in `rowDecision`
 * and carried with the policy and rule that caused each part. Reports, bulk kernels
 * and explain read it rather than deriving access again from the decision's fields.
 */
import type { BoundRowPolicy, BoundRowRule, CompiledCondition, Plan } from "../compile/plan.js";
import type { RowRuleKind } from "../model/policy.js";
import type { RowDecision, RowPolicyDecision } from "./rows.js";
import { holds, type PreparedUser } from "./subject.js";

/** All rows, some rows (a restriction applies), or none. */
export type RowAccess = "all" | "filtered" | "none";

/**
 * Why no rows are shown, when none are: a never rule, a purpose restriction the user does
 * not meet, a decision that failed closed (see `problems`), or no visibility the user's
 * entitlements match. Only the last still renders without the predicate `false`.
 */
export type HiddenBy = "never" | "denial" | "problem" | "visibilities";

/**
 * What one applying rule does to the user's rows: restricts them (`filters`), hides them
 * all (`hides`: a never rule, an unmet purpose restriction, a rule that failed closed),
 * nothing because a stricter rule of its kind wins (`overridden`), or nothing because the
 * user meets it (`allows`: a purpose restriction).
 */
export type RowEffectKind = "filters" | "hides" | "overridden" | "allows";

/** One bound row policy whose rule applies to the user, and what that rule does. */
export interface RowEffect {
  readonly policy: BoundRowPolicy;
  readonly rule: BoundRowRule;
  readonly kind: RowRuleKind;
  readonly effect: RowEffectKind;
  /** The rule applies only because one of its conditions could not be evaluated (fail closed). */
  readonly failedClosed: boolean;
}

/** A purpose restriction that denies the user, with the policy it comes from. */
export interface RowDenial {
  readonly reason: string;
  readonly policy: BoundRowPolicy;
  readonly rule: BoundRowRule;
}

/** Why a decision failed closed, with the policy and rule it concerns. */
export interface RowProblem {
  readonly message: string;
  readonly policy: BoundRowPolicy;
  readonly rule: BoundRowRule;
}

/** The attributed verdict of one row decision. */
export interface RowVerdict {
  readonly access: RowAccess;
  readonly hiddenBy: HiddenBy | null;
  /** Every applying rule, one per bound row policy, in the plan's order. */
  readonly effects: readonly RowEffect[];
  readonly denial: RowDenial | null;
  readonly problems: readonly RowProblem[];
}

/** What `rowDecision` decided, before attribution: the rules behind its denial and problems. */
export interface VerdictFacts {
  readonly access: RowAccess;
  readonly hiddenBy: HiddenBy | null;
  readonly denied: string | null;
  readonly denialRule: BoundRowRule | null;
  readonly problems: readonly string[];
  /** `problemRules[i]` is the rule `problems[i]` concerns. */
  readonly problemRules: readonly BoundRowRule[];
}

/** What the access decision reads of a row decision. */
type AccessInputs = Pick<RowDecision, "never" | "problems" | "denied" | "visibility" | "predicates" | "time" | "minimization">;

/**
 * Why no rows are shown, if none are: a problem, a never rule, a denial, or an entitlement
 * rule that applies while no visibility passes it [ours]; null when some rows are shown.
 */
export function hiddenByOf(d: AccessInputs): HiddenBy | null {
  if (d.problems.length > 0) return "problem";
  if (d.never) return "never";
  if (d.denied !== null) return "denial";
  return d.visibility !== null && d.visibility.visible.length === 0 ? "visibilities" : null;
}

/** Access: none when something hides every row (`hiddenByOf`); filtered when any restriction applies; else all. */
export function accessOf(d: AccessInputs, hiddenBy: HiddenBy | null): RowAccess {
  if (hiddenBy !== null) return "none";
  return d.visibility !== null || d.predicates.length > 0 || d.time !== null || d.minimization !== null ? "filtered" : "all";
}

/** Whether a purpose rule's purposes are met by the user's active purposes. */
export function purposeMet(rule: { readonly operator: "any" | "all"; readonly purposes: readonly string[] }, u: PreparedUser): boolean {
  const active = u.subject.purposes;
  return rule.operator === "all" ? rule.purposes.every((p) => active.has(p)) : rule.purposes.some((p) => active.has(p));
}

/** Whether a rule (row or mask) that applies does so only because a condition of it cannot be evaluated. */
export function failedClosed(r: { readonly exceptions: CompiledCondition | null; readonly inclusions: CompiledCondition | null }, u: PreparedUser): boolean {
  return (r.exceptions !== null && holds(u, r.exceptions) === undefined) || (r.inclusions !== null && holds(u, r.inclusions) === undefined);
}

function effectOf(r: BoundRowRule, d: RowDecision, u: PreparedUser, problemRules: readonly BoundRowRule[]): RowEffectKind {
  const rule = r.rule;
  if (problemRules.includes(r)) return "hides";
  switch (rule.rowKind) {
    case "entitlements":
      return "filters";
    case "customWhere":
      return r.where?.status === "bound" ? "filters" : "hides";
    case "time":
      // A time or minimization rule may fail closed through another rule's problem: then it hides too.
      if (d.time === null) return "hides";
      return d.time.direction === rule.direction && d.time.seconds === rule.seconds ? "filters" : "overridden";
    case "minimization":
      if (d.minimization === null) return "hides";
      return d.minimization.percent === rule.percent ? "filters" : "overridden";
    case "purpose":
      return purposeMet(rule, u) ? "allows" : "hides";
    case "never":
      return "hides";
  }
}

/** The bound row policy a rule of the plan belongs to (each rule belongs to one within a plan). */
function policyOf(plan: Plan, rule: BoundRowRule): BoundRowPolicy {
  return plan.rowPolicies.find((p) => p.rules.includes(rule))!;
}

/** Attributes a decision's verdict to its policies and rules; built only when asked (explain, tools). */
export function attributeVerdict(plan: Plan, u: PreparedUser, d: RowDecision, policies: readonly RowPolicyDecision[], f: VerdictFacts): RowVerdict {
  const effects: RowEffect[] = [];
  for (const p of policies) {
    const r = p.applied;
    if (r === null) continue;
    effects.push({ policy: p.policy, rule: r, kind: r.rule.rowKind, effect: effectOf(r, d, u, f.problemRules), failedClosed: failedClosed(r, u) });
  }
  return {
    access: f.access,
    hiddenBy: f.hiddenBy,
    effects,
    denial: f.denied !== null && f.denialRule !== null ? { reason: f.denied, policy: policyOf(plan, f.denialRule), rule: f.denialRule } : null,
    problems: f.problems.map((message, i) => {
      const rule = f.problemRules[i]!;
      return { message, policy: policyOf(plan, rule), rule };
    }),
  };
}
