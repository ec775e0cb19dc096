import { hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hkdfKeyProvider } from "../../../../src/enforce/keys.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("hkdfKeyProvider", () => {
  it("derives with HKDF-SHA256, the fixed salt and JSON info (checked against node:crypto)", () => {
    const p = hkdfKeyProvider("s3cret");
    const expected = (info: unknown) => Buffer.from(hkdfSync("sha256", "s3cret", "veil-policy/masking-keys/v1", JSON.stringify(info), 32)).toString("hex");
    expect(hex(p.hashSalt(7))).toBe(expected(["hashSalt", 7]));
    expect(hex(p.columnKey("reversible", 7, "email"))).toBe(expected(["reversible", 7, "email"]));
    expect(hex(p.columnKey("fpe", 7, "email"))).toBe(expected(["fpe", 7, "email"]));
  });

  it("gives 32 bytes, the same for the same inputs, and different ones per purpose, source, column and secret", () => {
    const p = hkdfKeyProvider("s3cret");
    const all = [
      p.hashSalt(1),
      p.hashSalt(2),
      p.columnKey("reversible", 1, "a"),
      p.columnKey("fpe", 1, "a"),
      p.columnKey("sampling", 1, "a"),
      p.columnKey("randomized", 1, "a"),
      p.columnKey("reversible", 2, "a"),
      p.columnKey("reversible", 1, "b"),
      hkdfKeyProvider("other").hashSalt(1),
    ].map(hex);
    expect(new Set(all).size).toBe(all.length);
    for (const k of all) expect(k).toHaveLength(64);
    expect(hex(p.hashSalt(1))).toBe(hex(hkdfKeyProvider(new TextEncoder().encode("s3cret")).hashSalt(1)));
  });

  it("keeps column names apart that a naive join would confuse", () => {
    const p = hkdfKeyProvider("s3cret");
    expect(hex(p.columnKey("fpe", 1, "a,b"))).not.toBe(hex(p.columnKey("fpe", 1, 'a","b')));
  });

  it("refuses an empty secret", () => {
    expect(() => hkdfKeyProvider("")).toThrow(/VEIL_SECRET/);
    expect(() => hkdfKeyProvider(new Uint8Array())).toThrow(/empty/);
  });
});
