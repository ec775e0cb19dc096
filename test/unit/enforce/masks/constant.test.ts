import { describe, expect, it } from "vitest";
import { maskValue } from "../../../../src/enforce/masks/index.js";
import { BOOLEAN, ctx, DOUBLE, failure, INTEGER, mask, NULLIFY, STRING, TIME, value } from "./helpers.js";

const constant = (c: string) => mask("Consistent Value", { constant: c });

describe("nullify", () => {
  it("turns every value, NULL included, into NULL, and needs no key", () => {
    for (const v of ["x", 5, true, null, undefined]) expect(value(maskValue(NULLIFY, v, ctx({ keys: null, columnType: INTEGER })))).toBeNull();
  });
});

describe("constant", () => {
  it("is the constant as a value of the column's type", () => {
    expect(value(maskValue(constant("REDACTED"), "secret", ctx()))).toBe("REDACTED");
    expect(value(maskValue(constant("0"), 42, ctx({ columnType: INTEGER })))).toBe(0);
    expect(value(maskValue(constant("9999.00"), 1.5, ctx({ columnType: DOUBLE })))).toBe(9999);
    expect(value(maskValue(constant("TRUE"), false, ctx({ columnType: BOOLEAN })))).toBe(true);
    expect(value(maskValue(constant("false"), true, ctx({ columnType: BOOLEAN })))).toBe(false);
  });

  it("writes a time constant as a UTC instant; offset-less text is UTC", () => {
    expect(value(maskValue(constant("2020-01-01"), "2024-05-05T10:00:00Z", ctx({ columnType: TIME })))).toBe("2020-01-01T00:00:00.000Z");
    expect(value(maskValue(constant("2020-01-01 12:30:00"), null, ctx({ columnType: TIME })))).toBe("2020-01-01T12:30:00.000Z");
    expect(value(maskValue(constant("2020-01-01T12:00:00+09:00"), null, ctx({ columnType: TIME })))).toBe("2020-01-01T03:00:00.000Z");
  });

  it("replaces NULL too (the one mask that does)", () => {
    expect(value(maskValue(constant("N/A"), null, ctx()))).toBe("N/A");
  });

  it("fails, naming the column, on a constant that is not a value of the type (binding should have made it Nullify)", () => {
    expect(failure(maskValue(constant("REDACTED"), 1, ctx({ column: "id", columnType: INTEGER })))).toMatch(
      /`REDACTED` is not a value of column `id`'s type \(number\)/,
    );
    expect(failure(maskValue(constant("1.5"), 1, ctx({ columnType: INTEGER })))).toMatch(/not a value/);
    expect(failure(maskValue(constant("2020-02-30"), null, ctx({ columnType: TIME })))).toMatch(/not a value/);
    expect(value(maskValue(constant("x"), 1, ctx({ columnType: STRING })))).toBe("x");
  });
});
