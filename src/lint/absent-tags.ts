/**
 * Tags and columns a bound policy's predicates or entitlement matches need, absent
 * from a data source the policy binds to (its circumstances hold there). Immuta does
 * not apply such a policy (or action) on that source [doc for `@columnTagged`], so it
 * protects nothing there: `column-tagged-absent` and `entitlement-column-absent`.
 */
import type { Plan, SkippedPolicy } from "../compile/plan.js";
import { taggedColumnsOf } from "../lang/predicate.js";
import type { Policy, PredicateSource } from "../model/policy.js";
import { templateFor } from "../model/predicates.js";
import type { Finding } from "./finding.js";
import { finding, q, type LintContext } from "./context.js";

/** The `@columnTagged` tags of a predicate that no column of the plan's source carries. */
function missingTags(src: PredicateSource, plan: Plan, has: (tag: string) => boolean): string[] {
  const t = templateFor(src, plan.dataSource.dialect);
  return t.ok ? taggedColumnsOf(t.value).filter((tag) => !has(tag)) : [];
}

function taggedAbsent(plan: Plan, policy: Policy, src: PredicateSource, tags: string[], what: string): Finding {
  const ds = plan.dataSource;
  const calls = tags.map((t) => `@columnTagged('${t}')`).join(", ");
  return finding("column-tagged-absent", [...src.path], `${q(policy.name)} binds to ${q(ds.name)}, but no column there carries the tag of ${calls}: ${what}`, {
    policy,
    dataSource: ds,
  });
}

function skipFindings(ctx: LintContext, plan: Plan, s: SkippedPolicy): Finding[] {
  const out: Finding[] = [];
  const ds = plan.dataSource;
  const facts = ctx.facts(ds);
  const has = (tag: string) => facts.firstColumn.has(tag);
  const hasColumn = (name: string) => ds.columns.some((c) => c.name === name);
  s.policy.actions.forEach((action, ai) => {
    if (s.actionIndex !== undefined && s.actionIndex !== ai) return;
    action.rules.forEach((rule, ri) => {
      if (s.actionIndex === undefined) {
        // The whole policy was skipped: a conditional mask's predicate is why.
        if (rule.kind !== "masking" || !rule.conditionalTemplate) return;
        const tags = missingTags(rule.conditionalTemplate, plan, has);
        if (tags.length > 0) out.push(taggedAbsent(plan, s.policy, rule.conditionalTemplate, tags, "the policy is not applied there, so it masks nothing"));
        return;
      }
      if (rule.kind !== "row") return;
      if (rule.rowKind === "customWhere") {
        const tags = missingTags(rule.predicate, plan, has);
        if (tags.length > 0) out.push(taggedAbsent(plan, s.policy, rule.predicate, tags, "the action is not applied there, so it filters no rows"));
      } else if (rule.rowKind === "entitlements") {
        rule.matches.forEach((m, mi) => {
          const missing =
            "tag" in m.target
              ? has(m.target.tag)
                ? null
                : `no column carries the tag ${q(m.target.tag)}`
              : hasColumn(m.target.column)
                ? null
                : `it has no column ${q(m.target.column)}`;
          if (missing === null) return;
          out.push(
            finding(
              "entitlement-column-absent",
              // V2 lists matches under config.matches; v1 in one of two shapes, so its path stops at the rule.
              s.policy.format === "v2" ? [...ctx.rulePath(s.policy, ai, ri), "config", "matches", mi] : ctx.rulePath(s.policy, ai, ri),
              `${q(s.policy.name)} binds to ${q(ds.name)}, but ${missing} for its entitlement match: the action is not applied there, so it filters no rows`,
              { policy: s.policy, dataSource: ds },
            ),
          );
        });
      }
    });
  });
  return out;
}

export function absentTags(ctx: LintContext): Finding[] {
  return ctx.plans.flatMap((plan) => plan.skipped.filter((s) => s.reason === "untaggedColumn").flatMap((s) => skipFindings(ctx, plan, s)));
}
