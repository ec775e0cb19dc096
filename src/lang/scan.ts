/**
 * Scanner helpers shared by the two parsers of Immuta's expression languages
 * (`advanced.ts` for subscription conditions, `predicate.ts` for custom WHERE).
 */

/** Thrown inside a parser only; each parser converts it to a `Result` at its boundary. */
export class ParseError extends Error {}

/** Column (1-based) of UTF-16 offset `at`, counted in code points so non-BMP text reads right. */
export function columnOf(text: string, at: number): number {
  return Array.from(text.slice(0, at)).length + 1;
}

/**
 * Reads the quoted text that starts at `at` (its first character is the quote). A doubled
 * quote stands for one (SQL style); with `backslash`, `\` escapes the next character.
 */
export function readQuotedText(text: string, at: number, options: { backslash?: boolean } = {}): { value: string; end: number } {
  const q = text[at]!;
  let value = "";
  let i = at + 1;
  for (;;) {
    if (i >= text.length) throw new ParseError(`unterminated string starting at column ${columnOf(text, at)}`);
    const d = text[i]!;
    if (options.backslash && d === "\\" && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (d === q) {
      if (text[i + 1] === q) {
        value += q;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += d;
    i++;
  }
}

/** "`@f` at column 3 takes exactly 2 arguments, got 1", with the counts a function accepts. */
export function arityMessage(name: string, column: number, min: number, max: number | undefined, got: number): string {
  const want = max === undefined ? `at least ${min}` : min === max ? `exactly ${min}` : `${min} to ${max}`;
  return `\`${name}\` at column ${column} takes ${want} argument${min === 1 && (max === undefined || max === 1) ? "" : "s"}, got ${got}`;
}
