/**
 * Each engine's names for the types masks cast to. A column type is known only by family
 * (string, number, boolean, time), so a cast names the family's common type: text, a
 * 64-bit integer, a double, a boolean, and a timestamp without time zone (masks read
 * times as UTC wall time, docs/masks.md).
 */
import type { ColumnType } from "../../model/data-type.js";
import type { DialectId } from "../../sql/dialect.js";

interface TypeNames {
  readonly text: string;
  readonly bigint: string;
  readonly double: string;
  readonly boolean: string;
  readonly timestamp: string;
}

const NAMES: Readonly<Record<DialectId, TypeNames>> = {
  postgres: { text: "text", bigint: "bigint", double: "double precision", boolean: "boolean", timestamp: "timestamp" },
  redshift: { text: "varchar", bigint: "bigint", double: "double precision", boolean: "boolean", timestamp: "timestamp" },
  duckdb: { text: "VARCHAR", bigint: "BIGINT", double: "DOUBLE", boolean: "BOOLEAN", timestamp: "TIMESTAMP" },
  snowflake: { text: "VARCHAR", bigint: "BIGINT", double: "DOUBLE", boolean: "BOOLEAN", timestamp: "TIMESTAMP_NTZ" },
  databricks: { text: "STRING", bigint: "BIGINT", double: "DOUBLE", boolean: "BOOLEAN", timestamp: "TIMESTAMP_NTZ" },
  trino: { text: "varchar", bigint: "bigint", double: "double", boolean: "boolean", timestamp: "timestamp(3)" },
  bigquery: { text: "STRING", bigint: "INT64", double: "FLOAT64", boolean: "BOOL", timestamp: "TIMESTAMP" },
};

export function typeNames(d: DialectId): TypeNames {
  return NAMES[d];
}

/** The SQL type a value of this column type is cast to, or undefined for `other` (no cast is known). */
export function sqlTypeOf(t: ColumnType, d: DialectId): string | undefined {
  const n = NAMES[d];
  switch (t.family) {
    case "string":
      return n.text;
    case "number":
      return t.integral ? n.bigint : n.double;
    case "boolean":
      return n.boolean;
    case "time":
      return n.timestamp;
    case "other":
      return undefined;
  }
}

/** `CAST(expr AS <text>)`: the value as text, as hashing and the UDF masks read it. */
export function asText(expr: string, d: DialectId): string {
  return `CAST(${expr} AS ${NAMES[d].text})`;
}

/** A finite number as a SQL double: the shortest text that reads back as the same double. */
export function doubleLiteral(n: number, d: DialectId): string {
  return `CAST(${String(n)} AS ${NAMES[d].double})`;
}
