import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * Immuta's policyHash: lowercase hex SHA-256 of the compact JSON `{type, rules}`
 * of a bound policy, rules without `ruleAppliedForUser` [seed: reproduces both hashes].
 */
export function policyHash(type: string, rules: readonly unknown[]): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify({ type, rules }))));
}
