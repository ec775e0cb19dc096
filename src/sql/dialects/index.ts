import type { Dialect, DialectId } from "../dialect.js";
import { bigquery } from "./bigquery.js";
import { databricks } from "./databricks.js";
import { duckdb } from "./duckdb.js";
import { postgres } from "./postgres.js";
import { redshift } from "./redshift.js";
import { snowflake } from "./snowflake.js";
import { trino } from "./trino.js";

/** Every dialect by id. */
export const DIALECTS: Readonly<Record<DialectId, Dialect>> = { postgres, duckdb, snowflake, databricks, trino, bigquery, redshift };

export { bigquery, databricks, duckdb, postgres, redshift, snowflake, trino };
