/**
 * Hashing (`Consistent Value` without `constant`): SHA-256 keyed with the data source's
 * salt. Fixed so every engine computes the same text: the lowercase hex of
 * SHA-256(UTF-8 bytes of (hexSalt + text)), hexSalt being the lowercase hex of the
 * source's 32-byte salt. Equal values hash equal within a source and differ across them.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { DialectId } from "../../sql/dialect.js";
import { DIALECTS } from "../../sql/dialects/index.js";
import { asText } from "./sql-types.js";

/** The hashed text of `text` under a source's salt (hex). */
export function hashText(hexSalt: string, text: string): string {
  return bytesToHex(sha256(utf8ToBytes(hexSalt + text)));
}

/** The salt as the hex text the definition prepends. */
export function saltHex(salt: Uint8Array): string {
  return bytesToHex(salt);
}

/** The same hash in SQL: each engine's SHA-256 of its UTF-8 text, as lowercase hex. */
export function hashSql(columnSql: string, hexSalt: string, d: DialectId): string {
  const q = DIALECTS[d].quoteString;
  const salted = (concat: (a: string, b: string) => string) => concat(q(hexSalt), asText(columnSql, d));
  const pipe = (a: string, b: string) => `${a} || ${b}`;
  switch (d) {
    case "postgres":
    case "redshift":
      return d === "postgres" ? `encode(sha256(convert_to(${salted(pipe)}, ${q("UTF8")})), ${q("hex")})` : `lower(sha2(${salted(pipe)}, 256))`;
    case "duckdb":
      return `sha256(${salted(pipe)})`;
    case "snowflake":
      return `SHA2(${salted(pipe)}, 256)`;
    case "databricks":
      return `sha2(${salted((a, b) => `concat(${a}, ${b})`)}, 256)`;
    case "trino":
      return `lower(to_hex(sha256(to_utf8(${salted(pipe)}))))`;
    case "bigquery":
      return `TO_HEX(SHA256(${salted((a, b) => `CONCAT(${a}, ${b})`)}))`;
  }
}
