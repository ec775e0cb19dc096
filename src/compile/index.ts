import type { Bundle, DataSourceModel } from "../model/bundle.js";
import type { ColumnType } from "../model/data-type.js";
import type { Policy } from "../model/policy.js";
import { maskingRefs, type ActionRef } from "./bind-index.js";
import { bindColumn } from "./bind-mask.js";
import { candidatesFor, winningCandidate, type Candidate, type CandidateSource } from "./candidates.js";
import { circumstancesHold, sourceFacts, type SourceFacts } from "./circumstances.js";
import { ownersAllow } from "./owners.js";
import { taggedColumnsOf } from "../lang/predicate.js";
import { templateFor } from "../model/predicates.js";
import { compareAuthored, compareMaskingPriority } from "./conflicts.js";
import type { BoundMaskingPolicy, BoundRowPolicy, BoundRowRule, ColumnPlan, Plan, SkippedPolicy } from "./plan.js";
import type { PolicySet } from "./policy-set.js";
import { bindRowAction, sourceVisibilities } from "./rows.js";

/** Why a policy does not bind to this source, if it does not. */
export function skipReason(policy: Policy, ds: DataSourceModel, facts: SourceFacts, bundle: Bundle): SkippedPolicy["reason"] | undefined {
  if (policy.scope === "local") return undefined;
  if (policy.deleted) return "deleted";
  if (policy.staged) return "staged";
  if (ds.globalPolicies?.some((g) => g.id === policy.id && g.disabled === true)) return "disabled";
  if (!circumstancesHold(policy.circumstances, ds, facts)) return "circumstances";
  if (!ownersAllow(policy.lifecycle.ownerRestrictions, ds, bundle)) return "ownerRestrictions";
  if (!conditionalTagsPresent(policy, ds, facts)) return "untaggedColumn";
  return undefined;
}

/**
 * A conditional mask whose predicate uses `@columnTagged` for a tag the source lacks:
 * the policy is not applied there [doc]. A predicate that cannot be read for the source's
 * engine does not stop it (the mask then hides).
 */
function conditionalTagsPresent(policy: Policy, ds: DataSourceModel, facts: SourceFacts): boolean {
  for (const a of policy.actions)
    for (const r of a.rules) {
      if (r.kind !== "masking" || !r.conditionalTemplate) continue;
      const t = templateFor(r.conditionalTemplate, ds.dialect);
      if (t.ok && taggedColumnsOf(t.value).some((tag) => !facts.firstColumn.has(tag))) return false;
    }
  return true;
}

/** What to bind a source with: the candidates' source, and a per-source memo of which policies bind. */
function candidateSource(set: PolicySet, ds: DataSourceModel, facts: SourceFacts, indexed: boolean): CandidateSource {
  const verdicts = new Map<Policy, boolean>();
  const binds = (p: Policy) => {
    let b = verdicts.get(p);
    if (b === undefined) verdicts.set(p, (b = skipReason(p, ds, facts, set.bundle) === undefined));
    return b;
  };
  return { set, local: maskingRefs(ds.localPolicies), everything: indexed ? [] : maskingRefs(set.bundle.globalPolicies), indexed, binds };
}

/**
 * A masked column: the winner bound now; the losers, for explain and lint, found
 * again when asked. It keeps no binding scratch, so a catalog of plans stays small.
 */
class MaskedColumn implements ColumnPlan {
  #losers: readonly BoundMaskingPolicy[] | undefined;
  constructor(
    readonly column: string,
    readonly columnIndex: number,
    readonly type: ColumnType,
    readonly winner: BoundMaskingPolicy,
    private readonly set: PolicySet,
    private readonly ds: DataSourceModel,
  ) {}

  get losers(): readonly BoundMaskingPolicy[] {
    if (this.#losers) return this.#losers;
    const src = candidateSource(this.set, this.ds, sourceFacts(this.ds, this.set.index.ancestors), true);
    return (this.#losers = candidatesFor(src, this.ds.columns[this.columnIndex]!)
      .sort(compareMaskingPriority)
      .slice(1)
      .map((c) => bindColumn(this.set, this.ds, c.policy, c.actionIndex, this.columnIndex, c.ruleIndices)!));
  }
}

/** A plan; `skipped` (every policy that does not bind, and why) is computed when asked. */
class SourcePlan implements Plan {
  #skipped: readonly SkippedPolicy[] | undefined;
  #rowEvaluation: Plan["rowEvaluation"] | undefined;
  constructor(
    readonly dataSource: DataSourceModel,
    readonly columns: readonly ColumnPlan[],
    readonly rowPolicies: readonly BoundRowPolicy[],
    readonly rowColumns: readonly string[],
    readonly visibilities: readonly (readonly (string | null)[])[],
    readonly policySet: PolicySet,
    private readonly skippedActions: readonly SkippedPolicy[],
  ) {}

  /** Arranged on first evaluation, so binding a whole catalog does not pay for it. */
  get rowEvaluation(): Plan["rowEvaluation"] {
    return (this.#rowEvaluation ??= rowEvaluation(this.rowPolicies));
  }

  get skipped(): readonly SkippedPolicy[] {
    const facts = sourceFacts(this.dataSource);
    return (this.#skipped ??= [
      ...this.policySet.bundle.globalPolicies.flatMap((policy) => {
        const reason = skipReason(policy, this.dataSource, facts, this.policySet.bundle);
        return reason ? [{ policy, reason }] : [];
      }),
      ...this.skippedActions,
    ]);
  }
}

/** Groups one-rule, inclusion-free entitlement policies by signature; everything else stays in order. */
function rowEvaluation(policies: readonly BoundRowPolicy[]): Plan["rowEvaluation"] {
  const groups = new Map<string, BoundRowRule[]>();
  const others: BoundRowPolicy[] = [];
  for (const p of policies) {
    const only = p.rules.length === 1 ? p.rules[0]! : undefined;
    if (only && only.inclusions === null && only.rule.rowKind === "entitlements") {
      let g = groups.get(only.signature);
      if (!g) groups.set(only.signature, (g = []));
      g.push(only);
    } else others.push(p);
  }
  return { entitlementGroups: [...groups.values()], others };
}

/** Options for `compilePlan`; `index: false` binds by checking every rule on every column. */
export interface CompileOptions {
  readonly index?: boolean;
}

/**
 * Binds the policy set to one data source: circumstances, one bound policy per
 * masked column, type fallbacks, conflicts. Depends only on the data source and the
 * policies — never on the user — so it is computed once and cached.
 */
export function compilePlan(set: PolicySet, ds: DataSourceModel, options: CompileOptions = {}): Plan {
  const facts = sourceFacts(ds, set.index.ancestors);
  const src = candidateSource(set, ds, facts, options.index !== false);
  const binds = src.binds;

  const columns: ColumnPlan[] = [];
  const scratch = new Map<ActionRef, Candidate>();
  ds.columns.forEach((column, columnIndex) => {
    const best = winningCandidate(src, column, scratch);
    if (!best) return;
    const winner = bindColumn(set, ds, best.policy, best.actionIndex, columnIndex, best.ruleIndices)!;
    columns.push(new MaskedColumn(column.name, columnIndex, ds.columnTypes[columnIndex]!, winner, set, ds));
  });

  const rowPolicies: BoundRowPolicy[] = [];
  const skippedActions: SkippedPolicy[] = [];
  const localRowActions =
    ds.localPolicies.length === 0
      ? []
      : ds.localPolicies.flatMap((policy) =>
          policy.actions.flatMap((a, actionIndex) => (a.rules.some((r) => r.kind === "row") ? [{ policy, actionIndex }] : [])),
        );
  for (const actions of [set.index.rowActions, localRowActions])
    for (const { policy, actionIndex } of actions) {
      if (!binds(policy)) continue;
      const row = bindRowAction(set, ds, facts, policy, actionIndex);
      if (row.bound) rowPolicies.push(row.bound);
      if (row.skipped) skippedActions.push(row.skipped);
    }
  // Row predicates AND in authoring order, so shuffling the policy list changes nothing (law 2).
  // Sorted only when out of order (a stable sort leaves an ordered list as it is).
  const order = (a: BoundRowPolicy, b: BoundRowPolicy) => compareAuthored(a.policy, b.policy) || a.actionIndex - b.actionIndex;
  for (let i = 1; i < rowPolicies.length; i++)
    if (order(rowPolicies[i - 1]!, rowPolicies[i]!) > 0) {
      rowPolicies.sort(order);
      break;
    }

  const used = new Set(rowPolicies.flatMap((p) => p.rules.flatMap((r) => r.matchColumns)));
  const rowColumns = ds.columns.map((c) => c.name).filter((name) => used.has(name));
  return new SourcePlan(ds, columns, rowPolicies, rowColumns, sourceVisibilities(ds, rowColumns), set, skippedActions);
}

export { compilePolicySet, type PolicySet } from "./policy-set.js";
