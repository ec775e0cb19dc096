import type { Dialect } from "../dialect.js";
import { doubledQuote } from "../dialect.js";
import { POSTGRES_LEX } from "./postgres.js";

/**
 * Amazon Redshift: PostgreSQL's syntax, but a backslash escapes inside `'…'`, so it is
 * doubled in literals and honoured when reading author SQL. Text cannot hold NUL (as in PostgreSQL).
 */
export const redshift: Dialect = {
  id: "redshift",
  name: "Redshift",
  quoteIdent: (name) => doubledQuote(name, '"'),
  quoteString: (value) => (value.includes("\u0000") ? "NULL" : doubledQuote(value.replaceAll("\\", "\\\\"), "'")),
  lex: {
    ...POSTGRES_LEX,
    strings: POSTGRES_LEX.strings.map((r) => (r.open === "'" ? { ...r, backslash: true } : r)),
  },
};
