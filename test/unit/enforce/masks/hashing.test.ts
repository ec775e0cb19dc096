import { createHash } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { maskValue } from "../../../../src/enforce/masks/index.js";
import { ctx, failure, HASH, KEYS, RUNS, value } from "./helpers.js";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("hashing", () => {
  it("is lowercase hex SHA-256 of UTF-8 (hexSalt + text), the salt from the key provider", () => {
    const salt = Buffer.from(KEYS.hashSalt(1)).toString("hex");
    expect(value(maskValue(HASH, "alice@example.com", ctx()))).toBe(sha(`${salt}alice@example.com`));
    expect(value(maskValue(HASH, "日本🙂", ctx()))).toBe(sha(`${salt}日本🙂`));
    expect(value(maskValue(HASH, "", ctx()))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps NULL", () => {
    expect(value(maskValue(HASH, null, ctx()))).toBeNull();
    expect(value(maskValue(HASH, undefined, ctx()))).toBeNull();
  });

  it("needs a key provider, and says what to set", () => {
    expect(failure(maskValue(HASH, "x", ctx({ keys: null })))).toMatch(/hashing on column `email` needs a key provider: set VEIL_SECRET/);
  });

  test.prop([fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" })], { numRuns: RUNS })(
    "equal values hash equal within a source; different values differ",
    (a, b) => {
      const h = (v: string) => value(maskValue(HASH, v, ctx()));
      expect(h(a)).toBe(h(a));
      if (a !== b) expect(h(a)).not.toBe(h(b));
    },
  );

  test.prop([fc.string(), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 1e6 })], { numRuns: RUNS })(
    "the same value hashes differently in different sources",
    (v, s1, s2) => {
      fc.pre(s1 !== s2);
      expect(value(maskValue(HASH, v, ctx({ dataSourceId: s1 })))).not.toBe(value(maskValue(HASH, v, ctx({ dataSourceId: s2 }))));
    },
  );
});
