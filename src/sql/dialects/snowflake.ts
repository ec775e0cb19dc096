import type { Dialect } from "../dialect.js";
import { doubledQuote } from "../dialect.js";

/**
 * Snowflake: a backslash escapes inside `'…'` (and `''` is a quote too); `$$…$$` strings;
 * `"…"` identifiers; `--`, `//` and non-nesting `/* *\/` comments.
 */
export const snowflake: Dialect = {
  id: "snowflake",
  name: "Snowflake",
  quoteIdent: (name) => doubledQuote(name, '"'),
  quoteString: (value) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\u0000", "\\x00")}'`,
  lex: {
    strings: [{ open: "'", close: "'", backslash: true, doubled: true }],
    identifiers: [{ open: '"', close: '"', backslash: false, doubled: true }],
    lineComments: ["--", "//"],
    blockComments: { nested: false },
    dollarQuotes: { tags: false },
  },
};
