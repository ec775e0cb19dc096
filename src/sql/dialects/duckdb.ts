import type { Dialect } from "../dialect.js";
import { doubledQuote } from "../dialect.js";
import { POSTGRES_LEX } from "./postgres.js";

/**
 * DuckDB: PostgreSQL's lexical rules (its parser derives from PostgreSQL's): `'…'` with
 * `''` and a literal backslash, `E'…'`, `$tag$…$tag$`, `"…"` identifiers. A NUL inside a
 * value is spliced in with `chr(0)`, since the SQL text itself is read up to a NUL.
 */
export const duckdb: Dialect = {
  id: "duckdb",
  name: "DuckDB",
  quoteIdent: (name) => doubledQuote(name, '"'),
  quoteString: (value) => {
    if (!value.includes("\u0000")) return doubledQuote(value, "'");
    return `(${value
      .split("\u0000")
      .map((part) => doubledQuote(part, "'"))
      .join(" || chr(0) || ")})`;
  },
  lex: POSTGRES_LEX,
};
