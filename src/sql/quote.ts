/**
 * The ONE place SQL text is escaped for policy output. Every user-derived value
 * (attribute values, group and purpose names, username, IAM id) reaches rendered SQL
 * through `quoteLiteral`, and every column name through `quoteIdent`; nothing else in
 * the library builds quoted SQL by hand (spec §5, law 7 "attribute values are data").
 *
 * Both follow standard (ANSI) SQL quoting, which needs exactly one rule each:
 *   - a string literal is `'...'` and a `'` inside it is written `''`;
 *   - a delimited identifier is `"..."` and a `"` inside it is written `""`.
 * Backslashes are left as they are: standard SQL strings treat them literally (no
 * escape sequences), as do DuckDB and PostgreSQL (standard_conforming_strings, the
 * default since 9.1). Dialects that give `\` a meaning inside `'...'` (MySQL, BigQuery,
 * Snowflake, Spark/Databricks) are out of scope here and would need their own quoter.
 *
 * NUL (U+0000) is not replaced or rejected. Under standard quoting it cannot end a
 * literal, so it cannot change structure; engines that read SQL as a C string (DuckDB,
 * PostgreSQL) stop at the NUL, which always lies inside an open literal, so the
 * statement fails to parse instead of being read differently — it fails closed.
 */

/**
 * Renders `value` as an SQL string literal: wrapped in single quotes, each single
 * quote doubled. Everything else, including backslashes, comment markers, semicolons,
 * unicode and NUL, is copied unchanged (see the module notes).
 *
 * @example quoteLiteral("O'Brien") === "'O''Brien'"
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Renders `name` as an ANSI delimited identifier: wrapped in double quotes, each double
 * quote doubled. The name keeps its exact case (delimited identifiers are case-sensitive).
 *
 * @example quoteIdent('my "col"') === '"my ""col"""'
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
