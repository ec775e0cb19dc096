import type { Bundle } from "../model/bundle.js";
import type { Condition, Policy } from "../model/policy.js";
import { compileLogic, logicKey } from "./logic.js";
import type { CompiledCondition } from "./plan.js";

/**
 * A bundle's policies with every distinct audience condition compiled once.
 * Conditions are shared across data sources, so a user's memo table is too.
 */
export interface PolicySet {
  readonly bundle: Bundle;
  readonly conditions: readonly CompiledCondition[];
  /** The compiled form of a normalised condition (by identity). */
  readonly compiled: ReadonlyMap<Condition, CompiledCondition>;
}

/** Every condition object the policies hold. */
function* conditionsOf(policies: readonly Policy[]): Generator<Condition> {
  for (const p of policies)
    for (const a of p.actions)
      for (const r of a.rules) {
        if (r.exceptions) yield r.exceptions;
        if (r.inclusions) yield r.inclusions;
      }
}

/**
 * Compiles the policy set. Conditions are validated on load, so a compile failure
 * here means a bundle built around validation; such a condition keeps `test: null`
 * and evaluation fails closed on it (see evaluate/audience.ts).
 */
export function compilePolicySet(bundle: Bundle): PolicySet {
  const byKey = new Map<string, CompiledCondition>();
  const compiled = new Map<Condition, CompiledCondition>();
  const all = [...bundle.globalPolicies, ...bundle.dataSources.flatMap((d) => d.localPolicies)];
  for (const condition of conditionsOf(all)) {
    const key = logicKey(condition.logic);
    let c = byKey.get(key);
    if (!c) {
      const r = compileLogic(condition.logic);
      c = { id: byKey.size, condition, test: r.ok ? r.value : null };
      byKey.set(key, c);
    }
    compiled.set(condition, c);
  }
  return { bundle, conditions: [...byKey.values()], compiled };
}
