/**
 * Immuta custom-WHERE predicates (spec §5): the author's SQL with @-functions, e.g.
 *   rls_department = 'OLG' OR @attributeValuesContains('EntraID.department', 'rls_department')
 *
 * A predicate is parsed once per SQL dialect into a template of author SQL text and
 * calls. The author's SQL is lexed completely by the dialect's rules (`sql/lexer.ts`):
 * strings in every form the engine has (`E'…'`, `$$…$$`, `r'…'`, triple quotes…) and
 * quoted identifiers are copied whole, and comments are dropped, so an @-function inside
 * a string or a comment is never a call [ours: comments are removed rather than kept, so
 * no expanded value can ever sit inside one]. Expansion (`evaluate/`) only substitutes the
 * user's values, as trees that the dialect renders (`sql/`).
 *
 * Call syntax, from Immuta's documentation:
 *   - `@` followed by a letter starts a call; the name runs over letters, digits and `_`,
 *     so `@username_x` is the unknown function `@username_x` [ours]. An `@` not followed
 *     by a letter (PostgreSQL's `@ x`) is plain SQL.
 *   - Arguments are single-quoted strings (`''` for a quote). `@columnReference` also
 *     takes backslash escapes for `\`, `'`, `"` and `` ` `` [doc].
 *   - The column argument of `@attributeValuesContains`, `@groupsContains` and
 *     `@purposesContains` may also be `@columnReference(…)`, `@columnTagged(…)`, or a
 *     parenthesised SQL expression such as a subquery [doc].
 */
import { fail, issue, ok, type Result } from "../errors.js";
import type { LexRules } from "../sql/dialect.js";
import { readQuoted } from "../sql/lexer.js";
import { ACCEPTED_FUNCTIONS, FUNCTIONS, isPredicateFunction, type PredicateFunction } from "./functions.js";
import { arityMessage, columnOf, ParseError, readQuotedText } from "./scan.js";

export type { PredicateFunction } from "./functions.js";

/** One argument of a call. */
export type PredicateArg =
  /** A quoted string: a name, a value, or (as a column argument) a column name or SQL expression. */
  | { readonly kind: "string"; readonly value: string }
  /** A column function as the column argument: `@columnReference('c')` or `@columnTagged('T')`. */
  | { readonly kind: "call"; readonly call: PredicateCall }
  /** A parenthesised SQL expression (a subquery) as the column argument, parsed like a predicate. */
  | { readonly kind: "sql"; readonly template: PredicateTemplate };

/** A call; `at` is the UTF-16 offset of its `@` in the predicate. */
export interface PredicateCall {
  readonly name: PredicateFunction;
  readonly args: readonly PredicateArg[];
  readonly at: number;
}

/** Author SQL text (comments removed, strings and identifiers whole) or a call. */
export type PredicatePart = { readonly kind: "sql"; readonly text: string } | { readonly kind: "call"; readonly call: PredicateCall };

/** A predicate parsed for one dialect: its source and its parts, in order. */
export interface PredicateTemplate {
  readonly source: string;
  readonly parts: readonly PredicatePart[];
}

/**
 * Parses a custom-WHERE predicate, lexing its SQL by `lex`. Errors carry code
 * `invalid_condition`, the given `path`, and a message with a 1-based column.
 */
export function parsePredicate(text: string, lex: LexRules, path: readonly (string | number)[] = []): Result<PredicateTemplate> {
  try {
    return ok(new Scanner(text, lex, 0, text.length).scan());
  } catch (e) {
    if (e instanceof ParseError) return fail([issue("invalid_condition", [...path], e.message)]);
    throw e;
  }
}

const NAME = /@[A-Za-z][A-Za-z0-9_]*/y;
const NAME_AT = /^@[A-Za-z][A-Za-z0-9_]*/;

/**
 * Characters that must not touch an @-function: an expansion is a literal, an identifier
 * or a keyword, and text glued to it could merge with it into a token the engine reads
 * differently (an `E` or `r` string prefix, a triple quote, a doubled identifier quote,
 * a dollar quote, `trueOR`) [ours: rejected, with the column].
 */
const GLUE = /[A-Za-z0-9_$'"`\\@\u0080-\uffff]/;

class Scanner {
  private i: number;
  constructor(
    private readonly text: string,
    private readonly lex: LexRules,
    start: number,
    private readonly end: number,
  ) {
    this.i = start;
  }

  /** The parts from `i` to `end`. */
  scan(): PredicateTemplate {
    const { text } = this;
    const start = this.i;
    const parts: PredicatePart[] = [];
    let sql = "";
    while (this.i < this.end) {
      const quoted = readQuoted(text, this.i, this.lex);
      if (quoted?.kind === "error") throw new ParseError(`${quoted.message} starting at column ${this.col(quoted.start)}`);
      if (quoted && quoted.end > this.end) throw new ParseError(`unterminated ${quoted.kind} starting at column ${this.col(quoted.start)}`);
      if (quoted?.kind === "comment") {
        // Dropped: a comment may hold neither a call nor, after expansion, a value. It still separates what is around it.
        if ((sql !== "" || parts.length > 0) && !/\s$/.test(sql)) sql += " ";
        this.i = quoted.end;
      } else if (quoted) {
        sql += text.slice(quoted.start, quoted.end);
        this.i = quoted.end;
      } else if (text[this.i] === "@" && /[A-Za-z]/.test(text[this.i + 1] ?? "")) {
        const at = this.i;
        if (GLUE.test(sql.slice(-1)))
          throw new ParseError(`\`${NAME_AT.exec(text.slice(at))![0]}\` at column ${this.col(at)} touches the SQL before it; separate them with a space`);
        if (sql !== "") parts.push({ kind: "sql", text: sql });
        sql = "";
        const call = this.call();
        if (this.i < this.end && GLUE.test(text[this.i]!))
          throw new ParseError(`\`${call.name}\` at column ${this.col(at)} touches the SQL after it; separate them with a space`);
        parts.push({ kind: "call", call });
      } else {
        sql += text[this.i];
        this.i++;
      }
    }
    if (sql !== "") parts.push({ kind: "sql", text: sql });
    return { source: text.slice(start, this.end), parts };
  }

  private col(at: number): number {
    return columnOf(this.text, at);
  }

  private skipSpace(): void {
    while (this.i < this.end && /\s/.test(this.text[this.i]!)) this.i++;
  }

  /** The text at `i` for an error message: up to the next separator, at most 20 code points. */
  private found(): string {
    const rest = this.text.slice(this.i, this.end);
    if (rest === "") return "end of text";
    const word = /^[^\s,()']+/.exec(rest)?.[0] ?? rest[0]!;
    return `\`${Array.from(word).slice(0, 20).join("")}\``;
  }

  private call(): PredicateCall {
    const { text } = this;
    const at = this.i;
    NAME.lastIndex = at;
    const name = NAME.exec(text)![0];
    this.i = at + name.length;
    if (!isPredicateFunction(name)) throw new ParseError(`unknown function \`${name}\` at column ${this.col(at)}; accepted: ${ACCEPTED_FUNCTIONS}`);
    const spec = FUNCTIONS[name];
    if (spec.bare) {
      // `@username` or `@username()`; the parentheses must follow the name directly.
      if (text[this.i] === "(") {
        const open = this.i;
        this.i++;
        this.skipSpace();
        if (text[this.i] !== ")") throw new ParseError(`\`${name}\` takes no arguments (column ${this.col(open)})`);
        this.i++;
      }
      return { name, args: [], at };
    }
    this.skipSpace();
    if (text[this.i] !== "(") throw new ParseError(`\`${name}\` at column ${this.col(at)} must be followed by \`(\`; found ${this.found()}`);
    this.i++;
    const args = this.args(name, at);
    if (args.length < spec.min || (spec.max !== undefined && args.length > spec.max)) {
      throw new ParseError(arityMessage(name, this.col(at), spec.min, spec.max, args.length));
    }
    const target = spec.columnArg === undefined ? undefined : args[spec.columnArg];
    if (target?.kind === "string" && target.value.trim() === "") {
      throw new ParseError(`\`${name}\` at column ${this.col(at)} needs a column name or SQL expression, got an empty string`);
    }
    return { name, args, at };
  }

  /** Reads the arguments after the opening parenthesis, through the closing one. */
  private args(name: PredicateFunction, at: number): PredicateArg[] {
    const { text } = this;
    const spec = FUNCTIONS[name];
    const args: PredicateArg[] = [];
    this.skipSpace();
    if (text[this.i] === ")") {
      this.i++;
      return args;
    }
    for (;;) {
      if (this.i >= this.end) throw new ParseError(`missing \`)\` after the arguments of \`${name}\` at column ${this.col(at)}`);
      args.push(this.arg(name, args.length === spec.columnArg));
      this.skipSpace();
      const c = this.i < this.end ? text[this.i] : undefined;
      if (c === ",") {
        this.i++;
        this.skipSpace();
      } else if (c === ")") {
        this.i++;
        return args;
      } else if (c === undefined) {
        throw new ParseError(`missing \`)\` after the arguments of \`${name}\` at column ${this.col(at)}`);
      } else {
        throw new ParseError(`expected \`,\` or \`)\` in the arguments of \`${name}\`; found ${this.found()} at column ${this.col(this.i)}`);
      }
    }
  }

  private arg(name: PredicateFunction, isColumnArg: boolean): PredicateArg {
    const { text } = this;
    const c = text[this.i];
    if (c === "'") {
      const { value, end } = readQuotedText(text, this.i, { backslash: FUNCTIONS[name].backslashEscapes === true });
      if (end > this.end) throw new ParseError(`unterminated string starting at column ${this.col(this.i)}`);
      this.i = end;
      return { kind: "string", value };
    }
    if (isColumnArg && c === "@") {
      const inner = this.call();
      if (FUNCTIONS[inner.name].yields !== "column") {
        throw new ParseError(
          `the column argument of \`${name}\` may be \`@columnReference\` or \`@columnTagged\`, not \`${inner.name}\` (column ${this.col(inner.at)})`,
        );
      }
      return { kind: "call", call: inner };
    }
    if (isColumnArg && c === "(") return { kind: "sql", template: this.parenthesised() };
    const allowed = isColumnArg
      ? "single-quoted strings, `@columnReference(…)`, `@columnTagged(…)` or a parenthesised SQL expression"
      : "single-quoted strings";
    throw new ParseError(`arguments of \`${name}\` must be ${allowed}; found ${this.found()} at column ${this.col(this.i)}`);
  }

  /** A parenthesised SQL expression, parentheses included, lexed by the dialect's rules. */
  private parenthesised(): PredicateTemplate {
    const { text } = this;
    const open = this.i;
    let depth = 0;
    let i = open;
    while (i < this.end) {
      const quoted = readQuoted(text, i, this.lex);
      if (quoted?.kind === "error") throw new ParseError(`${quoted.message} starting at column ${this.col(quoted.start)}`);
      if (quoted) {
        i = quoted.end;
        continue;
      }
      if (text[i] === "(") depth++;
      else if (text[i] === ")" && --depth === 0) {
        const inner = new Scanner(text, this.lex, open, i + 1).scan();
        this.i = i + 1;
        return inner;
      }
      i++;
    }
    throw new ParseError(`missing \`)\` for the SQL expression starting at column ${this.col(open)}`);
  }
}

/** Every call of a template, nested calls and calls inside SQL-expression arguments included. */
export function callsOf(t: PredicateTemplate): PredicateCall[] {
  const out: PredicateCall[] = [];
  const visit = (call: PredicateCall): void => {
    out.push(call);
    for (const a of call.args) {
      if (a.kind === "call") visit(a.call);
      else if (a.kind === "sql") for (const c of callsOf(a.template)) out.push(c);
    }
  };
  for (const p of t.parts) if (p.kind === "call") visit(p.call);
  return out;
}

/** The string value of argument `i` of a call, or "" when it is not a string. */
export function stringArg(call: PredicateCall, i: number): string {
  const a = call.args[i];
  return a?.kind === "string" ? a.value : "";
}

/** Tags referenced by `@columnTagged`, for binding: a source without one of them is not governed. */
export function taggedColumnsOf(t: PredicateTemplate): string[] {
  const tags = new Set<string>();
  for (const call of callsOf(t)) if (call.name === "@columnTagged") tags.add(stringArg(call, 0));
  return [...tags];
}
