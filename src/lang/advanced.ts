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
import { allOf, anyOf, attributeLogic, groupLogic, notLogic, purposeLogic } from "./logic.js";

type Token =
  | { readonly kind: "func"; readonly name: string; readonly at: number }
  | { readonly kind: "(" | ")" | ","; readonly at: number }
  | { readonly kind: "string"; readonly value: string; readonly raw: string; readonly at: number }
  | { readonly kind: "word"; readonly text: string; readonly at: number }
  | { readonly kind: "end"; readonly at: number };

/** Arity rules per function; `max` undefined means unbounded. */
const FUNCTIONS: Readonly<Record<string, { min: number; max?: number; build: (args: string[]) => RulesLogic }>> = {
  "@isInGroups": { min: 1, build: (args) => allOf(args.map(groupLogic)) },
  "@hasAttribute": { min: 2, max: 2, build: ([name, value]) => attributeLogic(name!, value!) },
  "@isUsingPurpose": { min: 1, max: 1, build: ([purpose]) => purposeLogic(purpose!) },
};
const ACCEPTED_FUNCTIONS = Object.keys(FUNCTIONS).join(", ");

/** Thrown inside the parser only; converted to a `Result` at the boundary. */
class ParseError extends Error {}

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

/** Column of UTF-16 offset `at`, counted in code points so non-BMP text reads right. */
function columnOf(text: string, at: number): number {
  return Array.from(text.slice(0, at)).length + 1;
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
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new ParseError(`unterminated string starting at column ${columnOf(text, start)}`);
        const d = text[i]!;
        if (d === c) {
          // A doubled quote is an escaped quote (SQL style); a single one ends the string.
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
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
    const spec = FUNCTIONS[fn.name];
    if (!Object.hasOwn(FUNCTIONS, fn.name) || spec === undefined) {
      throw new ParseError(`unknown function \`${fn.name}\` at column ${this.col(fn)}; accepted: ${ACCEPTED_FUNCTIONS}`);
    }
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
      const wanted = spec.max === undefined ? `at least ${spec.min}` : `exactly ${spec.min}`;
      const noun = spec.min === 1 ? "argument" : "arguments";
      throw new ParseError(`\`${fn.name}\` at column ${this.col(fn)} takes ${wanted} ${noun}, got ${args.length}`);
    }
    return spec.build(args);
  }
}

/** Splices nested `and`/`or` of the same kind so equivalent inputs share a `logicKey`. */
function flatten(op: "and" | "or", parts: readonly RulesLogic[]): RulesLogic[] {
  const out: RulesLogic[] = [];
  for (const p of parts) {
    if (typeof p === "object" && p !== null && !Array.isArray(p) && Object.hasOwn(p, op)) {
      out.push(...((p as Record<string, RulesLogic[]>)[op] ?? []));
    } else {
      out.push(p);
    }
  }
  return out;
}
