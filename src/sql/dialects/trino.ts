import type { Dialect } from "../dialect.js";
import { doubledQuote } from "../dialect.js";

/**
 * Trino (and Starburst): standard `'…'` with `''`, a literal backslash; `U&'…'` and
 * `X'…'`; `"…"` identifiers; `--` and non-nesting `/* *\/` comments. A NUL is written as
 * a `U&'…'` escape.
 */
export const trino: Dialect = {
  id: "trino",
  name: "Trino",
  quoteIdent: (name) => doubledQuote(name, '"'),
  quoteString: (value) => {
    if (!value.includes("\u0000")) return doubledQuote(value, "'");
    return `U&${doubledQuote(value.replaceAll("\\", "\\\\").replaceAll("\u0000", "\\0000"), "'")}`;
  },
  lex: {
    strings: [
      { open: "U&'", close: "'", backslash: false, doubled: true },
      { open: "X'", close: "'", backslash: false, doubled: true },
      { open: "'", close: "'", backslash: false, doubled: true },
    ],
    identifiers: [{ open: '"', close: '"', backslash: false, doubled: true }],
    lineComments: ["--"],
    blockComments: { nested: false },
    dollarQuotes: null,
  },
};
