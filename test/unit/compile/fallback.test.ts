import { describe, expect, it } from "vitest";
import { actionTypeOf, fitMask, maskFitsColumn, NULLIFY } from "../../../src/compile/fallback.js";
import { columnTypeOf } from "../../../src/model/data-type.js";
import type { MaskSpec } from "../../../src/model/policy.js";

const t = (name: string) => columnTypeOf(name)!;
const hash: MaskSpec = { type: "Consistent Value", metadata: {} };
const constant = (c: string): MaskSpec => ({ type: "Consistent Value", metadata: { constant: c } });

describe("type-mismatch fallback", () => {
  it("hashing fits strings only; on numbers it becomes Nullify with the change recorded [seed]", () => {
    expect(fitMask(hash, t("varchar(20)"))).toEqual({ mask: hash, changed: false });
    expect(fitMask(hash, t("integer"))).toEqual({ mask: NULLIFY, changed: true });
    expect(fitMask(hash, t("timestamp"))).toEqual({ mask: NULLIFY, changed: true });
  });
  it("a constant is kept when it is a value of the column's type", () => {
    expect(maskFitsColumn(constant("0"), t("integer"))).toBe(true);
    expect(maskFitsColumn(constant("REDACTED"), t("integer"))).toBe(false);
    expect(maskFitsColumn(constant("9999.00"), t("numeric"))).toBe(true);
    expect(maskFitsColumn(constant("9999.00"), t("bigint"))).toBe(false);
    expect(maskFitsColumn(constant("9999.00"), t("decimal(10,0)"))).toBe(false);
    expect(maskFitsColumn(constant("true"), t("boolean"))).toBe(true);
    expect(maskFitsColumn(constant("2020-01-01"), t("date"))).toBe(true);
    expect(maskFitsColumn(constant("soon"), t("date"))).toBe(false);
    expect(maskFitsColumn(constant("{}"), t("json"))).toBe(false);
  });
  it("nullify fits every type", () => {
    for (const ty of ["text", "integer", "boolean", "date", "jsonb"]) expect(maskFitsColumn(NULLIFY, t(ty))).toBe(true);
  });
  it("rounding needs a number with bucketSize or a time with timePrecision", () => {
    expect(maskFitsColumn({ type: "Grouping", metadata: { bucketSize: 10 } }, t("integer"))).toBe(true);
    expect(maskFitsColumn({ type: "Grouping", metadata: { bucketSize: 10 } }, t("date"))).toBe(false);
    expect(maskFitsColumn({ type: "Grouping", metadata: { timePrecision: "DAY" } }, t("timestamp"))).toBe(true);
    expect(maskFitsColumn({ type: "Grouping", metadata: { bucketSize: 10 } }, t("text"))).toBe(false);
  });
  it("FPE keeps digits for whole numbers and falls back where no alphabet fits", () => {
    const fpe: MaskSpec = { type: "Format Preserving Masking", metadata: {} };
    expect(maskFitsColumn(fpe, t("text"))).toBe(true);
    expect(maskFitsColumn(fpe, t("bigint"))).toBe(true);
    expect(maskFitsColumn(fpe, t("double"))).toBe(false);
    expect(maskFitsColumn(fpe, t("boolean"))).toBe(false);
  });
  it("regex and reversible need strings; k-anon, randomized response and custom functions keep any type", () => {
    expect(maskFitsColumn({ type: "Regular Expression", metadata: { regex: "a", replacement: "b" } }, t("integer"))).toBe(false);
    expect(maskFitsColumn({ type: "Reversible", metadata: {} }, t("integer"))).toBe(false);
    expect(maskFitsColumn({ type: "K-Anonymization", metadata: {} }, t("integer"))).toBe(true);
    expect(maskFitsColumn({ type: "Randomized Response", metadata: {} }, t("boolean"))).toBe(true);
    expect(maskFitsColumn({ type: "Custom Function", metadata: { sqlFunction: "0" } }, t("integer"))).toBe(true);
  });
  it("names the action type of every mask", () => {
    expect(actionTypeOf(hash)).toBe("Hashing");
    expect(actionTypeOf(NULLIFY)).toBe("Nullify");
    expect(actionTypeOf(constant("x"))).toBe("Constant");
    expect(
      (["Reversible", "Grouping", "Regular Expression", "Format Preserving Masking", "K-Anonymization", "Randomized Response", "Custom Function"] as const).map(
        (type) => actionTypeOf({ type, metadata: {} }),
      ),
    ).toEqual(["Reversible", "Generalization", "Regex", "FPE", "KANON", "RandomizedResponse", "CustomFunction"]);
  });
});
