/** `maxPlans` bounds the engine's plan cache (least recently used dropped first) without changing any decision. */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../../src/engine/engine.js";
import { unwrap } from "../../../src/errors.js";
import { parseBundle } from "../../../src/model/bundle.js";

const bundle = unwrap(
  parseBundle({
    dataSources: [1, 2, 3].map((id) => ({ id, name: `S${id}`, columns: [{ name: "a", dataType: "text", tags: ["PII"] }] })),
    globalPolicies: [
      {
        id: 1,
        name: "Null PII",
        type: "data",
        actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: "PII" }], maskingConfig: { type: "Null" } } }] }],
      },
    ],
    users: [{ profileId: 1, name: "Ann" }],
  }),
);

describe("maxPlans", () => {
  it("keeps the most recently used plans and recompiles a dropped one to the same decisions", () => {
    const e = createEngine(bundle, { maxPlans: 2 });
    const p1 = unwrap(e.planFor(1));
    const p2 = unwrap(e.planFor(2));
    expect(unwrap(e.planFor(1))).toBe(p1); // 1 is now the most recent: 2 goes next
    unwrap(e.planFor(3));
    expect(unwrap(e.planFor(1))).toBe(p1);
    expect(unwrap(e.planFor(2))).not.toBe(p2);
    const unbounded = createEngine(bundle);
    for (const ds of [1, 2, 3]) expect(e.policyInfo({ dataSource: ds, user: 1 })).toEqual(unbounded.policyInfo({ dataSource: ds, user: 1 }));
  });

  it("keeps every plan by default", () => {
    const e = createEngine(bundle);
    const plans = [1, 2, 3].map((id) => unwrap(e.planFor(id)));
    expect([1, 2, 3].map((id) => unwrap(e.planFor(id)))).toEqual(plans);
    plans.forEach((p, i) => expect(unwrap(e.planFor(i + 1))).toBe(p));
  });
});
