import type { CompiledCondition } from "../compile/plan.js";
import { holds, type PreparedUser } from "./subject.js";

/** Why a rule did or did not apply to the user. */
export type AudienceOutcome = "everyone" | "not-excepted" | "excepted" | "included" | "not-included";

/** The audience part of any bound rule. */
export interface RuleAudience {
  readonly ruleIndex: number;
  readonly exceptions: CompiledCondition | null;
  readonly inclusions: CompiledCondition | null;
}

/** One rule of a first-match chain and what it meant for the user. */
export interface RuleOutcome {
  readonly ruleIndex: number;
  readonly outcome: AudienceOutcome | "earlier-rule-applied";
  readonly applied: boolean;
}

/**
 * Whether a rule's audience contains the user: everyone; everyone except (exceptions);
 * everyone who (inclusions) [doc]. A rule with both applies to the included who are
 * not excepted [ours]. A condition that cannot be evaluated fails closed: it never
 * excepts, and it always includes (the rule, which hides, applies) [ours].
 */
export function audienceOutcome(rule: Omit<RuleAudience, "ruleIndex">, u: PreparedUser): AudienceOutcome {
  if (rule.inclusions && holds(u, rule.inclusions) === false) return "not-included";
  if (rule.exceptions && holds(u, rule.exceptions) === true) return "excepted";
  if (rule.inclusions) return "included";
  return rule.exceptions ? "not-excepted" : "everyone";
}

/** Whether an outcome means the rule applies. */
export function applies(o: AudienceOutcome): boolean {
  return o === "everyone" || o === "not-excepted" || o === "included";
}

/**
 * Index of the first rule of a first-match chain whose audience contains the user, or -1.
 * A rule without inclusions (the common case) is decided inline: it applies unless its
 * exceptions hold, as `audienceOutcome` decides it.
 */
export function firstApplyingIndex(rules: readonly Omit<RuleAudience, "ruleIndex">[], u: PreparedUser): number {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (r.inclusions === null) {
      if (r.exceptions === null || holds(u, r.exceptions) !== true) return i;
    } else if (applies(audienceOutcome(r, u))) return i;
  }
  return -1;
}

/** What each rule of a chain meant for the user (conditions are memoised, so this is cheap). */
export function ruleOutcomes(rules: readonly RuleAudience[], u: PreparedUser): RuleOutcome[] {
  const first = firstApplyingIndex(rules, u);
  return rules.map((rule, i) =>
    first !== -1 && i > first
      ? { ruleIndex: rule.ruleIndex, outcome: "earlier-rule-applied" as const, applied: false }
      : { ruleIndex: rule.ruleIndex, outcome: audienceOutcome(rule, u), applied: i === first },
  );
}

/**
 * A first-match chain: the first rule whose audience contains the user applies, the
 * rest do not (an inclusions rule, then its otherwise rule) [doc; ordering ours].
 * Per-rule outcomes are left to `ruleOutcomes`: reports and explain need them, decisions do not.
 */
export function firstApplying<R extends RuleAudience>(rules: readonly R[], u: PreparedUser): R | null {
  const first = firstApplyingIndex(rules, u);
  return first === -1 ? null : rules[first]!;
}
