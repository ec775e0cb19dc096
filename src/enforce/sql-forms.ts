/**
 * The few SQL forms row enforcement needs that differ between engines: a cast to text, a
 * timestamp literal, and minimization's bucket (see `sample.ts`). Values still enter SQL
 * only through the dialect's `quoteString`.
 */
import type { Dialect, DialectId } from "../sql/dialect.js";

const TEXT_TYPE: Readonly<Record<DialectId, string>> = {
  postgres: "TEXT",
  duckdb: "VARCHAR",
  snowflake: "VARCHAR",
  databricks: "STRING",
  trino: "VARCHAR",
  bigquery: "STRING",
  redshift: "VARCHAR",
};

/** `sql` cast to the engine's text type. */
export function castToText(sql: string, d: Dialect): string {
  return `CAST(${sql} AS ${TEXT_TYPE[d.id]})`;
}

/** An instant (ISO-8601 with `Z`) as a timestamp-with-time-zone value. */
export function timestampLiteral(iso: string, d: Dialect): string {
  const s = d.quoteString(iso);
  switch (d.id) {
    case "postgres":
    case "duckdb":
    case "redshift":
      return `CAST(${s} AS TIMESTAMPTZ)`;
    case "snowflake":
      return `TO_TIMESTAMP_TZ(${s})`;
    case "databricks":
      return `CAST(${s} AS TIMESTAMP)`;
    case "trino":
      return `from_iso8601_timestamp(${s})`;
    case "bigquery":
      return `TIMESTAMP(${s})`;
  }
}

/** Snowflake's number format for eight hexadecimal digits (`X` is its hex-digit format element). */
const SNOWFLAKE_HEX8 = "X".repeat(8);

/** The minimization bucket (0–99) of `textSql` (already text), salted with `saltHex`; NULL stays NULL. */
export function sampleBucketSql(textSql: string, saltHex: string, d: Dialect): string {
  const input = `${d.quoteString(saltHex)} || ${textSql}`;
  switch (d.id) {
    case "postgres":
      return `(CAST(CAST('x' || substr(encode(sha256(convert_to(${input}, 'UTF8')), 'hex'), 1, 8) AS bit(32)) AS bigint) % 100)`;
    case "duckdb":
      return `(CAST('0x' || substr(sha256(${input}), 1, 8) AS UBIGINT) % 100)`;
    case "snowflake":
      return `MOD(TO_NUMBER(SUBSTR(SHA2(${input}, 256), 1, 8), '${SNOWFLAKE_HEX8}'), 100)`;
    case "databricks":
      return `MOD(CAST(CONV(SUBSTR(SHA2(${input}, 256), 1, 8), 16, 10) AS BIGINT), 100)`;
    case "trino":
      return `MOD(from_base(substr(lower(to_hex(sha256(to_utf8(${input})))), 1, 8), 16), 100)`;
    case "bigquery":
      return `MOD(CAST(CONCAT('0x', SUBSTR(TO_HEX(SHA256(${input})), 1, 8)) AS INT64), 100)`;
    case "redshift":
      return `MOD(STRTOL(SUBSTRING(SHA2(${input}, 256), 1, 8), 16), 100)`;
  }
}
