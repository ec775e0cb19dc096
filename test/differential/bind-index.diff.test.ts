/**
 * The tag index only narrows which rules binding looks at: a plan built through it
 * equals the plan built by checking every rule on every column (OPA keeps its
 * unindexed path for exactly this test).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePlan, compilePolicySet } from "../../src/compile/index.js";
import { parseBundle } from "../../src/model/bundle.js";
import { bundleArb } from "../arbitraries/bundle.js";
import { rowActionArb } from "../arbitraries/rows.js";
import { planSnapshot } from "./plan-snapshot.js";

/** Generated masking bundles plus row policies, untagged selectors and deeper column tags. */
const arb = fc
  .tuple(bundleArb, fc.array(rowActionArb, { maxLength: 2 }), fc.constantFrom("noTags", "anyTag", "allColumns", "columnRegex", null), fc.boolean())
  .map(([b, rows, selector, deeper]) => {
    const ds = b.dataSources[0]!;
    ds.columns.push({ name: "region", dataType: "text", tags: deeper ? ["Geo.Region.Sub"] : ["Geo.Region"] } as never);
    for (const c of ds.columns) if (deeper && c.tags.length > 0) c.tags = c.tags.map((t) => `${t}.Leaf`);
    (ds as Record<string, unknown>)["visibilities"] = [{ region: "EU" }, { region: "US" }];
    const extra = selector
      ? [
          {
            id: 900,
            name: "untagged",
            type: "data",
            actions: [
              {
                rules: [
                  {
                    type: "Masking",
                    config: {
                      fields: [selector === "columnRegex" ? { type: "columnRegex", regex: "^c[0-2]$" } : { type: selector }],
                      maskingConfig: { type: "Null" },
                    },
                  },
                ],
              },
            ],
          },
        ]
      : [];
    return { ...b, globalPolicies: [...b.globalPolicies, ...extra, ...rows.map((a, i) => ({ id: 500 + i, name: `rows ${i}`, type: "data", actions: [a] }))] };
  });

describe("bind index ≡ unindexed binding", () => {
  it("gives the same plan on generated bundles", () => {
    fc.assert(
      fc.property(arb, (obj) => {
        const b = parseBundle(obj);
        if (!b.ok) throw new Error(JSON.stringify(b.issues));
        const set = compilePolicySet(b.value);
        const ds = b.value.dataSources[0]!;
        expect(planSnapshot(compilePlan(set, ds))).toEqual(planSnapshot(compilePlan(set, ds, { index: false })));
      }),
      { numRuns: 200 },
    );
  });
});
