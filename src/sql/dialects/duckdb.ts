import type { Dialect } from "../dialect.js";
import { doubledQuote } from "../dialect.js";
import { POSTGRES_LEX } from "./postgres.js";

/**
 * Characters DuckDB must not see raw inside a literal: NUL (the SQL text is read up to
 * it), and the Unicode spaces its parser rewrites to ASCII spaces wherever it believes
 * text is outside quotes, a pass that does not know `E'…'` escapes (`Parser::StripUnicodeSpaces`).
 */
const SPLICED = /[\u0000\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff]/u;

/** A DuckDB string literal: standard quoting, with the characters above spliced in by `chr(n)`. */
function duckdbString(value: string): string {
  if (!SPLICED.test(value)) return doubledQuote(value, "'");
  const parts: string[] = [];
  let run = "";
  for (const ch of value) {
    if (SPLICED.test(ch)) {
      if (run !== "") parts.push(doubledQuote(run, "'"));
      run = "";
      parts.push(`chr(${ch.codePointAt(0)})`);
    } else run += ch;
  }
  if (run !== "") parts.push(doubledQuote(run, "'"));
  return `(${parts.join(" || ")})`;
}

/**
 * DuckDB: PostgreSQL's lexical rules (its parser derives from PostgreSQL's): `'…'` with
 * `''` and a literal backslash, `E'…'`, `$tag$…$tag$`, `"…"` identifiers.
 */
export const duckdb: Dialect = {
  id: "duckdb",
  name: "DuckDB",
  quoteIdent: (name) => doubledQuote(name, '"'),
  quoteString: duckdbString,
  lex: POSTGRES_LEX,
};
