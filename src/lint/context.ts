/**
 * What every check reads, computed once per bundle: the policy set, each data source's
 * plan, and where each policy sits in the bundle (findings name JSON paths).
 */
import { sourceFacts, type SourceFacts } from "../compile/circumstances.js";
import { compilePlan, compilePolicySet, type PolicySet } from "../compile/index.js";
import type { Plan } from "../compile/plan.js";
import type { Bundle, DataSourceModel } from "../model/bundle.js";
import type { Policy } from "../model/policy.js";
import { SEVERITY_OF, type Finding, type FindingCode } from "./finding.js";

export type Path = (string | number)[];

export interface LintContext {
  readonly bundle: Bundle;
  readonly set: PolicySet;
  /** One plan per data source, in bundle order. */
  readonly plans: readonly Plan[];
  /** The JSON path of a policy: `globalPolicies[i]`, or `dataSources[i].policyHandler.jsonPolicies[j]`. */
  policyPath(p: Policy): Path;
  /** The JSON path of a rule of a policy (a local policy has one action, its rules directly under it). */
  rulePath(p: Policy, actionIndex: number, ruleIndex: number): Path;
  /** The index of a data source in `bundle.dataSources`. */
  sourceIndex(ds: DataSourceModel): number;
  /** The tags a source and its columns reach, computed once per source. */
  facts(ds: DataSourceModel): SourceFacts;
}

export function lintContext(bundle: Bundle): LintContext {
  const set = compilePolicySet(bundle);
  const paths = new Map<Policy, Path>();
  for (const p of bundle.globalPolicies) paths.set(p, ["globalPolicies", p.order]);
  const sourceIndex = new Map<DataSourceModel, number>();
  bundle.dataSources.forEach((ds, i) => {
    sourceIndex.set(ds, i);
    for (const p of ds.localPolicies) paths.set(p, ["dataSources", i, "policyHandler", "jsonPolicies", p.order]);
  });
  const facts = new Map<DataSourceModel, SourceFacts>();
  const policyPath = (p: Policy): Path => [...(paths.get(p) ?? ["globalPolicies", p.order])];
  return {
    bundle,
    set,
    plans: bundle.dataSources.map((ds) => compilePlan(set, ds)),
    policyPath,
    rulePath: (p, a, r) => (p.scope === "local" ? [...policyPath(p), "rules", r] : [...policyPath(p), "actions", a, "rules", r]),
    sourceIndex: (ds) => sourceIndex.get(ds) ?? -1,
    facts: (ds) => {
      let f = facts.get(ds);
      if (!f) facts.set(ds, (f = sourceFacts(ds, set.index.ancestors)));
      return f;
    },
  };
}

/** A finding of `code`, its severity the code's own. */
export function finding(code: FindingCode, path: Path, message: string, about: { policy?: Policy; dataSource?: DataSourceModel } = {}): Finding {
  return {
    code,
    severity: SEVERITY_OF[code],
    path,
    message,
    ...(about.policy ? { policy: { id: about.policy.id, name: about.policy.name } } : {}),
    ...(about.dataSource ? { dataSource: { id: about.dataSource.id, name: about.dataSource.name } } : {}),
  };
}

/** Names for messages: backquoted, as the rest of Veil's messages write them. */
export const q = (s: string | number): string => `\`${s}\``;

/** A list of names, at most `max` of them, then how many more. */
export function listed(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).map(q).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** The policies whose text is linted: global data policies not deleted (staged ones too: they are about to go live), and local ones. */
export function lintedPolicies(bundle: Bundle): Policy[] {
  return [...bundle.globalPolicies.filter((p) => !p.deleted), ...bundle.dataSources.flatMap((d) => d.localPolicies)];
}
