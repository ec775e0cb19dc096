/**
 * Rows in words: the verdict (all, filtered, none) and, for each bound row policy, the
 * rule that applies, what it does, and its detail: the visibilities and the user's
 * matching values, the predicate in the source's dialect, the window, the percent.
 */
import type { BoundRowRule, Plan } from "../compile/plan.js";
import type { RowDecision } from "../evaluate/rows.js";
import type { PreparedUser } from "../evaluate/subject.js";
import { purposeMet } from "../evaluate/verdict.js";
import { expandWhere } from "../evaluate/where.js";
import { windowStart } from "../lang/instant.js";
import type { EntitlementMatch, RowRule } from "../model/policy.js";
import { DIALECTS } from "../sql/dialects/index.js";
import { renderExpr } from "../sql/render.js";
import { explainRules, policyRef } from "./audience.js";
import type { EntitlementMatchExplanation, RowPolicyExplanation, RowRuleDetail, RowsExplanation } from "./types.js";

/** The user's values an entitlement match compares with the column, in the user's order. */
function userValues(m: EntitlementMatch, u: PreparedUser): string[] {
  if (m.type === "group") return [...(u.user.groups ?? [])];
  if (m.type === "purpose") return [...(u.project?.purposes ?? [])];
  const a = u.user.authorizations;
  // Own keys only: an attribute named `constructor` is just a name.
  return a && m.attribute !== null && Object.hasOwn(a, m.attribute) ? [...a[m.attribute]!] : [];
}

function entitlementDetail(plan: Plan, r: BoundRowRule, rule: Extract<RowRule, { rowKind: "entitlements" }>, u: PreparedUser): RowRuleDetail {
  const matches: EntitlementMatchExplanation[] = rule.matches.map((m, i) => {
    const column = r.matchColumns[i]!;
    const index = plan.rowColumns.indexOf(column);
    const present = new Set(plan.visibilities.map((combo) => combo[index]));
    const values = userValues(m, u);
    return { type: m.type, attribute: m.attribute, column, userValues: values, matched: values.filter((v) => present.has(v)) };
  });
  // The visibilities this rule alone allows: a null value matches nothing [ours, as evaluate/rows.ts].
  const visible = plan.visibilities.filter((combo) => {
    const hits = matches.filter((m) => {
      const v = combo[plan.rowColumns.indexOf(m.column)];
      return v !== null && v !== undefined && m.userValues.includes(v);
    }).length;
    return rule.operator === "all" ? hits === matches.length : hits > 0;
  }).length;
  return { kind: "entitlements", operator: rule.operator, matches, visible, total: plan.visibilities.length };
}

function detailOf(plan: Plan, r: BoundRowRule, u: PreparedUser, nowMs: number | null): RowRuleDetail {
  const rule = r.rule;
  const ds = plan.dataSource;
  switch (rule.rowKind) {
    case "entitlements":
      return entitlementDetail(plan, r, rule, u);
    case "customWhere": {
      const where = r.where;
      if (where?.status === "bound")
        return { kind: "customWhere", authored: rule.predicate.source, predicate: renderExpr(expandWhere(where.parts, u), DIALECTS[ds.dialect]) };
      return { kind: "customWhere", authored: rule.predicate.source, predicate: null, reason: where ? where.reason : "not bound" };
    }
    case "time": {
      const start = nowMs === null ? null : windowStart(nowMs, rule.seconds);
      return { kind: "time", seconds: rule.seconds, direction: rule.direction, column: ds.eventTime ?? null, windowStart: start?.ok ? start.value : null };
    }
    case "minimization":
      return { kind: "minimization", percent: rule.percent, hashPhrase: ds.highCardinality ?? null };
    case "purpose":
      return { kind: "purpose", operator: rule.operator, purposes: [...rule.purposes], met: purposeMet(rule, u) };
    case "never":
      return { kind: "never" };
  }
}

/** The verdict and every bound row policy's part in it. */
export function explainRows(plan: Plan, rows: RowDecision, u: PreparedUser, nowMs: number | null): RowsExplanation {
  const v = rows.verdict;
  const effects = new Map(v.effects.map((e) => [e.policy, e]));
  const policies: RowPolicyExplanation[] = rows.policies.map((p) => {
    const e = effects.get(p.policy);
    return {
      policy: policyRef(p.policy.policy, p.policy.actionIndex),
      type: p.policy.type,
      applied: p.applied?.ruleIndex ?? null,
      effect: e?.effect ?? null,
      detail: p.applied ? detailOf(plan, p.applied, u, nowMs) : null,
      rules: explainRules(p.policy.rules, u),
    };
  });
  return {
    access: v.access,
    hiddenBy: v.hiddenBy,
    denial: v.denial
      ? { reason: v.denial.reason, policy: policyRef(v.denial.policy.policy, v.denial.policy.actionIndex), ruleIndex: v.denial.rule.ruleIndex }
      : null,
    problems: v.problems.map((p) => ({ message: p.message, policy: policyRef(p.policy.policy, p.policy.actionIndex), ruleIndex: p.rule.ruleIndex })),
    visibilities: rows.visibility
      ? {
          columns: [...plan.rowColumns],
          total: plan.visibilities.length,
          visible:
            rows.access === "none" ? [] : rows.visibility.visible.map((combo) => Object.fromEntries(plan.rowColumns.map((c, i) => [c, combo[i] ?? null]))),
        }
      : null,
    policies,
  };
}
