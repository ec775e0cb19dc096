import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { kAnonymize, maskValue } from "../../../../src/enforce/masks/index.js";
import { ctx, failure, mask, RUNS } from "./helpers.js";

describe("kAnonymize", () => {
  const rows = [
    { id: 1, zip: "10001", age: 30 },
    { id: 2, zip: "10001", age: 30 },
    { id: 3, zip: "10001", age: 31 },
    { id: 4, zip: null, age: null },
    { id: 5, zip: null, age: null },
  ];

  it("nulls every QI column of a combination seen fewer than k times; NULLs group together; other columns stay", () => {
    expect(kAnonymize(rows, ["zip", "age"], 2)).toEqual([
      { id: 1, zip: "10001", age: 30 },
      { id: 2, zip: "10001", age: 30 },
      { id: 3, zip: null, age: null },
      { id: 4, zip: null, age: null },
      { id: 5, zip: null, age: null },
    ]);
    expect(kAnonymize(rows, ["zip"], 3).map((r) => r.zip)).toEqual(["10001", "10001", "10001", null, null]);
    expect(kAnonymize(rows, ["zip"], 6).every((r) => r.zip === null && r.id !== undefined)).toBe(true);
  });

  it("tells 1 from '1', leaves the input alone, and treats a column named __proto__ as a column", () => {
    const mixed = [{ q: 1 }, { q: "1" }];
    expect(kAnonymize(mixed, ["q"], 2)).toEqual([{ q: null }, { q: null }]);
    expect(mixed).toEqual([{ q: 1 }, { q: "1" }]);
    const proto = JSON.parse('[{"__proto__": "a"}]') as Record<string, unknown>[];
    const out = kAnonymize(proto, ["__proto__"], 2)[0]!;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__") && out["__proto__"]).toBeNull();
  });

  it("hides every QI value when k is not a whole number ≥ 1", () => {
    expect(kAnonymize(rows, ["zip"], 0).every((r) => r.zip === null)).toBe(true);
    expect(kAnonymize(rows, ["zip"], 1.5).every((r) => r.zip === null)).toBe(true);
  });

  test.prop(
    [
      fc.array(fc.record({ a: fc.constantFrom("x", "y", null), b: fc.constantFrom(1, 2, null), c: fc.nat() }), { maxLength: 40 }),
      fc.integer({ min: 1, max: 6 }),
    ],
    { numRuns: RUNS },
  )("afterwards every non-NULL QI combination occurs at least k times", (input, k) => {
    const out = kAnonymize(input, ["a", "b"], k);
    const count = new Map<string, number>();
    for (const r of out)
      if (r["a"] !== null || r["b"] !== null) count.set(JSON.stringify([r["a"], r["b"]]), (count.get(JSON.stringify([r["a"], r["b"]])) ?? 0) + 1);
    for (const n of count.values()) expect(n).toBeGreaterThanOrEqual(k);
    expect(out.map((r) => r["c"])).toEqual(input.map((r) => r.c));
  });

  it("is refused cell by cell", () => {
    expect(failure(maskValue(mask("K-Anonymization", { groupSize: 3 }), "x", ctx()))).toMatch(/^unsupported: K-Anonymization on column `email` is set-level/);
  });
});
