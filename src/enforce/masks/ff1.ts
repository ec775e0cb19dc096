/**
 * NIST SP 800-38G FF1 (AES) over text in an alphabet: radix = the alphabet's length, each
 * character its index. Characters outside the alphabet pass through unchanged and only
 * the alphabet's characters are encrypted, in place, so `123-45-6789` stays `ddd-dd-dddd`.
 * The block cipher work is @noble/ciphers' FF1.
 */
import { FF1 } from "@noble/ciphers/ff1.js";
import { issue, VeilError } from "../../errors.js";

/** FF1's domain floor (SP 800-38G): at least 2 numerals and radix^n ≥ 100. */
export const FF1_MIN_DOMAIN = 100;

/** The alphabet's characters (code points), or why it cannot be one. */
export function alphabetChars(alphabet: string): string[] | string {
  const chars = Array.from(alphabet);
  if (chars.length < 2) return "an FF1 alphabet needs at least 2 characters";
  if (chars.length > 65536) return "an FF1 alphabet has at most 65536 characters (radix ≤ 2^16)";
  if (new Set(chars).size !== chars.length) return "an FF1 alphabet may not repeat a character";
  return chars;
}

/** Whether n numerals of this radix are enough for FF1. */
export function ff1LengthOk(radix: number, n: number): boolean {
  return n >= 2 && radix ** n >= FF1_MIN_DOMAIN;
}

/** Applies FF1 to the alphabet's characters of `text` in place; throws VeilError on bad key, alphabet or length. */
function ff1(direction: "encrypt" | "decrypt", key: Uint8Array, tweak: Uint8Array, text: string, alphabet: string): string {
  const refuse = (why: string): never => {
    throw new VeilError([issue("invalid_input", [], `ff1${direction === "encrypt" ? "Encrypt" : "Decrypt"}: ${why}`)]);
  };
  if (![16, 24, 32].includes(key.length)) refuse(`an AES key is 16, 24 or 32 bytes; got ${key.length}`);
  const chars = alphabetChars(alphabet);
  if (typeof chars === "string") return refuse(chars);
  const index = new Map(chars.map((c, i) => [c, i]));
  const all = Array.from(text);
  const at: number[] = [];
  const numerals: number[] = [];
  all.forEach((c, i) => {
    const n = index.get(c);
    if (n !== undefined) {
      at.push(i);
      numerals.push(n);
    }
  });
  if (!ff1LengthOk(chars.length, numerals.length)) {
    refuse(`${numerals.length} character(s) of the alphabet; FF1 needs at least 2 and radix^n ≥ ${FF1_MIN_DOMAIN} (radix ${chars.length})`);
  }
  const cipher = FF1(chars.length, key, tweak);
  const out = direction === "encrypt" ? cipher.encrypt(numerals) : cipher.decrypt(numerals);
  at.forEach((pos, k) => {
    all[pos] = chars[out[k]!]!;
  });
  return all.join("");
}

/** FF1-encrypts the characters of `plaintext` that are in `alphabet`; others pass through. */
export function ff1Encrypt(key: Uint8Array, tweak: Uint8Array, plaintext: string, alphabet: string): string {
  return ff1("encrypt", key, tweak, plaintext, alphabet);
}

/** The inverse of ff1Encrypt under the same key, tweak and alphabet. */
export function ff1Decrypt(key: Uint8Array, tweak: Uint8Array, ciphertext: string, alphabet: string): string {
  return ff1("decrypt", key, tweak, ciphertext, alphabet);
}
