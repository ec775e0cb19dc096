import type { BoundMaskRule } from "../compile/plan.js";
import { holds, type PreparedUser } from "./subject.js";

/** Why a rule did or did not apply to the user. */
export type AudienceOutcome = "everyone" | "not-excepted" | "excepted" | "included" | "not-included";

/**
 * Whether a rule's audience contains the user: everyone; everyone except (exceptions);
 * everyone who (inclusions) [doc]. A rule with both applies to the included who are
 * not excepted [ours]. A condition that cannot be evaluated fails closed: it never
 * excepts, and it always includes (the rule, which hides, applies) [ours].
 */
export function audienceOutcome(rule: Pick<BoundMaskRule, "exceptions" | "inclusions">, u: PreparedUser): AudienceOutcome {
  if (rule.inclusions && holds(u, rule.inclusions) === false) return "not-included";
  if (rule.exceptions && holds(u, rule.exceptions) === true) return "excepted";
  if (rule.inclusions) return "included";
  return rule.exceptions ? "not-excepted" : "everyone";
}

/** Whether an outcome means the rule applies. */
export function applies(o: AudienceOutcome): boolean {
  return o === "everyone" || o === "not-excepted" || o === "included";
}
