/**
 * Format-preserving masking: FF1 (ff1.ts) under the column's `fpe` key, with the UTF-8
 * of metadata `salt` as the tweak (empty when absent).
 *
 * - Strings: the alphabet is metadata `alphabets` (each `{minChar, maxChar}`, character
 *   codes, concatenated in order; `radix`, when given, must equal its size), else
 *   `0-9A-Za-z`. The first `prefix` characters are kept. Shorter than `padToLength`, the
 *   rest is left-padded with `0` first. A character outside the alphabet passes through
 *   when `ignoreNonAlphabet` is true; otherwise (Immuta's default) the value cannot be
 *   encrypted and is hidden (NULL).
 * - Whole numbers: the decimal digits, sign kept, cycle-walked until the result has no
 *   leading zero and stays a safe integer, so it is again a number of the same length.
 * - Too few alphabet characters for FF1 (fewer than 2, or radix^n < 100): hidden (NULL).
 * - `checksum` (LUHN, INSEE; check-digits.ts): the value must be decimal digits (after
 *   `prefix`) with valid check digits, else it is hidden (NULL); the digits before the check
 *   digits are encrypted over 0-9 and the check digits computed anew, so the result passes
 *   the same check. It takes the decimal alphabet only, and no `padToLength`.
 */
import { utf8ToBytes } from "@noble/ciphers/utils.js";
import { fail, ok, type Result } from "../../errors.js";
import type { MaskSpec } from "../../model/policy.js";
import { badMetadata, type MaskContext, needsKeys } from "./context.js";
import { CHECK_DIGITS, type CheckDigits } from "./check-digits.js";
import { alphabetChars, ff1Decrypt, ff1Encrypt, ff1LengthOk } from "./ff1.js";

const DEFAULT_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";

interface FpeSettings {
  readonly key: Uint8Array;
  readonly tweak: Uint8Array;
  readonly alphabet: string;
  readonly chars: ReadonlySet<string>;
  readonly prefix: number;
  readonly padToLength: number;
  readonly ignoreNonAlphabet: boolean;
  readonly checksum: CheckDigits | null;
}

const int = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** The mask's settings from its metadata and the column's key, or what is wrong with them. */
function settings(mask: MaskSpec, ctx: Pick<MaskContext, "keys" | "dataSourceId" | "column">): Result<FpeSettings> {
  const md = mask.metadata;
  let alphabet = DEFAULT_ALPHABET;
  if (md["alphabets"] !== undefined) {
    const list = md["alphabets"];
    if (!Array.isArray(list) || list.length === 0) return fail([badMetadata("alphabets", "`alphabets` must be a non-empty list of `{minChar, maxChar}`")]);
    alphabet = "";
    for (const [i, a] of list.entries()) {
      const min = (a as Record<string, unknown>)?.["minChar"];
      const max = (a as Record<string, unknown>)?.["maxChar"];
      const radix = (a as Record<string, unknown>)?.["radix"];
      if (!int(min) || !int(max) || min > max || max > 0x10ffff)
        return fail([badMetadata("alphabets", `\`alphabets[${i}]\` needs character codes \`minChar\` ≤ \`maxChar\``)]);
      if (radix !== undefined && radix !== max - min + 1)
        return fail([
          badMetadata("alphabets", `\`alphabets[${i}].radix\` is ${String(radix)}, but \`minChar\`..\`maxChar\` holds ${max - min + 1} characters`),
        ]);
      for (let c = min; c <= max; c++) alphabet += String.fromCodePoint(c);
    }
  }
  const chars = alphabetChars(alphabet);
  if (typeof chars === "string") return fail([badMetadata("alphabets", chars)]);
  if (md["radix"] !== undefined && md["radix"] !== chars.length) {
    return fail([badMetadata("radix", `\`radix\` is ${String(md["radix"])}, but the alphabet has ${chars.length} characters`)]);
  }
  const prefix = md["prefix"] ?? 0;
  const padToLength = md["padToLength"] ?? 0;
  if (!int(prefix)) return fail([badMetadata("prefix", "`prefix` must be a whole number ≥ 0")]);
  if (!int(padToLength)) return fail([badMetadata("padToLength", "`padToLength` must be a whole number ≥ 0")]);
  if (padToLength > 0 && !chars.includes("0")) return fail([badMetadata("padToLength", "`padToLength` pads with `0`, which is not in the alphabet")]);
  const checksum = md["checksum"] === "LUHN" || md["checksum"] === "INSEE" ? CHECK_DIGITS[md["checksum"]] : null;
  if (checksum && alphabet !== DIGITS && md["alphabets"] !== undefined)
    return fail([badMetadata("checksum", "`checksum` computes decimal check digits: its alphabet is 0-9 (leave `alphabets` out, or give 48..57)")]);
  if (checksum && padToLength > 0)
    return fail([badMetadata("padToLength", "`padToLength` does not go with `checksum`: padding would change the check digits")]);
  if (ctx.keys === null) return fail([needsKeys("format-preserving masking", ctx.column)]);
  const salt = md["salt"];
  return ok({
    key: ctx.keys.columnKey("fpe", ctx.dataSourceId, ctx.column),
    tweak: utf8ToBytes(typeof salt === "string" ? salt : ""),
    alphabet,
    chars: new Set(chars),
    prefix,
    padToLength,
    ignoreNonAlphabet: md["ignoreNonAlphabet"] === true,
    checksum,
  });
}

/** A whole number's sign and digits, or undefined when the value is not a safe integer. */
function integerDigits(value: unknown): { negative: boolean; digits: string } | undefined {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "bigint") n = Number(value);
  else if (typeof value === "string" && /^[+-]?\d+$/.test(value.trim())) n = Number(value.trim());
  else return undefined;
  if (!Number.isSafeInteger(n)) return undefined;
  return { negative: n < 0, digits: String(Math.abs(n)) };
}

/** Digits that stand for a number of the same length: no leading zero (unless one digit) and a safe integer. */
const sameShape = (digits: string) => (digits.length === 1 || digits[0] !== "0") && Number.isSafeInteger(Number(digits));

/** FF1 on digits, repeated until the result is again a number of the same shape (cycle walking keeps it a bijection). */
function walkDigits(s: FpeSettings, digits: string, direction: "encrypt" | "decrypt"): string {
  const step = direction === "encrypt" ? ff1Encrypt : ff1Decrypt;
  let out = step(s.key, s.tweak, digits, DIGITS);
  while (!sameShape(out)) out = step(s.key, s.tweak, out, DIGITS);
  return out;
}

function transform(mask: MaskSpec, value: unknown, ctx: MaskContext, direction: "encrypt" | "decrypt"): Result<unknown> {
  if (value === null || value === undefined) return ok(null);
  const r = settings(mask, ctx);
  if (!r.ok) return r;
  const s = r.value;
  if (s.checksum) return ok(withCheckDigits(s, s.checksum, value, ctx.columnType.family === "number", direction));
  if (ctx.columnType.family === "number") {
    const n = integerDigits(value);
    if (n === undefined || !ff1LengthOk(10, n.digits.length)) return ok(null);
    const digits = walkDigits(s, n.digits, direction);
    return ok((n.negative ? -1 : 1) * Number(digits));
  }
  if (typeof value !== "string") return ok(null);
  const all = Array.from(value);
  const head = all.slice(0, s.prefix).join("");
  let body = all.slice(s.prefix).join("");
  if (direction === "encrypt" && Array.from(body).length < s.padToLength) body = body.padStart(s.padToLength - Array.from(body).length + body.length, "0");
  const inAlphabet = Array.from(body).filter((c) => s.chars.has(c)).length;
  if (!s.ignoreNonAlphabet && inAlphabet !== Array.from(body).length) return ok(null);
  if (!ff1LengthOk(s.chars.size, inAlphabet)) return ok(null);
  return ok(head + (direction === "encrypt" ? ff1Encrypt : ff1Decrypt)(s.key, s.tweak, body, s.alphabet));
}

/**
 * FPE that keeps check digits valid: the digits between `prefix` and the check digits are
 * encrypted over 0-9 (for a number column, walked until the whole keeps its length), and
 * the check digits computed for the result. A value not of the scheme's form is hidden.
 */
function withCheckDigits(s: FpeSettings, check: CheckDigits, value: unknown, isNumber: boolean, direction: "encrypt" | "decrypt"): unknown {
  const text = isNumber ? integerDigits(value) : typeof value === "string" ? { negative: false, digits: value } : undefined;
  if (text === undefined || !check.valid(text.digits) || text.digits.length < s.prefix + check.width) return null;
  const head = text.digits.slice(0, s.prefix);
  const payload = text.digits.slice(s.prefix, text.digits.length - check.width);
  if (!ff1LengthOk(10, payload.length)) return null;
  const step = direction === "encrypt" ? ff1Encrypt : ff1Decrypt;
  const whole = (p: string) => head + p + check.compute(head + p);
  let out = step(s.key, s.tweak, payload, DIGITS);
  // A number must keep its digits: cycle-walk (a bijection on the payloads that keep the shape).
  while (isNumber && !sameShape(whole(out))) out = step(s.key, s.tweak, out, DIGITS);
  return isNumber ? (text.negative ? -1 : 1) * Number(whole(out)) : whole(out);
}

/** The FPE mask of one cell (NULL stays NULL). */
export function fpeMask(mask: MaskSpec, value: unknown, ctx: MaskContext): Result<unknown> {
  return transform(mask, value, ctx, "encrypt");
}

/** The value an FPE-masked cell was made from (padding added by `padToLength` stays). */
export function fpeUnmask(mask: MaskSpec, masked: unknown, ctx: MaskContext): Result<unknown> {
  return transform(mask, masked, ctx, "decrypt");
}
