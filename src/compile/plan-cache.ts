import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Bundle, DataSourceModel } from "../model/bundle.js";
import type { Plan } from "./plan.js";
import { compilePolicySetWithKey, policySetKey, type PolicySet } from "./policy-set.js";

/**
 * Plans and compiled policy sets keyed by content, shareable across engines: a
 * simulation of "before" and "after" reuses every plan whose policy set and source
 * did not change, and a changed policy set can never be served a stale plan because
 * its content key differs.
 */
export interface PlanCache {
  policySet(bundle: Bundle): PolicySet;
  plan(set: PolicySet, ds: DataSourceModel, compile: () => Plan): Plan;
  readonly stats: { hits: number; misses: number };
}

const contentKey = (value: unknown): string => bytesToHex(sha256(utf8ToBytes(JSON.stringify(value))));

/**
 * A source's content without its local policies' parsed form (they are in the policy set
 * key), with its owners: `ownerRestrictions` decide by them whether a policy binds.
 */
const sourceKey = (ds: DataSourceModel, bundle: Bundle): string => {
  const owners = new Set(bundle.access.filter((a) => a.dataSourceId === ds.id && a.state === "owner").map((a) => a.profileId));
  return contentKey({ ...ds, localPolicies: undefined, owners: bundle.users.filter((u) => owners.has(u.profileId)) });
};

/** Creates an empty cache. It holds plain references; drop it to free them. */
export function createPlanCache(): PlanCache {
  const sets = new Map<string, PolicySet>();
  const plans = new Map<string, Plan>();
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    policySet(bundle) {
      const key = policySetKey(bundle);
      let set = sets.get(key);
      if (!set) sets.set(key, (set = compilePolicySetWithKey(bundle, key)));
      return set;
    },
    plan(set, ds, compile) {
      const key = `${set.key}|${sourceKey(ds, set.bundle)}`;
      const hit = plans.get(key);
      if (hit) {
        stats.hits++;
        return hit;
      }
      stats.misses++;
      const plan = compile();
      plans.set(key, plan);
      return plan;
    },
  };
}
