/**
 * Minimization's keep-test, defined so that SQL computes it identically [ours]: a row is
 * kept when `bucket < percent`, where
 *
 *   bucket = (first 8 hex digits of lowercase hex SHA-256(saltHex ‖ text(value)), read as an unsigned 32-bit integer) mod 100
 *
 * `saltHex` is the hex of the key provider's `sampling` key for the data source's
 * `highCardinality` column, so which rows are kept cannot be predicted without the secret,
 * yet is the same on every run and every engine. `text(value)` is the value as the engine
 * casts it to text: strings as they are, integers in decimal. A NULL value drops the row.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { KeyProvider } from "./keys.js";

/** What sampling needs of a key provider. */
export type SamplingKeys = Pick<KeyProvider, "columnKey">;

/** The sampling salt of a column, as hex (it enters SQL as a string literal). */
export function sampleSaltHex(keys: SamplingKeys, dataSourceId: number, column: string): string {
  return bytesToHex(keys.columnKey("sampling", dataSourceId, column));
}

/** The bucket (0–99) of a value's text, or null for NULL. */
export function sampleBucket(saltHex: string, text: string | null): number | null {
  if (text === null) return null;
  const h = sha256(utf8ToBytes(saltHex + text));
  const n = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
  return n % 100;
}
