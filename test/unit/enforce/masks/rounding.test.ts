import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { maskValue } from "../../../../src/enforce/masks/index.js";
import { ctx, DOUBLE, failure, INTEGER, mask, RUNS, STRING, TIME, value } from "./helpers.js";

const bucket = (b: number) => mask("Grouping", { bucketSize: b });
const precision = (p: string) => mask("Grouping", { timePrecision: p });

describe("rounding numbers", () => {
  it("floors to the bucket", () => {
    expect(value(maskValue(bucket(10), 47, ctx({ columnType: INTEGER })))).toBe(40);
    expect(value(maskValue(bucket(10), -1, ctx({ columnType: INTEGER })))).toBe(-10);
    expect(value(maskValue(bucket(0.5), 2.74, ctx({ columnType: DOUBLE })))).toBe(2.5);
    expect(value(maskValue(bucket(1000), "12345.67", ctx({ columnType: DOUBLE })))).toBe(12000);
    expect(value(maskValue(bucket(5), 12n, ctx({ columnType: INTEGER })))).toBe(10);
  });

  it("keeps whole-number columns whole when the bucket is not", () => {
    expect(value(maskValue(bucket(2.5), 3, ctx({ columnType: INTEGER })))).toBe(2);
  });

  it("keeps NULL, and hides a value that is not a number", () => {
    expect(value(maskValue(bucket(10), null, ctx({ columnType: INTEGER })))).toBeNull();
    expect(value(maskValue(bucket(10), "abc", ctx({ columnType: INTEGER })))).toBeNull();
  });

  test.prop([fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true })], { numRuns: RUNS })(
    "is floor(x / b) * b",
    (x, b) => {
      expect(value(maskValue(bucket(b), x, ctx({ columnType: DOUBLE })))).toBe(Math.floor(x / b) * b);
    },
  );
});

describe("rounding times", () => {
  const t = "2024-08-17T13:45:12.345Z";
  it("truncates in UTC, written as YYYY-MM-DDTHH:MM:SS.sssZ", () => {
    const out = (p: string, v: unknown = t) => value(maskValue(precision(p), v, ctx({ columnType: TIME })));
    expect(out("HOUR")).toBe("2024-08-17T13:00:00.000Z");
    expect(out("DAY")).toBe("2024-08-17T00:00:00.000Z");
    expect(out("MONTH")).toBe("2024-08-01T00:00:00.000Z");
    expect(out("QUARTER")).toBe("2024-07-01T00:00:00.000Z");
    expect(out("QUARTER", "2024-03-31T23:59:59Z")).toBe("2024-01-01T00:00:00.000Z");
    expect(out("YEAR")).toBe("2024-01-01T00:00:00.000Z");
    expect(out("DAY", "2024-08-17T01:00:00+09:00")).toBe("2024-08-16T00:00:00.000Z");
    expect(out("HOUR", "2024-08-17 13:45:12")).toBe("2024-08-17T13:00:00.000Z");
    expect(out("MONTH", "0042-05-06")).toBe("0042-05-01T00:00:00.000Z");
    expect(out("DAY", new Date(Date.UTC(2024, 0, 2, 3)))).toBe("2024-01-02T00:00:00.000Z");
  });

  it("keeps NULL, and hides text that is not a time", () => {
    expect(value(maskValue(precision("DAY"), null, ctx({ columnType: TIME })))).toBeNull();
    expect(value(maskValue(precision("DAY"), "June 1, 2024", ctx({ columnType: TIME })))).toBeNull();
  });

  it("fails on a column it cannot round, or a missing setting", () => {
    expect(failure(maskValue(bucket(5), "x", ctx({ columnType: STRING })))).toMatch(
      /^unsupported: rounding applies to number and time columns; `email` is a string column/,
    );
    expect(failure(maskValue(bucket(5), "2024-01-01", ctx({ columnType: TIME })))).toMatch(/needs `timePrecision`; accepted: HOUR, DAY, MONTH, QUARTER, YEAR/);
    expect(failure(maskValue(precision("DAY"), 1, ctx({ columnType: INTEGER })))).toMatch(/needs a positive `bucketSize`/);
  });
});
