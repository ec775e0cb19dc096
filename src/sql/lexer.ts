import type { LexRules, QuoteRule } from "./dialect.js";

/**
 * Reading author SQL one token at a time, by one dialect's rules. Only what decides where
 * text may hold an @-function matters here: strings, quoted identifiers and comments are
 * read whole (an @-function inside one is not a call), everything else is plain code.
 */

/** A token that is not plain code, from `start` (inclusive) to `end` (exclusive). */
export interface QuotedToken {
  readonly kind: "string" | "identifier" | "comment";
  readonly start: number;
  readonly end: number;
}

/** Why a token could not be read. */
export interface LexError {
  readonly kind: "error";
  readonly start: number;
  readonly message: string;
}

const LINE_END = /[\n\r]/g;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

function startsWithAt(text: string, at: number, open: string): boolean {
  // Letters in an opening (E', r", U&') match either case; quote characters exactly.
  return text.slice(at, at + open.length).toLowerCase() === open.toLowerCase();
}

/** The end of a quoted token opened by `rule` at `at`, or undefined when it never closes. */
function quotedEnd(text: string, at: number, rule: QuoteRule): number | undefined {
  let i = at + rule.open.length;
  while (i < text.length) {
    if (rule.backslash && text[i] === "\\") {
      i += 2;
      continue;
    }
    if (text.startsWith(rule.close, i)) {
      if (rule.doubled && text.startsWith(rule.close, i + rule.close.length)) {
        i += 2 * rule.close.length;
        continue;
      }
      return i + rule.close.length;
    }
    i++;
  }
  return undefined;
}

function blockCommentEnd(text: string, at: number, nested: boolean): number | undefined {
  let depth = 1;
  let i = at + 2;
  while (i < text.length) {
    if (text.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else if (nested && text.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else i++;
  }
  return undefined;
}

const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/**
 * The string, quoted identifier or comment that starts at `at`, a lexing error, or
 * undefined when `text[at]` is plain code. Prefixed openings (`E'`, `r'`, `U&'`) and
 * dollar quotes count only at the start of a word: `name'` is not `E'`.
 */
export function readQuoted(text: string, at: number, rules: LexRules): QuotedToken | LexError | undefined {
  const c = text[at];
  if (c === undefined) return undefined;
  for (const marker of rules.lineComments) {
    if (text.startsWith(marker, at)) {
      // A line ends at LF or CR (PostgreSQL and DuckDB end `--` at either).
      LINE_END.lastIndex = at;
      const nl = LINE_END.exec(text);
      return { kind: "comment", start: at, end: nl === null ? text.length : nl.index + 1 };
    }
  }
  if (text.startsWith("/*", at)) {
    const end = blockCommentEnd(text, at, rules.blockComments.nested);
    return end === undefined ? { kind: "error", start: at, message: "unterminated comment" } : { kind: "comment", start: at, end };
  }
  const atWordStart = at === 0 || !WORD_CHAR.test(text[at - 1]!);
  if (c === "$" && rules.dollarQuotes && atWordStart) {
    DOLLAR_TAG.lastIndex = at;
    const m = DOLLAR_TAG.exec(text);
    if (m && (rules.dollarQuotes.tags || m[0] === "$$")) {
      const close = text.indexOf(m[0], at + m[0].length);
      return close === -1 ? { kind: "error", start: at, message: `unterminated ${m[0]} string` } : { kind: "string", start: at, end: close + m[0].length };
    }
  }
  for (const [kind, list] of [
    ["string", rules.strings],
    ["identifier", rules.identifiers],
  ] as const) {
    for (const rule of list) {
      const prefixed = /^[A-Za-z]/.test(rule.open);
      if (prefixed && !atWordStart) continue;
      if (!startsWithAt(text, at, rule.open)) continue;
      const end = quotedEnd(text, at, rule);
      if (end === undefined) return { kind: "error", start: at, message: `unterminated ${kind === "string" ? "string" : "quoted identifier"}` };
      return { kind, start: at, end };
    }
  }
  return undefined;
}

/** Every string, identifier and comment of `text`, in order, or the first lexing error. */
export function quotedTokens(text: string, rules: LexRules): { tokens: QuotedToken[] } | LexError {
  const tokens: QuotedToken[] = [];
  let i = 0;
  while (i < text.length) {
    const t = readQuoted(text, i, rules);
    if (t === undefined) i++;
    else if (t.kind === "error") return t;
    else {
      tokens.push(t);
      i = t.end;
    }
  }
  return { tokens };
}
