/**
 * A SQL engine's lexical and quoting rules. The dialects (`dialects/*.ts`) hold the only
 * quoting and escaping code in the project: user values reach SQL text only through
 * `quoteString`, column names only through `quoteIdent` (law 7: attribute values are data).
 */

/** The engines Veil renders for. */
export const DIALECT_IDS = ["postgres", "duckdb", "snowflake", "databricks", "trino", "bigquery", "redshift"] as const;
export type DialectId = (typeof DIALECT_IDS)[number];

/** How one kind of quoted token opens, closes and escapes. */
export interface QuoteRule {
  /** The opening text, e.g. `'`, `E'`, `'''`, `r"`; letters match case-insensitively. */
  readonly open: string;
  /** The closing text. */
  readonly close: string;
  /** A backslash escapes the next character. */
  readonly backslash: boolean;
  /** A doubled closing quote stands for one quote (or, where the engine concatenates adjacent literals, spans the same text). */
  readonly doubled: boolean;
}

/** What the lexer must know to read author SQL for one engine. */
export interface LexRules {
  readonly strings: readonly QuoteRule[];
  readonly identifiers: readonly QuoteRule[];
  readonly lineComments: readonly string[];
  /** `/* … *\/` comments, and whether they nest. */
  readonly blockComments: { readonly nested: boolean };
  /** PostgreSQL-style `$tag$ … $tag$` strings (`tags: false`: only `$$ … $$`). */
  readonly dollarQuotes: { readonly tags: boolean } | null;
}

export interface Dialect {
  readonly id: DialectId;
  /** The engine's name, for messages. */
  readonly name: string;
  /** A delimited identifier for `name`, exact case kept. */
  quoteIdent(name: string): string;
  /** A string literal whose value is exactly `value`. */
  quoteString(value: string): string;
  readonly lex: LexRules;
}

/** `value` with every `q` doubled, between `q`s: standard SQL quoting. */
export function doubledQuote(value: string, q: string): string {
  return q + value.replaceAll(q, q + q) + q;
}
