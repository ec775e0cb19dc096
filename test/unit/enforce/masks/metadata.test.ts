/**
 * The mask metadata keys Immuta's v1 swagger documents (definitions/Model123) for
 * format-preserving masking and randomized response are accepted, rendered in a fixed
 * order, and still refused on types they do not belong to.
 */
import { describe, expect, it } from "vitest";
import { METADATA_KEYS, V1MaskingConfigSchema, V2MaskingConfigSchema } from "../../../../src/model/masking-config.js";

describe("mask metadata keys from Immuta's swagger", () => {
  it("Format Preserving Masking takes radix, alphabets, salt, padToLength, ignoreNonAlphabet, prefix, checksum", () => {
    const md = {
      radix: 10,
      alphabets: [{ minChar: 48, maxChar: 57, radix: 10 }],
      salt: "s",
      padToLength: 6,
      ignoreNonAlphabet: true,
      prefix: 2,
      checksum: "LUHN",
    };
    expect(V1MaskingConfigSchema.safeParse({ type: "Format Preserving Masking", metadata: md }).success).toBe(true);
    expect(V2MaskingConfigSchema.safeParse({ type: "Format Preserving Masking", ...md }).success).toBe(true);
    expect(METADATA_KEYS["Format Preserving Masking"]).toEqual(["radix", "alphabets", "salt", "padToLength", "ignoreNonAlphabet", "prefix", "checksum"]);
  });

  it("Randomized Response takes kind, replacementRate, low, high, stddev, domain, allowNull", () => {
    const md = { kind: "categorical", replacementRate: 0.2, low: 0, high: 9, stddev: 1.5, domain: ["a", 1], allowNull: true };
    expect(V1MaskingConfigSchema.safeParse({ type: "Randomized Response", metadata: md }).success).toBe(true);
    expect(METADATA_KEYS["Randomized Response"]).toEqual(["kind", "replacementRate", "low", "high", "stddev", "domain", "allowNull"]);
  });

  it("refuses bad values and keys on the wrong type, naming what is accepted", () => {
    const bad = (type: string, metadata: unknown) => {
      const r = V1MaskingConfigSchema.safeParse({ type, metadata });
      return r.success ? "" : r.error.issues.map((i) => i.message).join("; ");
    };
    expect(bad("Randomized Response", { kind: "gaussian" })).toMatch(/plain|numeric|categorical/);
    expect(bad("Format Preserving Masking", { checksum: "MOD97" })).toMatch(/LUHN|INSEE/);
    expect(bad("Reversible", { salt: "s" })).toMatch(/`salt` does not apply to masking type `Reversible`/);
    expect(bad("Regular Expression", { regex: "a", replacement: "b", kind: "plain" })).toMatch(/it takes: regex, replacement, caseInsensitive, global/);
  });
});
