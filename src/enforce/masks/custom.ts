/**
 * Custom Function: author SQL in the data source's dialect, `@column` standing for the
 * masked column, as Immuta's policies write it (`FARM_FINGERPRINT(CAST(@column AS
 * STRING))`). SQL only: there is no engine in memory to run it.
 *
 * The text is lexed by the dialect's rules (src/sql/lexer.ts): `@column` is replaced only
 * in code, never inside a string, quoted identifier or comment; comments are dropped (a
 * `--` comment would swallow what Veil writes after the expression), and a `;` in code
 * is refused (it would end the statement). The result is parenthesised.
 */
import type { DialectId } from "../../sql/dialect.js";
import { DIALECTS } from "../../sql/dialects/index.js";
import { quotedTokens } from "../../sql/lexer.js";

/** `@column` (any case) not part of a longer name such as `@columnTagged`. */
const COLUMN_REF = /@column(?![A-Za-z0-9_$])/gi;

/** The custom function with `@column` replaced by `columnSql`, or why it cannot be used. */
export function customFunctionSql(sqlFunction: string, columnSql: string, d: DialectId): string | { refused: string } {
  const lexed = quotedTokens(sqlFunction, DIALECTS[d].lex);
  if ("kind" in lexed) return { refused: `\`sqlFunction\` does not lex as ${DIALECTS[d].name} SQL at offset ${lexed.start}: ${lexed.message}` };
  let out = "";
  let at = 0;
  const code = (text: string): string | { refused: string } => {
    if (text.includes(";")) return { refused: "`sqlFunction` holds `;` outside quotes: a masking expression is one expression, not statements" };
    return text.replace(COLUMN_REF, () => columnSql);
  };
  for (const t of lexed.tokens) {
    const c = code(sqlFunction.slice(at, t.start));
    if (typeof c !== "string") return c;
    out += c + (t.kind === "comment" ? " " : sqlFunction.slice(t.start, t.end));
    at = t.end;
  }
  const tail = code(sqlFunction.slice(at));
  if (typeof tail !== "string") return tail;
  out = (out + tail).trim();
  if (out === "") return { refused: "`sqlFunction` is empty once comments are dropped" };
  return `(${out})`;
}
