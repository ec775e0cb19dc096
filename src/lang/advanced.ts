/**
 * Immuta subscription "advanced" expressions, e.g.
 *   @isInGroups('Analysts','EU') AND NOT @hasAttribute('Country','US') OR @isUsingPurpose('Audit')
 * parsed into the JSON Logic vocabulary of `logic.ts`.
 *
 * Grammar (keywords case-insensitive, precedence NOT > AND > OR):
 *   or      := and ("OR" and)*
 *   and     := not ("AND" not)*
 *   not     := "NOT" not | primary
 *   primary := "(" or ")" | FUNCTION "(" STRING ("," STRING)* ")"
 *   STRING  := '...' with '' for a quote, or "..." with "" for a quote (SQL style)
 * Anything else is rejected rather than guessed at: conditions gate data access.
 */
import type { LogicRule as RulesLogic } from "./logic.js";
import { fail, issue, ok, type Result } from "../errors.js";
import { FUNCTIONS } from "./functions.js";
import { allOf, anyOf, attributeLogic, groupLogic, notLogic, purposeLogic } from "./logic.js";
import { arityMessage, columnOf, ParseError, readQuotedText } from "./scan.js";

type Token =
  | { readonly kind: "func"; readonly name: string; readonly at: number }
  | { readonly kind: "(" | ")" | ","; readonly at: number }
  | { readonly kind: "string"; readonly value: string; readonly raw: string; readonly at: number }
  | { readonly kind: "word"; readonly text: string; readonly at: number }
  | { readonly kind: "end"; readonly at: number };

/** The functions an advanced expression may call (their arity is in the one @-function table), and what each becomes. */
const BUILDERS: Readonly<Record<"@isInGroups" | "@hasAttribute" | "@isUsingPurpose", (args: string[]) => RulesLogic>> = {
  "@isInGroups": (args) => allOf(args.map(groupLogic)),
  "@hasAttribute": ([name, value]) => attributeLogic(name!, value!),
  "@isUsingPurpose": ([purpose]) => purposeLogic(purpose!),
};
const ACCEPTED_FUNCTIONS = Object.keys(BUILDERS).join(", ");
const isBuilder = (name: string): name is keyof typeof BUILDERS => Object.hasOwn(BUILDERS, name);

/**
 * Parses an advanced expression into JSON Logic. Errors carry code `invalid_condition`,
 * the given `path`, and a message with a 1-based column (counted in code points).
 */
export function parseAdvanced(text: string, path: (string | number)[] = []): Result<RulesLogic> {
  try {
    const parser = new Parser(text, tokenize(text));
    return ok(parser.parseAll());
  } catch (e) {
    if (e instanceof ParseError) return fail([issue("invalid_condition", [...path], e.message)]);
    throw e;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (c === "'" || c === '"') {
      // A doubled quote is an escaped quote (SQL style); a single one ends the string.
      const start = i;
      const { value, end } = readQuotedText(text, i);
      i = end;
      tokens.push({ kind: "string", value, raw: text.slice(start, i), at: start });
    } else if (c === "@") {
      const m = /^@[A-Za-z_]\w*/.exec(text.slice(i));
      if (!m) throw new ParseError(`unexpected \`@\` at column ${columnOf(text, i)}; expected a function name such as @isInGroups`);
      tokens.push({ kind: "func", name: m[0], at: i });
      i += m[0].length;
    } else {
      const m = /^\w+/.exec(text.slice(i));
      // Unknown punctuation: show the whole code point, not half a surrogate pair.
      const shown = m ? m[0] : String.fromCodePoint(text.codePointAt(i)!);
      if (!m) throw new ParseError(`unexpected \`${shown}\` at column ${columnOf(text, i)}`);
      tokens.push({ kind: "word", text: m[0], at: i });
      i += m[0].length;
    }
  }
  tokens.push({ kind: "end", at: text.length });
  return tokens;
}

function describe(t: Token): string {
  switch (t.kind) {
    case "func":
      return `\`${t.name}\``;
    case "string":
      return `\`${t.raw}\``;
    case "word":
      return `\`${t.text}\``;
    case "end":
      return "end of input";
    default:
      return `\`${t.kind}\``;
  }
}

function isKeyword(t: Token, kw: "AND" | "OR" | "NOT"): boolean {
  return t.kind === "word" && t.text.toUpperCase() === kw;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseAll(): RulesLogic {
    const result = this.parseOr();
    const t = this.peek();
    if (t.kind === ")") throw this.error(t, "it has no matching `(`");
    if (t.kind !== "end") throw this.error(t, "expected `AND`, `OR` or end of input");
    return result;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== "end") this.pos++;
    return t;
  }

  private col(t: Token): number {
    return columnOf(this.text, t.at);
  }

  private error(t: Token, expected: string): ParseError {
    return new ParseError(`unexpected ${describe(t)} at column ${this.col(t)}; ${expected}`);
  }

  private parseOr(): RulesLogic {
    const parts = [this.parseAnd()];
    while (isKeyword(this.peek(), "OR")) {
      this.next();
      parts.push(this.parseAnd());
    }
    return anyOf(flatten("or", parts));
  }

  private parseAnd(): RulesLogic {
    const parts = [this.parseNot()];
    while (isKeyword(this.peek(), "AND")) {
      this.next();
      parts.push(this.parseNot());
    }
    return allOf(flatten("and", parts));
  }

  private parseNot(): RulesLogic {
    if (isKeyword(this.peek(), "NOT")) {
      this.next();
      return notLogic(this.parseNot());
    }
    return this.parsePrimary();
  }

  private parsePrimary(): RulesLogic {
    const t = this.next();
    if (t.kind === "(") {
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== ")") throw this.error(close, `expected \`)\` to close \`(\` at column ${this.col(t)}`);
      return inner;
    }
    if (t.kind === "func") return this.parseCall(t);
    throw this.error(t, "expected a function such as @isInGroups, `NOT` or `(`");
  }

  private parseCall(fn: Extract<Token, { kind: "func" }>): RulesLogic {
    if (!isBuilder(fn.name)) throw new ParseError(`unknown function \`${fn.name}\` at column ${this.col(fn)}; accepted: ${ACCEPTED_FUNCTIONS}`);
    const spec = FUNCTIONS[fn.name];
    const open = this.next();
    if (open.kind !== "(") throw this.error(open, `expected \`(\` after \`${fn.name}\``);
    const args: string[] = [];
    if (this.peek().kind !== ")") {
      for (;;) {
        const arg = this.next();
        if (arg.kind !== "string") throw this.error(arg, "expected a quoted string");
        args.push(arg.value);
        const sep = this.next();
        if (sep.kind === ")") break;
        if (sep.kind !== ",") throw this.error(sep, "expected `,` or `)`");
      }
    } else {
      this.next();
    }
    if (args.length < spec.min || (spec.max !== undefined && args.length > spec.max)) {
      throw new ParseError(arityMessage(fn.name, this.col(fn), spec.min, spec.max, args.length));
    }
    return BUILDERS[fn.name](args);
  }
}

/** Splices nested `and`/`or` of the same kind so equivalent inputs share a `logicKey`. */
function flatten(op: "and" | "or", parts: readonly RulesLogic[]): RulesLogic[] {
  const out: RulesLogic[] = [];
  for (const p of parts) {
    if (typeof p === "object" && p !== null && !Array.isArray(p) && Object.hasOwn(p, op)) {
      for (const q of (p as Record<string, RulesLogic[]>)[op] ?? []) out.push(q);
    } else {
      out.push(p);
    }
  }
  return out;
}
