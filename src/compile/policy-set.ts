import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Bundle } from "../model/bundle.js";
import type { Condition, Policy } from "../model/policy.js";
import { buildBindIndex, type BindIndex } from "./bind-index.js";
import { compileLogic, logicKey } from "../lang/logic.js";
import type { BoundRowRule, CompiledCondition } from "./plan.js";

/**
 * A bundle's policies with every distinct audience condition compiled once.
 * Conditions are shared across data sources, so a user's memo table is too.
 */
export interface PolicySet {
  readonly bundle: Bundle;
  readonly conditions: readonly CompiledCondition[];
  /** The compiled form of a condition, found by content (so an equal bundle can share this set). */
  compiledOf(condition: Condition): CompiledCondition;
  /** Content key of the policies this set was compiled from (global, and every source's local ones). */
  readonly key: string;
  /** Global masking rules by tag, for binding. */
  readonly index: BindIndex;
  /** Bound row rules per (policy, action, columns read), shared by every source that binds them alike. */
  readonly rowRuleMemo: Map<Policy, Map<string, { readonly rules: readonly BoundRowRule[]; readonly type: string; readonly originalPolicyId: string }>>;
}

/** Content key of a bundle's policies: global ones and each source's local ones. */
export function policySetKey(bundle: Bundle): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify([bundle.globalPolicies, bundle.dataSources.map((d) => d.localPolicies)]))));
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
  const all = [...bundle.globalPolicies, ...bundle.dataSources.flatMap((d) => d.localPolicies)];
  for (const condition of conditionsOf(all)) {
    const key = logicKey(condition.logic);
    let c = byKey.get(key);
    if (!c) {
      const r = compileLogic(condition.logic);
      c = { id: byKey.size, condition, test: r.ok ? r.value : null };
      byKey.set(key, c);
    }
  }
  const seen = new WeakMap<Condition, CompiledCondition>();
  const compiledOf = (condition: Condition): CompiledCondition => {
    let c = seen.get(condition);
    if (!c) {
      c = byKey.get(logicKey(condition.logic));
      // INVARIANT: every condition of the set's policies was compiled above; an outside one fails closed.
      if (!c) c = { id: -1, condition, test: null };
      seen.set(condition, c);
    }
    return c;
  };
  return {
    bundle,
    conditions: [...byKey.values()],
    compiledOf,
    key: policySetKey(bundle),
    index: buildBindIndex(bundle.globalPolicies),
    rowRuleMemo: new Map(),
  };
}
