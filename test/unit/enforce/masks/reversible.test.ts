import { cbc } from "@noble/ciphers/aes.js";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { maskValue, unmaskReversible } from "../../../../src/enforce/masks/index.js";
import { hkdfKeyProvider } from "../../../../src/enforce/keys.js";
import { ctx, failure, KEYS, mask, RUNS, seededBytes, value } from "./helpers.js";

const REVERSIBLE = mask("Reversible");
const b64 = (s: string) => Buffer.from(s, "base64");

describe("reversible masking", () => {
  it("writes base64(base64(iv) ':' base64(ciphertext)), the IV 16 hex characters, AES-256-CBC under the column key", () => {
    const token = value(maskValue(REVERSIBLE, "alice@example.com", ctx())) as string;
    const [iv, ct] = b64(token).toString("utf8").split(":") as [string, string];
    expect(b64(iv).toString("latin1")).toMatch(/^[0-9a-f]{16}$/);
    // Decrypted independently of src: the IV's 16 ASCII bytes are the AES IV.
    const key = KEYS.columnKey("reversible", 1, "email");
    expect(Buffer.from(cbc(key, new Uint8Array(b64(iv))).decrypt(new Uint8Array(b64(ct)))).toString("utf8")).toBe("alice@example.com");
  });

  it("has the shape of Immuta's unmask example (seed: task-complete-unmask.json)", () => {
    const seed = "TnpjNFpXSXdOR1pqWkdNeE5EYzJPQT09OktaWjJEVldXZVluTmQ2SUVQdW1MajJtVTdqL2ZBT1JlaGFUUHJidmhkWmM9";
    const ours = value(maskValue(REVERSIBLE, "a value of 17 to 31 bytes", ctx())) as string;
    const shape = (t: string) =>
      b64(t)
        .toString("utf8")
        .replace(/[A-Za-z0-9+/]/g, "x");
    expect(shape(ours)).toBe(shape(seed));
    // A token made under another key does not decrypt: a failure, not garbage.
    expect(failure(unmaskReversible(seed, { keys: KEYS, dataSourceId: 1, column: "email" }))).toMatch(/does not decrypt under this column's key/);
  });

  it("draws a fresh IV per cell, so equal values give different tokens", () => {
    const c = ctx({ randomBytes: seededBytes(7) });
    expect(value(maskValue(REVERSIBLE, "same", c))).not.toBe(value(maskValue(REVERSIBLE, "same", c)));
  });

  test.prop([fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 2 ** 31 })], { numRuns: RUNS })("unmask(mask(x)) = x", (text, seed) => {
    const c = ctx({ randomBytes: seededBytes(seed) });
    const token = value(maskValue(REVERSIBLE, text, c)) as string;
    expect(value(unmaskReversible(token, c))).toBe(text);
  });

  it("only the same source and column (and secret) unmask", () => {
    const token = value(maskValue(REVERSIBLE, "x", ctx())) as string;
    expect(failure(unmaskReversible(token, { keys: KEYS, dataSourceId: 1, column: "other" }))).toMatch(/does not decrypt/);
    expect(failure(unmaskReversible(token, { keys: hkdfKeyProvider("another secret"), dataSourceId: 1, column: "email" }))).toMatch(/does not decrypt/);
  });

  it("keeps NULL; needs keys and a random source; rejects malformed tokens", () => {
    expect(value(maskValue(REVERSIBLE, null, ctx()))).toBeNull();
    expect(failure(maskValue(REVERSIBLE, "x", ctx({ keys: null })))).toMatch(/reversible masking on column `email` needs a key provider: set VEIL_SECRET/);
    expect(failure(maskValue(REVERSIBLE, "x", ctx({ randomBytes: null })))).toMatch(/needs `randomBytes`/);
    expect(failure(maskValue(REVERSIBLE, "x", ctx({ randomBytes: () => new Uint8Array(3) })))).toMatch(/returned 3 bytes/);
    const c = { keys: KEYS, dataSourceId: 1, column: "email" };
    expect(failure(unmaskReversible("not base64!", c))).toMatch(/not base64/);
    expect(failure(unmaskReversible(Buffer.from("abc").toString("base64"), c))).toMatch(/base64\(iv\) ":" base64\(ciphertext\)/);
    expect(failure(unmaskReversible(Buffer.from(`${Buffer.from("short").toString("base64")}:AAAA`).toString("base64"), c))).toMatch(/IV is not 16 hex/);
    expect(failure(unmaskReversible("x", { ...c, keys: null }))).toMatch(/needs a key provider/);
  });
});
