/**
 * Where masks get their secrets. Keys and salts are inputs, never constants in code: the
 * caller supplies a key provider (the CLI builds one from `VEIL_SECRET`), and every mask
 * that needs a secret fails with a clear issue when there is none.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { issue, VeilError } from "../errors.js";

/**
 * What a per-column key is for; each purpose derives a different key. `sampling` salts
 * minimization, and that salt is written into SQL text; randomized response therefore
 * has its own purpose, `randomized`, whose key never leaves memory (knowing it would
 * tell which cells were replaced).
 */
export type KeyPurpose = "reversible" | "fpe" | "sampling" | "randomized";

export interface KeyProvider {
  /** The 32-byte hashing salt of a data source: equal values hash equal within it, differently across sources. */
  hashSalt(dataSourceId: number): Uint8Array;
  /** A 32-byte key for one column of one data source: AES-256 for reversible and FPE, the minimization salt, the seed of randomized response. */
  columnKey(purpose: KeyPurpose, dataSourceId: number, column: string): Uint8Array;
}

/** HKDF's salt: fixes the derivation to this scheme and version, so a secret reused elsewhere yields other keys. */
const HKDF_SALT = utf8ToBytes("veil-policy/masking-keys/v1");

/**
 * A key provider deriving every salt and key from one secret with HKDF-SHA256 (RFC 5869).
 * Each derivation has its own `info`: the JSON of `["hashSalt", sourceId]` or
 * `[purpose, sourceId, column]`, which no two (purpose, source, column) share (JSON quotes
 * the column, so no name can forge another's info).
 *
 * An empty secret is refused (a `VeilError`): it would derive keys anyone can recompute.
 */
export function hkdfKeyProvider(secret: string | Uint8Array): KeyProvider {
  const ikm = typeof secret === "string" ? utf8ToBytes(secret) : Uint8Array.from(secret);
  if (ikm.length === 0)
    throw new VeilError([issue("invalid_input", [], "the masking secret is empty; set VEIL_SECRET (or pass a secret) of at least one byte")]);
  const derive = (info: readonly (string | number)[]) => hkdf(sha256, ikm, HKDF_SALT, utf8ToBytes(JSON.stringify(info)), 32);
  return {
    hashSalt: (dataSourceId) => derive(["hashSalt", dataSourceId]),
    columnKey: (purpose, dataSourceId, column) => derive([purpose, dataSourceId, column]),
  };
}
