import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { maskValue, unmaskFormatPreserving } from "../../../../src/enforce/masks/index.js";
import { ctx, failure, INTEGER, mask, RUNS, STRING, value } from "./helpers.js";

const FPE = mask("Format Preserving Masking");
const fpe = (md: Record<string, unknown>) => mask("Format Preserving Masking", md);

describe("format-preserving masking", () => {
  it("encrypts the letters and digits of a string in place (default alphabet 0-9A-Za-z), keeping its format", () => {
    expect(value(maskValue(FPE, "AB12cd34", ctx()))).toMatch(/^[A-Za-z0-9]{8}$/);
    const out = value(maskValue(fpe({ ignoreNonAlphabet: true }), "AB12-cd34", ctx())) as string;
    expect(out).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    expect(out).not.toBe("AB12-cd34");
  });

  it("hides a value with a character outside the alphabet unless ignoreNonAlphabet (Immuta's default is false)", () => {
    const digits = { alphabets: [{ minChar: 48, maxChar: 57 }] };
    expect(value(maskValue(fpe(digits), "123-45-6789", ctx()))).toBeNull();
    const kept = value(maskValue(fpe({ ...digits, ignoreNonAlphabet: true }), "123-45-6789", ctx())) as string;
    expect(kept).toMatch(/^\d{3}-\d{2}-\d{4}$/);
    expect(value(maskValue(fpe({ ...digits, radix: 10 }), "1234567", ctx()))).toMatch(/^\d{7}$/);
  });

  it("keeps `prefix` characters and pads to `padToLength` with 0", () => {
    const out = value(maskValue(fpe({ prefix: 3 }), "ABC123456", ctx())) as string;
    expect(out.slice(0, 3)).toBe("ABC");
    expect(value(maskValue(fpe({ padToLength: 6, alphabets: [{ minChar: 48, maxChar: 57 }] }), "42", ctx()))).toMatch(/^\d{6}$/);
  });

  it("maps whole numbers to whole numbers with as many digits and the same sign", () => {
    const c = ctx({ columnType: INTEGER, column: "ssn" });
    for (const n of [10, 99, 123456789, -4711, 9007199254740991]) {
      const out = value(maskValue(FPE, n, c)) as number;
      expect(Number.isSafeInteger(out)).toBe(true);
      expect(String(Math.abs(out))).toHaveLength(String(Math.abs(n)).length);
      expect(Math.sign(out)).toBe(Math.sign(n));
      expect(value(unmaskFormatPreserving(FPE, out, c))).toBe(n);
    }
  });

  it("hides what FF1 cannot encrypt (too short), keeps NULL", () => {
    expect(value(maskValue(FPE, 7, ctx({ columnType: INTEGER })))).toBeNull();
    expect(value(maskValue(FPE, "a", ctx()))).toBeNull();
    expect(value(maskValue(FPE, null, ctx()))).toBeNull();
  });

  it("refuses settings it cannot honour, and needs keys", () => {
    expect(failure(maskValue(fpe({ checksum: "LUHN", padToLength: 16 }), "4111111111111111", ctx()))).toMatch(/`padToLength` does not go with `checksum`/);
    expect(failure(maskValue(fpe({ checksum: "LUHN", alphabets: [{ minChar: 65, maxChar: 90 }] }), "4111111111111111", ctx()))).toMatch(/decimal check digits/);
    expect(failure(maskValue(fpe({ radix: 10 }), "abc", ctx()))).toMatch(/`radix` is 10, but the alphabet has 62 characters/);
    expect(failure(maskValue(fpe({ alphabets: [{ minChar: 57, maxChar: 48 }] }), "1", ctx()))).toMatch(/minChar` ≤ `maxChar/);
    expect(failure(maskValue(FPE, "abc", ctx({ keys: null })))).toMatch(/format-preserving masking on column `email` needs a key provider/);
  });

  it("differs per column key and per salt (the tweak)", () => {
    const a = value(maskValue(FPE, "HelloWorld", ctx()));
    expect(value(maskValue(FPE, "HelloWorld", ctx({ column: "other" })))).not.toBe(a);
    expect(value(maskValue(fpe({ salt: "s" }), "HelloWorld", ctx()))).not.toBe(a);
  });

  test.prop([fc.string({ unit: fc.constantFrom(..."abcXYZ0189 .-@é"), minLength: 3, maxLength: 30 })], { numRuns: RUNS })(
    "unmask(mask(x)) = x on strings",
    (text) => {
      const m = fpe({ ignoreNonAlphabet: true, salt: "tweak" });
      const c = ctx({ columnType: STRING });
      const out = value(maskValue(m, text, c));
      fc.pre(out !== null);
      expect(value(unmaskFormatPreserving(m, out, c))).toBe(text);
    },
  );

  test.prop([fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.maxSafeInteger())], { numRuns: RUNS })("unmask(mask(x)) = x on whole numbers", (n) => {
    fc.pre(Math.abs(n) >= 10);
    const c = ctx({ columnType: INTEGER });
    expect(value(unmaskFormatPreserving(FPE, value(maskValue(FPE, n, c)), c))).toBe(n);
  });

  describe("checksum", () => {
    // Written here from the definitions, not taken from the code under test.
    const luhnOk = (d: string) =>
      [...d].reverse().reduce((sum, c, i) => {
        const n = Number(c) * (i % 2 === 1 ? 2 : 1);
        return sum + (n > 9 ? n - 9 : n);
      }, 0) %
        10 ===
      0;
    const insee = (payload13: string) => payload13 + String(97 - Number(BigInt(payload13) % 97n)).padStart(2, "0");
    const LUHN = fpe({ checksum: "LUHN" });
    const INSEE = fpe({ checksum: "INSEE" });

    it("LUHN: the masked number passes the Luhn check, keeps its length and `prefix`, and unmasks", () => {
      for (const card of ["4111111111111111", "5500005555555559", "378282246310005"]) {
        const out = value(maskValue(LUHN, card, ctx())) as string;
        expect(out).toMatch(new RegExp(`^\\d{${card.length}}$`));
        expect(luhnOk(out)).toBe(true);
        expect(out).not.toBe(card);
        expect(value(unmaskFormatPreserving(LUHN, out, ctx()))).toBe(card);
      }
      const bin = value(maskValue(fpe({ checksum: "LUHN", prefix: 6 }), "4111111111111111", ctx())) as string;
      expect(bin.slice(0, 6)).toBe("411111");
      expect(luhnOk(bin)).toBe(true);
    });

    it("LUHN on a whole-number column: a number of the same length that passes the check", () => {
      const c = ctx({ columnType: INTEGER, column: "card" });
      const out = value(maskValue(LUHN, 4111111111111111, c)) as number;
      expect(String(out)).toHaveLength(16);
      expect(luhnOk(String(out))).toBe(true);
      expect(value(unmaskFormatPreserving(LUHN, out, c))).toBe(4111111111111111);
    });

    it("INSEE: 13 digits and a valid two-digit key, and unmasks", () => {
      const n = insee("1850578006084");
      const out = value(maskValue(INSEE, n, ctx())) as string;
      expect(out).toMatch(/^\d{15}$/);
      expect(insee(out.slice(0, 13))).toBe(out);
      expect(value(unmaskFormatPreserving(INSEE, out, ctx()))).toBe(n);
    });

    it("hides a value whose check digits are wrong or that is not digits (fail closed)", () => {
      expect(value(maskValue(LUHN, "4111111111111112", ctx()))).toBeNull();
      expect(value(maskValue(LUHN, "4111-1111-1111-1111", ctx()))).toBeNull();
      expect(value(maskValue(INSEE, "185057800608400", ctx()))).toBeNull();
      expect(value(maskValue(INSEE, "2A50578006084", ctx()))).toBeNull();
      expect(value(maskValue(LUHN, null, ctx()))).toBeNull();
    });

    test.prop([fc.stringMatching(/^[0-9]{12,18}$/)], { numRuns: RUNS })("any Luhn-valid number masks to a Luhn-valid one and back", (digits) => {
      const payload = digits.slice(0, -1);
      const check = [...Array(10).keys()].map(String).find((d) => luhnOk(payload + d))!;
      const card = payload + check;
      const out = value(maskValue(LUHN, card, ctx())) as string;
      expect(luhnOk(out)).toBe(true);
      expect(value(unmaskFormatPreserving(LUHN, out, ctx()))).toBe(card);
    });
  });
});
