/**
 * Test helper: an independent SQL parser (@polyglot-sql/sdk) for each of Veil's dialects,
 * so golden SQL and rendered predicates are read by something other than Veil itself.
 */
import { Dialect, parse } from "@polyglot-sql/sdk";
import type { DialectId } from "../../src/sql/dialect.js";

export const PARSER_DIALECT: Readonly<Record<DialectId, Dialect>> = {
  postgres: Dialect.PostgreSQL,
  duckdb: Dialect.DuckDB,
  snowflake: Dialect.Snowflake,
  databricks: Dialect.Databricks,
  trino: Dialect.Trino,
  bigquery: Dialect.BigQuery,
  redshift: Dialect.Redshift,
};

/** Why `sql` does not parse as `dialect`, or undefined when it does. */
export function parseProblem(sql: string, dialect: DialectId): string | undefined {
  const r = parse(sql, PARSER_DIALECT[dialect]);
  return r.success ? undefined : String(r.error);
}
