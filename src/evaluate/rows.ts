import type { BoundRowPolicy, BoundRowRule, Plan } from "../compile/plan.js";
import type { DialectId } from "../sql/dialect.js";
import type { SqlExpr } from "../sql/ast.js";
import { expandWhere } from "./where.js";
import type { RowRule } from "../model/policy.js";
import { applies, audienceOutcome, firstApplying } from "./audience.js";
import type { PreparedUser } from "./subject.js";
import { accessOf, attributeVerdict, hiddenByOf, purposeMet, type HiddenBy, type RowAccess, type RowVerdict, type VerdictFacts } from "./verdict.js";

/** One bound row policy and which of its rules applied to the user (see `ruleOutcomes` for why). */
export interface RowPolicyDecision {
  readonly policy: BoundRowPolicy;
  readonly applied: BoundRowRule | null;
}

/** Everything row-level for one (user, data source). */
export interface RowDecision {
  readonly policies: readonly RowPolicyDecision[];
  /** Entitlement rules that apply, and the visibilities the user may see; null when none applies. */
  readonly visibility: { readonly rules: readonly BoundRowRule[]; readonly visible: readonly (readonly (string | null)[])[] } | null;
  /** Expanded custom WHERE predicates as trees, AND-ed [doc]; `report/` renders them in `dialect`. */
  readonly predicates: readonly SqlExpr[];
  /** The SQL dialect of the data source. */
  readonly dialect: DialectId;
  readonly time: { readonly seconds: number; readonly direction: "newer" | "older"; readonly column: string } | null;
  readonly minimization: { readonly percent: number; readonly hashPhrase: string } | null;
  /** No rows at all: a never rule, or a fail-closed problem (see `problems`). */
  readonly never: boolean;
  /** Set when a purpose restriction denies the user. */
  readonly denied: string | null;
  /** Why the decision failed closed, if it did. */
  readonly problems: readonly string[];
  /** The verdict, decided here once: all rows, some, or none. */
  readonly access: RowAccess;
  /** Why no rows are shown, when `access` is `none`. */
  readonly hiddenBy: HiddenBy | null;
  /** The verdict with every part attributed to its policy and rule (built when read). */
  readonly verdict: RowVerdict;
}

const NO_RULES: readonly BoundRowRule[] = [];

/** A row decision; which rule of each policy applied is only needed by reports (policySet), so it is found when asked. */
class RowResult implements RowDecision {
  #policies: readonly RowPolicyDecision[] | undefined;
  #verdict: RowVerdict | undefined;
  constructor(
    private readonly plan: Plan,
    private readonly user: PreparedUser,
    readonly visibility: RowDecision["visibility"],
    readonly predicates: readonly SqlExpr[],
    readonly time: RowDecision["time"],
    readonly minimization: RowDecision["minimization"],
    readonly never: boolean,
    readonly denied: string | null,
    readonly problems: readonly string[],
    private readonly denialRule: BoundRowRule | null,
    private readonly problemRules: readonly BoundRowRule[],
  ) {}

  /** Decided from the fields above when read (a few comparisons): constructing a decision stays as cheap as before. */
  get hiddenBy(): HiddenBy | null {
    return hiddenByOf(this);
  }

  get access(): RowAccess {
    return accessOf(this, hiddenByOf(this));
  }

  get dialect(): DialectId {
    return this.plan.dataSource.dialect;
  }

  get policies(): readonly RowPolicyDecision[] {
    return (this.#policies ??= this.plan.rowPolicies.map((policy) => ({ policy, applied: firstApplying(policy.rules, this.user) })));
  }

  get verdict(): RowVerdict {
    if (this.#verdict) return this.#verdict;
    const facts: VerdictFacts = {
      access: this.access,
      hiddenBy: this.hiddenBy,
      denied: this.denied,
      denialRule: this.denialRule,
      problems: this.problems,
      problemRules: this.problemRules,
    };
    return (this.#verdict = attributeVerdict(this.plan, this.user, this, this.policies, facts));
  }
}

type Applied<K extends RowRule["rowKind"]> = BoundRowRule & { rule: Extract<RowRule, { rowKind: K }> };

/** The user's values a match compares with the column (exact, case-sensitive). */
function userValues(u: PreparedUser, m: { type: "group" | "attribute" | "purpose"; attribute: string | null }): ReadonlySet<string> {
  if (m.type === "group") return u.subject.groups;
  if (m.type === "purpose") return u.subject.purposes;
  return u.subject.attributes.get(m.attribute ?? "") ?? new Set();
}

interface MatchCheck {
  readonly index: number;
  readonly values: ReadonlySet<string>;
}

/** The visibilities every applying entitlement rule allows; a null value matches nothing [ours]. */
function visibleCombos(plan: Plan, rules: readonly Applied<"entitlements">[], u: PreparedUser): (readonly (string | null)[])[] {
  // Rules with the same matches test the same thing: check each distinct one once.
  let distinct: readonly Applied<"entitlements">[] = rules;
  if (rules.length > 1) {
    const bySignature = new Map<string, Applied<"entitlements">>();
    for (const r of rules) bySignature.set(r.signature, r);
    distinct = [...bySignature.values()];
  }
  const checks: { all: boolean; matches: MatchCheck[] }[] = [];
  for (const r of distinct) {
    const matches: MatchCheck[] = [];
    r.rule.matches.forEach((m, i) => matches.push({ index: plan.rowColumns.indexOf(r.matchColumns[i]!), values: userValues(u, m) }));
    checks.push({ all: r.rule.operator === "all", matches });
  }
  const out: (readonly (string | null)[])[] = [];
  for (const combo of plan.visibilities) if (allChecksPass(checks, combo)) out.push(combo);
  return out;
}

function allChecksPass(checks: readonly { all: boolean; matches: readonly MatchCheck[] }[], combo: readonly (string | null)[]): boolean {
  for (const c of checks) {
    let hits = 0;
    for (const m of c.matches) {
      const v = combo[m.index];
      if (v !== null && v !== undefined && m.values.has(v)) hits++;
    }
    if (c.all ? hits !== c.matches.length : hits === 0) return false;
  }
  return true;
}

/** The time rule that makes a both-directions conflict: the first in the other direction than the first rule. */
function conflictingTime(times: readonly Applied<"time">[]): BoundRowRule {
  const first = times[0]!.rule.direction;
  for (const r of times) if (r.rule.direction !== first) return r;
  return times[0]!;
}

/**
 * Row decisions: per bound action the first applying rule; then the kinds combine.
 * Several row policies AND [doc]; of two time or minimization rules the most
 * restrictive wins; time rules in both directions, or a time/minimization rule on a
 * source without its column, show no rows [ours: fail closed].
 */
export function rowDecision(plan: Plan, u: PreparedUser): RowDecision {
  // Per kind the rules that apply, made only for kinds that have one.
  const byKind: { [K in RowRule["rowKind"]]?: Applied<K>[] } = {};
  const evaluation = plan.rowEvaluation;
  // One applying rule of a group of identical entitlement checks is enough: the rest cannot change the outcome.
  for (const group of evaluation.entitlementGroups) {
    for (const r of group) {
      if (applies(audienceOutcome(r, u))) {
        (byKind.entitlements ??= []).push(r as Applied<"entitlements">);
        break;
      }
    }
  }
  for (const policy of evaluation.others) {
    const applied = firstApplying(policy.rules, u);
    if (applied) ((byKind[applied.rule.rowKind] ??= []) as BoundRowRule[]).push(applied);
  }
  const problems: string[] = [];
  // The rule each problem concerns (problemRules[i] for problems[i]), made only when there is one.
  // Pushed inline: a closure over these locals costs every decision a context allocation.
  let problemRules: BoundRowRule[] | undefined;
  const ds = plan.dataSource;

  const entitlements = byKind.entitlements;
  const visibility = entitlements ? { rules: entitlements, visible: visibleCombos(plan, entitlements, u) } : null;

  const predicates: SqlExpr[] = [];
  for (const r of byKind.customWhere ?? []) {
    const where = r.where!;
    if (where.status === "bound") predicates.push(expandWhere(where.parts, u));
    else {
      problems.push(`custom WHERE of \`${r.rule.predicate.source}\` cannot be applied: ${where.reason}`);
      (problemRules ??= []).push(r);
    }
  }

  let time: RowDecision["time"] = null;
  const times = byKind.time;
  if (times) {
    const newer = times.filter((r) => r.rule.direction === "newer").map((r) => r.rule.seconds);
    const older = times.filter((r) => r.rule.direction === "older").map((r) => r.rule.seconds);
    if (newer.length > 0 && older.length > 0) {
      problems.push("time policies apply in both directions");
      (problemRules ??= []).push(conflictingTime(times));
    } else if (ds.eventTime === undefined) {
      problems.push("a time policy applies but the data source has no `eventTime` column");
      (problemRules ??= []).push(times[0]!);
    } else if (newer.length > 0) time = { seconds: newer.reduce((m, x) => (x < m ? x : m)), direction: "newer", column: ds.eventTime };
    else if (older.length > 0) time = { seconds: older.reduce((m, x) => (x > m ? x : m)), direction: "older", column: ds.eventTime };
  }

  let minimization: RowDecision["minimization"] = null;
  const minimizations = byKind.minimization;
  if (minimizations) {
    const percents = minimizations.map((r) => r.rule.percent);
    if (ds.highCardinality === undefined) {
      problems.push("a minimization policy applies but the data source has no `highCardinality` column");
      (problemRules ??= []).push(minimizations[0]!);
    } else minimization = { percent: percents.reduce((m, x) => (x < m ? x : m)), hashPhrase: ds.highCardinality };
  }

  let denied: string | null = null;
  let denialRule: BoundRowRule | null = null;
  for (const r of byKind.purpose ?? []) {
    if (denied === null && !purposeMet(r.rule, u)) {
      denied = `purpose restriction: the user is not acting under ${r.rule.operator === "all" ? "all" : "any"} of the purposes ${r.rule.purposes.map((p) => `\`${p}\``).join(", ")}`;
      denialRule = r;
    }
  }

  const never = byKind.never !== undefined || problems.length > 0;
  return new RowResult(plan, u, visibility, predicates, time, minimization, never, denied, problems, denialRule, problemRules ?? NO_RULES);
}
