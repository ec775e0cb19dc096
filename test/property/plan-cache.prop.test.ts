/**
 * Cache correctness: evaluation through a shared content-keyed plan cache agrees
 * with uncached evaluation, and a changed policy set or source is never served a
 * stale plan.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlanCache, type PlanCache } from "../../src/compile/plan-cache.js";
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import { bundleArb, TAGS, type BundleObject } from "../arbitraries/bundle.js";

function reports(obj: unknown, cache?: PlanCache): string {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  const engine = createEngine(b.value, cache ? { cache } : {});
  return JSON.stringify(
    b.value.users.map((u) => [engine.policyInfo({ dataSource: 1, user: u.profileId }), engine.visibilityReport({ dataSource: 1, user: u.profileId })]),
  );
}

/** Small edits a policy author makes between "before" and "after". */
const edit = fc.oneof(
  fc.record({ kind: fc.constant("mask" as const), to: fc.constantFrom({ type: "Hash" }, { type: "Null" }, { type: "Constant", constant: "Z" }) }),
  fc.record({ kind: fc.constant("exceptions" as const), group: fc.constantFrom("g1", "g2", "g3") }),
  fc.record({ kind: fc.constant("createdAt" as const), at: fc.constantFrom("2019-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z") }),
  fc.record({ kind: fc.constant("columnTag" as const), tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant("staged" as const) }),
);

function apply(obj: BundleObject, e: { kind: string } & Record<string, unknown>, pick: number): BundleObject {
  const b = structuredClone(obj);
  const p = b.globalPolicies[pick % b.globalPolicies.length]!;
  const rule = p.actions[0]!.rules[0] as Record<string, unknown> & { config: Record<string, unknown> };
  if (e.kind === "mask") rule.config["maskingConfig"] = e["to"];
  if (e.kind === "exceptions") rule["exceptions"] = { groups: [e["group"]] };
  if (e.kind === "createdAt") p.createdAt = e["at"] as string;
  if (e.kind === "columnTag") b.dataSources[0]!.columns[pick % b.dataSources[0]!.columns.length]!.tags = [e["tag"] as string];
  if (e.kind === "staged") (p as Record<string, unknown>)["staged"] = true;
  return b;
}

describe("plan cache", () => {
  it("cached evaluation equals uncached, before and after an edit, in any order", () => {
    fc.assert(
      fc.property(bundleArb, edit, fc.nat(), fc.boolean(), (before, e, pick, afterFirst) => {
        const after = apply(before, e, pick);
        const cache = createPlanCache();
        const order = afterFirst ? [after, before, after] : [before, after, before];
        for (const obj of order) expect(reports(obj, cache)).toBe(reports(obj));
        // The second visit of the same content is served from the cache.
        expect(cache.stats.hits).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
