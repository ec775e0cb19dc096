import type { Dialect } from "../dialect.js";
import { doubledQuote } from "../dialect.js";

/**
 * Databricks (Spark SQL): `'…'` and `"…"` are both strings, a backslash escapes, and
 * adjacent literals concatenate (so `''` is not a quote: quotes are written `\'`);
 * `r'…'` raw strings; `` `…` `` identifiers with a doubled backtick; `--` and nesting
 * `/* *\/` comments.
 */
export const databricks: Dialect = {
  id: "databricks",
  name: "Databricks",
  quoteIdent: (name) => doubledQuote(name, "`"),
  quoteString: (value) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\u0000", "\\u0000")}'`,
  lex: {
    strings: [
      // Raw strings: a backslash still guards the closing quote when reading author SQL (see bigquery.ts).
      { open: "r'", close: "'", backslash: true, doubled: true },
      { open: 'r"', close: '"', backslash: true, doubled: true },
      { open: "'", close: "'", backslash: true, doubled: true },
      { open: '"', close: '"', backslash: true, doubled: true },
    ],
    identifiers: [{ open: "`", close: "`", backslash: false, doubled: true }],
    lineComments: ["--"],
    blockComments: { nested: true },
    dollarQuotes: null,
  },
};
