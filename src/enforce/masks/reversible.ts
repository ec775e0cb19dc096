/**
 * Reversible masking: AES-256-CBC (PKCS#7 padding) of the value's UTF-8 text under the
 * column's key, with a fresh IV per cell. The token is Immuta's
 * `base64(base64(iv) ":" base64(ciphertext))`, where the IV is 16 ASCII hex characters
 * and AES uses those 16 characters' bytes as the IV [seed: decoded from the unmask
 * example]. The random source is an input; the core never draws randomness itself.
 */
import { cbc } from "@noble/ciphers/aes.js";
import { bytesToHex, utf8ToBytes } from "@noble/ciphers/utils.js";
import { fail, issue, ok, type Result } from "../../errors.js";
import { fromBase64, toBase64 } from "./base64.js";

/** The token for `text` under `key` (32 bytes), with 8 random bytes making the 16-hex-character IV. */
export function reversibleToken(key: Uint8Array, text: string, randomBytes: (n: number) => Uint8Array): Result<string> {
  const random = randomBytes(8);
  if (!(random instanceof Uint8Array) || random.length !== 8) {
    return fail([
      issue(
        "invalid_input",
        ["randomBytes"],
        `randomBytes(8) returned ${random instanceof Uint8Array ? `${random.length} bytes` : "no Uint8Array"}; reversible masking needs exactly 8`,
      ),
    ]);
  }
  const iv = utf8ToBytes(bytesToHex(random));
  const ciphertext = cbc(key, iv).encrypt(utf8ToBytes(text));
  return ok(toBase64(utf8ToBytes(`${toBase64(iv)}:${toBase64(ciphertext)}`)));
}

/** The text a token was made from, under the same key; an issue naming what is wrong otherwise. */
export function reversibleText(key: Uint8Array, token: string): Result<string> {
  const bad = (why: string) =>
    fail<string>([issue("invalid_input", ["token"], `\`${token.length > 80 ? `${token.slice(0, 80)}…` : token}\` is not a reversible token: ${why}`)]);
  const outer = fromBase64(token);
  if (outer === undefined) return bad("not base64");
  let inner: string;
  try {
    inner = new TextDecoder("utf-8", { fatal: true }).decode(outer);
  } catch {
    return bad("its base64 does not hold text");
  }
  const parts = inner.split(":");
  if (parts.length !== 2) return bad('expected base64(iv) ":" base64(ciphertext) inside');
  const iv = fromBase64(parts[0]!);
  const ciphertext = fromBase64(parts[1]!);
  if (iv === undefined || iv.length !== 16 || !/^[0-9a-f]{16}$/i.test(String.fromCharCode(...iv))) return bad("the IV is not 16 hex characters");
  if (ciphertext === undefined || ciphertext.length === 0 || ciphertext.length % 16 !== 0) return bad("the ciphertext is not whole AES blocks");
  try {
    return ok(new TextDecoder("utf-8", { fatal: true }).decode(cbc(key, iv).decrypt(ciphertext)));
  } catch {
    // Wrong key or altered ciphertext: the padding does not check out.
    return bad("it does not decrypt under this column's key");
  }
}
