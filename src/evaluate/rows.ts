import type { BoundRowPolicy, BoundRowRule, Plan } from "../compile/plan.js";
import { expandPredicate, type ExpansionContext } from "../compile/predicate.js";
import { columnForTag } from "../compile/rows.js";
import type { RowRule } from "../model/policy.js";
import { firstApplying, type RuleOutcome } from "./audience.js";
import type { PreparedUser } from "./subject.js";

/** One bound row policy and which of its rules applied to the user. */
export interface RowPolicyDecision {
  readonly policy: BoundRowPolicy;
  readonly applied: BoundRowRule | null;
  readonly outcomes: readonly RuleOutcome[];
}

/** Everything row-level for one (user, data source). */
export interface RowDecision {
  readonly policies: readonly RowPolicyDecision[];
  /** Entitlement rules that apply, and the visibilities the user may see; null when none applies. */
  readonly visibility: { readonly rules: readonly BoundRowRule[]; readonly visible: readonly (readonly (string | null)[])[] } | null;
  /** Expanded custom WHERE predicates, AND-ed [doc]. */
  readonly predicates: readonly string[];
  readonly time: { readonly seconds: number; readonly direction: "newer" | "older"; readonly column: string } | null;
  readonly minimization: { readonly percent: number; readonly hashPhrase: string } | null;
  /** No rows at all: a never rule, or a fail-closed problem (see `problems`). */
  readonly never: boolean;
  /** Set when a purpose restriction denies the user. */
  readonly denied: string | null;
  /** Why the decision failed closed, if it did. */
  readonly problems: readonly string[];
}

type Applied<K extends RowRule["rowKind"]> = BoundRowRule & { rule: Extract<RowRule, { rowKind: K }> };

/** The user's values a match compares with the column (exact, case-sensitive). */
function userValues(u: PreparedUser, m: { type: "group" | "attribute" | "purpose"; attribute: string | null }): ReadonlySet<string> {
  if (m.type === "group") return u.subject.groups;
  if (m.type === "purpose") return u.subject.purposes;
  return u.subject.attributes.get(m.attribute ?? "") ?? new Set();
}

/** The visibilities every applying entitlement rule allows; a null value matches nothing [ours]. */
function visibleCombos(plan: Plan, rules: readonly Applied<"entitlements">[], u: PreparedUser): (readonly (string | null)[])[] {
  const checks = rules.map((r) => ({
    all: r.rule.operator === "all",
    matches: r.rule.matches.map((m, i) => ({ index: plan.rowColumns.indexOf(r.matchColumns[i]!), values: userValues(u, m) })),
  }));
  return plan.visibilities.filter((combo) =>
    checks.every((c) => {
      const hit = (m: { index: number; values: ReadonlySet<string> }) => {
        const v = combo[m.index];
        return v !== null && v !== undefined && m.values.has(v);
      };
      return c.all ? c.matches.every(hit) : c.matches.some(hit);
    }),
  );
}

/** What predicate expansion knows about the user and the source. */
function expansionContext(plan: Plan, u: PreparedUser): ExpansionContext {
  const ds = plan.dataSource;
  return {
    groups: u.user.groups ?? [],
    attributes: u.user.authorizations ?? {},
    purposes: u.project?.purposes ?? [],
    // [ours] @username is the user's `userid`, else their name; @iam their `iamid`, else `bim` (Immuta's built-in IAM).
    username: u.user.userid ?? u.user.name,
    iam: u.user.iamid ?? "bim",
    columnForTag: (tag) => columnForTag(ds, tag),
    hasColumn: (name) => ds.columns.some((c) => c.name === name),
  };
}

/**
 * Row decisions: per bound action the first applying rule; then the kinds combine.
 * Several row policies AND [doc]; of two time or minimization rules the most
 * restrictive wins; time rules in both directions, or a time/minimization rule on a
 * source without its column, show no rows [ours: fail closed].
 */
export function evaluateRows(plan: Plan, u: PreparedUser): RowDecision {
  const policies = plan.rowPolicies.map((policy) => ({ policy, ...firstApplying(policy.rules, u) }));
  const applied = policies.flatMap((p) => (p.applied ? [p.applied] : []));
  const of = <K extends RowRule["rowKind"]>(k: K) => applied.filter((r): r is Applied<K> => r.rule.rowKind === k);
  const problems: string[] = [];
  const ds = plan.dataSource;

  const entitlements = of("entitlements");
  const visibility = entitlements.length > 0 ? { rules: entitlements, visible: visibleCombos(plan, entitlements, u) } : null;

  const ctx = expansionContext(plan, u);
  const predicates: string[] = [];
  for (const r of of("customWhere")) {
    const e = expandPredicate(r.rule.predicate, ctx);
    if (e.applies) predicates.push(e.sql);
    else problems.push(`custom WHERE of \`${r.rule.predicate.source}\` cannot be expanded: ${e.reason}`);
  }

  let time: RowDecision["time"] = null;
  const times = of("time");
  const newer = times.filter((r) => r.rule.direction === "newer").map((r) => r.rule.seconds);
  const older = times.filter((r) => r.rule.direction === "older").map((r) => r.rule.seconds);
  if (newer.length > 0 && older.length > 0) problems.push("time policies apply in both directions");
  else if (times.length > 0 && ds.eventTime === undefined) problems.push("a time policy applies but the data source has no `eventTime` column");
  else if (newer.length > 0) time = { seconds: Math.min(...newer), direction: "newer", column: ds.eventTime! };
  else if (older.length > 0) time = { seconds: Math.max(...older), direction: "older", column: ds.eventTime! };

  let minimization: RowDecision["minimization"] = null;
  const percents = of("minimization").map((r) => r.rule.percent);
  if (percents.length > 0 && ds.highCardinality === undefined) problems.push("a minimization policy applies but the data source has no `highCardinality` column");
  else if (percents.length > 0) minimization = { percent: Math.min(...percents), hashPhrase: ds.highCardinality! };

  let denied: string | null = null;
  for (const r of of("purpose")) {
    const met = r.rule.operator === "all" ? r.rule.purposes.every((p) => u.subject.purposes.has(p)) : r.rule.purposes.some((p) => u.subject.purposes.has(p));
    if (!met && denied === null) {
      denied = `purpose restriction: the user is not acting under ${r.rule.operator === "all" ? "all" : "any"} of the purposes ${r.rule.purposes.map((p) => `\`${p}\``).join(", ")}`;
    }
  }

  const never = of("never").length > 0 || problems.length > 0;
  return { policies, visibility, predicates, time, minimization, never, denied, problems };
}
