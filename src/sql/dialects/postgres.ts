import { doubledQuote, type Dialect, type LexRules, type QuoteRule } from "../dialect.js";

const standard = (open: string): QuoteRule => ({ open, close: "'", backslash: false, doubled: true });

/**
 * PostgreSQL (standard_conforming_strings on, the default since 9.1): `'…'` strings with
 * `''`, backslash literal; `E'…'` escape strings; `U&'…'`, `B'…'`, `X'…'`, `N'…'`;
 * `$tag$…$tag$` bodies; `"…"` identifiers; `--` and nesting `/* *\/` comments.
 */
export const POSTGRES_LEX: LexRules = {
  strings: [{ open: "E'", close: "'", backslash: true, doubled: true }, standard("U&'"), standard("B'"), standard("X'"), standard("N'"), standard("'")],
  identifiers: [
    { open: 'U&"', close: '"', backslash: false, doubled: true },
    { open: '"', close: '"', backslash: false, doubled: true },
  ],
  lineComments: ["--"],
  blockComments: { nested: true },
  dollarQuotes: { tags: true },
};

/**
 * A PostgreSQL string literal. PostgreSQL text cannot hold NUL, so no stored value can
 * equal a value that contains one: it renders as NULL, which matches no row [ours].
 */
export function postgresString(value: string): string {
  return value.includes("\u0000") ? "NULL" : doubledQuote(value, "'");
}

export const postgres: Dialect = {
  id: "postgres",
  name: "PostgreSQL",
  quoteIdent: (name) => doubledQuote(name, '"'),
  quoteString: postgresString,
  lex: POSTGRES_LEX,
};
