/**
 * Reversible and format-preserving masks in SQL call a UDF the caller installs and
 * names (the key stays inside the engine, never in query text). A UDF name is a dotted
 * identifier (`veil.reversible_mask`); each part is quoted by the dialect.
 *
 * The call is `<udf>(CAST(<column> AS text), <dataSourceId>, '<column name>'[, '<settings>'])`:
 * the UDF derives the column's key the way hkdfKeyProvider does and returns the masked
 * text. Format-preserving masking adds its settings as JSON text,
 * `{"type":"string"|"integer","metadata":{…}}` (the metadata keys in their canonical
 * order), so the UDF applies what memory applies; its text result is cast back to the
 * column's type.
 */
import type { DialectId } from "../../sql/dialect.js";
import { DIALECTS } from "../../sql/dialects/index.js";
import { asText } from "./sql-types.js";

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The UDF call, or why the name cannot be one. */
export function udfCall(udf: string, columnSql: string, dataSourceId: number, column: string, d: DialectId, settings?: string): string | { refused: string } {
  if (!DOTTED.test(udf)) return { refused: `UDF name \`${udf}\` is not a dotted identifier (letters, digits and \`_\`, parts joined by \`.\`)` };
  const dialect = DIALECTS[d];
  const name = udf.split(".").map(dialect.quoteIdent).join(".");
  const extra = settings === undefined ? "" : `, ${dialect.quoteString(settings)}`;
  return `${name}(${asText(columnSql, d)}, ${dataSourceId}, ${dialect.quoteString(column)}${extra})`;
}
