import type { Dialect, QuoteRule } from "../dialect.js";

const rule = (open: string, close: string, backslash: boolean): QuoteRule => ({ open, close, backslash, doubled: false });
// For reading author SQL a backslash always guards the next character, raw strings
// included (a raw string cannot end in an odd number of backslashes): reading a string
// as longer than the engine does can only leave a function unexpanded, never expand one
// inside the engine's string.
const PREFIXES: readonly [string, boolean][] = [
  ["rb", true],
  ["br", true],
  ["r", true],
  ["b", true],
  ["", true],
];

/** Backslash escapes for a BigQuery string body: `\\`, the quote, and control characters. */
function escapeBody(value: string, quote: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

/**
 * Google BigQuery: `'…'`, `"…"` and triple-quoted strings, all with backslash escapes,
 * with `r`/`b`/`rb` prefixes (raw strings have none); `` `…` `` identifiers, also with
 * backslash escapes; `--`, `#` and non-nesting `/* *\/` comments. A single-quoted literal
 * cannot hold a raw newline, so control characters are escaped.
 */
export const bigquery: Dialect = {
  id: "bigquery",
  name: "Google BigQuery",
  quoteIdent: (name) => `\`${escapeBody(name, "`")}\``,
  quoteString: (value) => `'${escapeBody(value, "'")}'`,
  lex: {
    // Longest openings first: `'''` before `'`.
    strings: PREFIXES.flatMap(([p, backslash]) => [
      rule(`${p}'''`, "'''", backslash),
      rule(`${p}"""`, '"""', backslash),
      rule(`${p}'`, "'", backslash),
      rule(`${p}"`, '"', backslash),
    ]),
    identifiers: [rule("`", "`", true)],
    lineComments: ["--", "#"],
    blockComments: { nested: false },
    dollarQuotes: null,
  },
};
