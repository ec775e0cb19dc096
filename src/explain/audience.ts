/**
 * Audiences in words: for each rule of a first-match chain, whether it applied and the
 * exact group, attribute or purpose tests that decided it.
 */
import type { CompiledCondition } from "../compile/plan.js";
import type { Policy } from "../model/policy.js";
import { ruleOutcomes, type RuleAudience } from "../evaluate/audience.js";
import { holds, type PreparedUser } from "../evaluate/subject.js";
import { failedClosed } from "../evaluate/verdict.js";
import { compileLogic } from "../lang/logic.js";
import type { Subject } from "../lang/subject.js";
import type { LogicRule } from "../lang/logic.js";
import type { Condition } from "../model/policy.js";
import type { ConditionExplanation, ConditionItemExplanation, PolicyRef, RuleExplanation } from "./types.js";

/** A policy action as a reader finds it in the bundle. */
export function policyRef(policy: Policy, actionIndex: number): PolicyRef {
  return { name: policy.name, id: policy.id, scope: policy.scope, actionIndex };
}

/** The advanced expression's own term of a condition's logic: the last one, after the group/attribute/purpose items. */
function advancedTerm(c: Condition): LogicRule | undefined {
  if (c.report.advanced === undefined) return undefined;
  if (c.report.conditions.length === 0) return c.logic;
  const op = c.report.operator === "or" ? "or" : "and";
  const terms = typeof c.logic === "object" && c.logic !== null ? (c.logic as Record<string, unknown>)[op] : undefined;
  return Array.isArray(terms) ? (terms[terms.length - 1] as LogicRule) : undefined;
}

function itemOf(item: Condition["report"]["conditions"][number], s: Subject): ConditionItemExplanation {
  if (item.type === "groups") return { kind: "group", name: item.group.name, holds: s.groups.has(item.group.name) };
  if (item.type === "purposes") return { kind: "purpose", name: item.value, holds: s.purposes.has(item.value) };
  const { auth, value } = item.authorization;
  return { kind: "attribute", name: auth, value, holds: s.attributes.get(auth)?.has(value) ?? false };
}

/** A condition evaluated for the user: the whole, each test, and an advanced expression apart. */
export function explainCondition(c: CompiledCondition, u: PreparedUser): ConditionExplanation {
  const cond = c.condition;
  const s = u.subject;
  const out: ConditionExplanation = {
    operator: cond.report.operator === "and" ? "all" : "any",
    holds: holds(u, c) ?? null,
    items: cond.report.conditions.map((item) => itemOf(item, s)),
  };
  const term = advancedTerm(cond);
  if (cond.report.advanced === undefined) return out;
  const test = term === undefined ? undefined : compileLogic(term);
  return { ...out, advanced: { expression: cond.report.advanced, holds: test?.ok ? test.value(s) : null } };
}

/** Each rule of a chain: applied or not, the outcome, and its conditions evaluated. */
export function explainRules(rules: readonly RuleAudience[], u: PreparedUser): RuleExplanation[] {
  const outcomes = ruleOutcomes(rules, u);
  return rules.map((r, i) => {
    const o = outcomes[i]!;
    return {
      ruleIndex: r.ruleIndex,
      applied: o.applied,
      outcome: o.outcome,
      exceptions: r.exceptions ? explainCondition(r.exceptions, u) : null,
      inclusions: r.inclusions ? explainCondition(r.inclusions, u) : null,
      failedClosed: o.applied && failedClosed(r, u),
    };
  });
}
