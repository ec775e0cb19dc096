import type { DialectId } from "./dialect.js";

/**
 * Immuta's `blobHandlerType` names (its data-source API's enum) for the engines Veil
 * renders SQL for, and the dialect each one speaks. `Starburst` and `DuckDB` are ours:
 * Starburst runs Trino, and DuckDB is what Veil's own tests run on.
 */
export const BLOB_HANDLER_DIALECTS: Readonly<Record<string, DialectId>> = {
  PostgreSQL: "postgres",
  Redshift: "redshift",
  Snowflake: "snowflake",
  Databricks: "databricks",
  Trino: "trino",
  Presto: "trino",
  Starburst: "trino",
  "Google BigQuery": "bigquery",
  DuckDB: "duckdb",
};

export const ACCEPTED_BLOB_HANDLERS = Object.keys(BLOB_HANDLER_DIALECTS);

/** The dialect of a data source: from its `blobHandlerType`, PostgreSQL-compatible when absent [ours]. */
export function dialectOfBlobHandler(blobHandlerType: string | undefined): DialectId | undefined {
  if (blobHandlerType === undefined) return "postgres";
  return Object.hasOwn(BLOB_HANDLER_DIALECTS, blobHandlerType) ? BLOB_HANDLER_DIALECTS[blobHandlerType] : undefined;
}
