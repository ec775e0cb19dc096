import { describe, expect, it } from "vitest";
import { maskValue } from "../../../../src/enforce/masks/index.js";
import { hkdfKeyProvider } from "../../../../src/enforce/keys.js";
import { ctx, DOUBLE, failure, INTEGER, mask, TIME, value } from "./helpers.js";

const rr = (md: Record<string, unknown>) => mask("Randomized Response", md);
const DOMAIN = ["red", "green", "blue", "black"];
const run = (m: ReturnType<typeof rr>, v: unknown, rows: number, over = {}) =>
  Array.from({ length: rows }, (_, rowIndex) => value(maskValue(m, v, ctx({ rowIndex, ...over }))));

describe("randomized response", () => {
  it("categorical: replaces at the configured rate with another domain value", () => {
    const out = run(rr({ kind: "categorical", replacementRate: 0.3, domain: DOMAIN }), "red", 2000);
    const replaced = out.filter((v) => v !== "red");
    expect(replaced.length / out.length).toBeGreaterThan(0.25);
    expect(replaced.length / out.length).toBeLessThan(0.35);
    expect(new Set(replaced)).toEqual(new Set(["green", "blue", "black"]));
  });

  it("is fixed by (seed, row position, column): same inputs same output, other seed or column other outputs", () => {
    const m = rr({ kind: "categorical", replacementRate: 0.5, domain: DOMAIN });
    const a = run(m, "red", 64);
    expect(run(m, "red", 64)).toEqual(a);
    expect(run(m, "red", 64, { column: "other" })).not.toEqual(a);
    expect(run(m, "red", 64, { keys: hkdfKeyProvider("another") })).not.toEqual(a);
  });

  it("rate 0 keeps, rate 1 always replaces; allowNull adds NULL to the draws; NULL stays NULL", () => {
    expect(run(rr({ replacementRate: 0, domain: DOMAIN }), "red", 50).every((v) => v === "red")).toBe(true);
    expect(run(rr({ replacementRate: 1, domain: DOMAIN }), "red", 50).every((v) => v !== "red")).toBe(true);
    expect(run(rr({ replacementRate: 1, domain: ["a"], allowNull: true }), "a", 5)).toEqual([null, null, null, null, null]);
    expect(run(rr({ replacementRate: 1, domain: DOMAIN }), null, 3)).toEqual([null, null, null]);
  });

  it("numeric: Gaussian noise of stddev, clamped to low/high, whole on whole-number columns", () => {
    const out = run(rr({ kind: "numeric", replacementRate: 1, stddev: 10 }), 100, 2000, { columnType: DOUBLE }) as number[];
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const sd = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length);
    expect(Math.abs(mean - 100)).toBeLessThan(1.5);
    expect(sd).toBeGreaterThan(9);
    expect(sd).toBeLessThan(11);
    const clamped = run(rr({ replacementRate: 1, stddev: 50, low: 90, high: 110 }), 100, 200, { columnType: INTEGER }) as number[];
    expect(clamped.every((v) => Number.isInteger(v) && v >= 90 && v <= 110)).toBe(true);
    const uniform = run(rr({ kind: "numeric", replacementRate: 1, low: 0, high: 1 }), 5, 100, { columnType: DOUBLE }) as number[];
    expect(uniform.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("datetime: the instant plus noise of stddev seconds, written as masks write times", () => {
    const out = run(rr({ replacementRate: 1, stddev: 3600 }), "2024-06-01T12:00:00Z", 500, { columnType: TIME }) as string[];
    const offsets = out.map((t) => (Date.parse(t) - Date.parse("2024-06-01T12:00:00Z")) / 1000);
    expect(out.every((t) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(t))).toBe(true);
    const sd = Math.sqrt(offsets.reduce((a, b) => a + b * b, 0) / offsets.length);
    expect(sd).toBeGreaterThan(3000);
    expect(sd).toBeLessThan(4200);
    expect(failure(maskValue(rr({ replacementRate: 1 }), "2024-06-01T12:00:00Z", ctx({ columnType: TIME })))).toMatch(
      /time column `email` needs `stddev`, in seconds/,
    );
  });

  it("fails, naming what is missing", () => {
    expect(failure(maskValue(rr({ domain: DOMAIN }), "red", ctx()))).toMatch(/needs `replacementRate`, a number from 0 to 1/);
    expect(failure(maskValue(rr({ replacementRate: 0.1 }), "red", ctx()))).toMatch(/categorical randomized response on column `email` needs `domain`/);
    expect(failure(maskValue(rr({ replacementRate: 0.1 }), 1, ctx({ columnType: DOUBLE })))).toMatch(/needs `stddev`, or both `low` and `high`/);
    expect(failure(maskValue(rr({ replacementRate: 0.1, domain: DOMAIN }), "red", ctx({ keys: null })))).toMatch(
      /randomized response on column `email` needs a key provider/,
    );
  });
});
