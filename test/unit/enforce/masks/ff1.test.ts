/**
 * FF1 against NIST's published samples (CSRC "FF1samples.pdf", SP 800-38G examples):
 * all nine, AES-128/192/256, radix 10 and radix 36, with and without a tweak.
 */
import { hexToBytes } from "@noble/ciphers/utils.js";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { ff1Decrypt, ff1Encrypt } from "../../../../src/index.js";
import { RUNS } from "./helpers.js";

const K128 = "2B7E151628AED2A6ABF7158809CF4F3C";
const K192 = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F";
const K256 = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94";
const R10 = "0123456789";
const R36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const T2 = "39383736353433323130";
const T3 = "3737373770717273373737";

const SAMPLES = [
  { n: 1, key: K128, tweak: "", alphabet: R10, pt: "0123456789", ct: "2433477484" },
  { n: 2, key: K128, tweak: T2, alphabet: R10, pt: "0123456789", ct: "6124200773" },
  { n: 3, key: K128, tweak: T3, alphabet: R36, pt: "0123456789abcdefghi", ct: "a9tv40mll9kdu509eum" },
  { n: 4, key: K192, tweak: "", alphabet: R10, pt: "0123456789", ct: "2830668132" },
  { n: 5, key: K192, tweak: T2, alphabet: R10, pt: "0123456789", ct: "2496655549" },
  { n: 6, key: K192, tweak: T3, alphabet: R36, pt: "0123456789abcdefghi", ct: "xbj3kv35jrawxv32ysr" },
  { n: 7, key: K256, tweak: "", alphabet: R10, pt: "0123456789", ct: "6657667009" },
  { n: 8, key: K256, tweak: T2, alphabet: R10, pt: "0123456789", ct: "1001623463" },
  { n: 9, key: K256, tweak: T3, alphabet: R36, pt: "0123456789abcdefghi", ct: "xs8a0azh2avyalyzuwd" },
];

describe("ff1Encrypt / ff1Decrypt: NIST FF1 samples", () => {
  it.each(SAMPLES)("sample $n", ({ key, tweak, alphabet, pt, ct }) => {
    expect(ff1Encrypt(hexToBytes(key), hexToBytes(tweak), pt, alphabet)).toBe(ct);
    expect(ff1Decrypt(hexToBytes(key), hexToBytes(tweak), ct, alphabet)).toBe(pt);
  });
});

describe("ff1Encrypt outside the samples", () => {
  const key = hexToBytes(K256);
  it("passes characters outside the alphabet through, encrypting the rest in place", () => {
    const plain = ff1Encrypt(key, new Uint8Array(), "0123456789", R10);
    expect(ff1Encrypt(key, new Uint8Array(), "012-345-6789", R10)).toBe(`${plain.slice(0, 3)}-${plain.slice(3, 6)}-${plain.slice(6)}`);
  });

  it("refuses a bad key, alphabet or too short a value", () => {
    expect(() => ff1Encrypt(new Uint8Array(15), new Uint8Array(), "0123", R10)).toThrow(/16, 24 or 32 bytes; got 15/);
    expect(() => ff1Encrypt(key, new Uint8Array(), "0123", "0")).toThrow(/at least 2 characters/);
    expect(() => ff1Encrypt(key, new Uint8Array(), "0123", "0012")).toThrow(/may not repeat/);
    expect(() => ff1Encrypt(key, new Uint8Array(), "7", R10)).toThrow(/radix\^n ≥ 100/);
    expect(() => ff1Encrypt(key, new Uint8Array(), "a-b", R36)).not.toThrow();
  });

  test.prop([fc.string({ unit: fc.constantFrom(..."0123456789abcdefXYZ-_ é🙂"), minLength: 2, maxLength: 40 }), fc.uint8Array({ maxLength: 12 })], {
    numRuns: RUNS,
  })("decrypt(encrypt(x)) = x, and the format is kept", (text, tweak) => {
    const inAlphabet = Array.from(text).filter((c) => "0123456789abcdef".includes(c)).length;
    fc.pre(16 ** inAlphabet >= 100);
    const ct = ff1Encrypt(key, tweak, text, "0123456789abcdef");
    expect(ct.replace(/[0-9a-f]/g, "h")).toBe(text.replace(/[0-9a-f]/g, "h"));
    expect(ff1Decrypt(key, tweak, ct, "0123456789abcdef")).toBe(text);
  });
});
