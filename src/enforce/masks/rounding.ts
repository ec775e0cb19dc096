/**
 * Rounding (`Grouping`). Numbers are floored to a multiple of `bucketSize`:
 * floor(x / b) * b, computed in IEEE doubles in memory and in SQL alike, so the two
 * agree bit for bit; on a whole-number column the result is floored once more, so it
 * stays whole. Times are truncated in UTC to the start of their HOUR, DAY, MONTH,
 * QUARTER or YEAR.
 */
import type { ColumnType } from "../../model/data-type.js";
import type { DialectId } from "../../sql/dialect.js";
import { DIALECTS } from "../../sql/dialects/index.js";
import { doubleLiteral, typeNames } from "./sql-types.js";
import { readTime, writeTime } from "./time.js";

export type TimePrecision = "HOUR" | "DAY" | "MONTH" | "QUARTER" | "YEAR";

/** A number value (a JavaScript number, a bigint, or numeric text as drivers return decimals), or undefined. */
function readNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The number floored to its bucket, or undefined when the value is not a number. */
export function roundNumber(value: unknown, bucketSize: number, t: ColumnType): number | undefined {
  const x = readNumber(value);
  if (x === undefined) return undefined;
  const floored = Math.floor(x / bucketSize) * bucketSize;
  return t.integral ? Math.floor(floored) : floored;
}

/** The time truncated to its precision (ISO text), or undefined when the value is not a time. */
export function roundTime(value: unknown, precision: TimePrecision): string | undefined {
  const ms = readTime(value);
  if (ms === undefined) return undefined;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const out = new Date(0);
  // setUTCFullYear keeps years 0–99 literal (Date.UTC would read them as 1900–1999).
  switch (precision) {
    case "HOUR":
      out.setUTCFullYear(year, month, d.getUTCDate());
      out.setUTCHours(d.getUTCHours(), 0, 0, 0);
      break;
    case "DAY":
      out.setUTCFullYear(year, month, d.getUTCDate());
      break;
    case "MONTH":
      out.setUTCFullYear(year, month, 1);
      break;
    case "QUARTER":
      out.setUTCFullYear(year, month - (month % 3), 1);
      break;
    case "YEAR":
      out.setUTCFullYear(year, 0, 1);
      break;
  }
  return writeTime(out.getTime());
}

/** floor(x / b) * b in doubles; on whole-number columns floored again and cast back to a 64-bit integer. */
export function roundNumberSql(columnSql: string, bucketSize: number, t: ColumnType, d: DialectId): string {
  const n = typeNames(d);
  const b = doubleLiteral(bucketSize, d);
  const floored = `FLOOR(CAST(${columnSql} AS ${n.double}) / ${b}) * ${b}`;
  return t.integral ? `CAST(FLOOR(${floored}) AS ${n.bigint})` : floored;
}

/** Truncation to the precision: each engine's date_trunc (BigQuery: TIMESTAMP_TRUNC, whose part is a keyword). */
export function roundTimeSql(columnSql: string, precision: TimePrecision, d: DialectId): string {
  if (d === "bigquery") return `TIMESTAMP_TRUNC(${columnSql}, ${precision})`;
  const unit = DIALECTS[d].quoteString(d === "snowflake" || d === "databricks" ? precision : precision.toLowerCase());
  return `date_trunc(${unit}, ${columnSql})`;
}
