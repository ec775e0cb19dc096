/**
 * Author SQL (`author` nodes) read into tree nodes for in-memory evaluation (`eval.ts`), for
 * the subset that needs no engine: identifiers, string and number literals, TRUE/FALSE/NULL,
 * comparisons, IN lists, IS [NOT] NULL, AND/OR/NOT and parentheses. Anything else
 * (functions, casts, LIKE, arithmetic, subqueries, escape-string forms) is refused with an
 * `unsupported` issue naming the predicate, before any row is read: guessing an engine's
 * semantics could reveal rows.
 */
import { fail, issue, ok, type Result } from "../errors.js";
import { and, compare, inList, literal, not, or, type CompareOp, type SqlExpr } from "./ast.js";
import type { LexRules } from "./dialect.js";
import { readQuoted } from "./lexer.js";

/** A tree with no `author` or `call` nodes: what `evalExpr` runs. */
export type ResolvedExpr = Exclude<SqlExpr, { kind: "author" | "call" }>;

type Token =
  | { readonly t: "word"; readonly text: string }
  | { readonly t: "ident"; readonly name: string }
  | { readonly t: "string"; readonly value: string }
  | { readonly t: "number"; readonly value: number }
  | { readonly t: "op"; readonly text: string }
  | { readonly t: "expr"; readonly expr: SqlExpr };

class Unsupported extends Error {}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPS = ["<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", ",", "-"];

/** Decodes a quoted token if it is the plain form (`'…'` / `"…"` / `` `…` `` with doubled quotes and no backslash escapes). */
function unquote(text: string, lex: LexRules, kind: "string" | "identifier"): string {
  const q = text[0]!;
  const rules = kind === "string" ? lex.strings : lex.identifiers;
  const rule = rules.find((r) => r.open === q);
  if (!rule || rule.close !== q || text.length < 2 || text.at(-1) !== q) throw new Unsupported(`\`${text}\``);
  const body = text.slice(1, -1);
  if (rule.backslash && body.includes("\\")) throw new Unsupported(`the backslash escapes of \`${text}\``);
  return body.replaceAll(q + q, q);
}

function tokenize(text: string, lex: LexRules, out: Token[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    const quoted = readQuoted(text, i, lex);
    if (quoted !== undefined) {
      if (quoted.kind === "error") throw new Unsupported(quoted.message);
      const raw = text.slice(quoted.start, quoted.end);
      if (quoted.kind === "string") out.push({ t: "string", value: unquote(raw, lex, "string") });
      else if (quoted.kind === "identifier") out.push({ t: "ident", name: unquote(raw, lex, "identifier") });
      i = quoted.end;
      continue;
    }
    const rest = text.slice(i);
    const num = NUMBER.exec(rest);
    if (num && !WORD.test(rest.slice(num[0].length))) {
      out.push({ t: "number", value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      out.push({ t: "word", text: word[0] });
      i += word[0].length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op === undefined) throw new Unsupported(`\`${rest.slice(0, 12)}\``);
    out.push({ t: "op", text: op === "!=" ? "<>" : op });
    i += op.length;
  }
}

const KEYWORDS = new Set(["and", "or", "not", "in", "is", "null", "true", "false"]);

/** A recursive-descent reader of the token subset; every author node is resolved on the way. */
class Reader {
  private i = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly ctx: ResolveContext,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t?.t === "word" && t.text.toLowerCase() === w;
  }
  private isOp(o: string): boolean {
    const t = this.peek();
    return t?.t === "op" && t.text === o;
  }
  private expectOp(o: string): void {
    if (!this.isOp(o)) throw new Unsupported(`expected \`${o}\``);
    this.i++;
  }

  whole(): ResolvedExpr {
    const e = this.or();
    if (this.i !== this.tokens.length) throw new Unsupported(describe(this.peek()!));
    return e;
  }

  private or(): ResolvedExpr {
    const items = [this.and()];
    while (this.isWord("or")) {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : (or(items) as ResolvedExpr);
  }
  private and(): ResolvedExpr {
    const items = [this.not()];
    while (this.isWord("and")) {
      this.i++;
      items.push(this.not());
    }
    return items.length === 1 ? items[0]! : (and(items) as ResolvedExpr);
  }
  private not(): ResolvedExpr {
    if (this.isWord("not")) {
      this.i++;
      return not(this.not()) as ResolvedExpr;
    }
    return this.predicate();
  }
  private predicate(): ResolvedExpr {
    const left = this.primary();
    const t = this.peek();
    if (t?.t === "op" && ["=", "<>", "<", "<=", ">", ">="].includes(t.text)) {
      this.i++;
      return compare(t.text as CompareOp, left, this.primary()) as ResolvedExpr;
    }
    if (this.isWord("is")) {
      this.i++;
      let negated = false;
      if (this.isWord("not")) {
        this.i++;
        negated = true;
      }
      if (!this.isWord("null")) throw new Unsupported("`IS` other than `IS [NOT] NULL`");
      this.i++;
      return { kind: "isNull", item: left, negated };
    }
    let negatedIn = false;
    if (this.isWord("not") && this.tokens[this.i + 1]?.t === "word" && (this.tokens[this.i + 1] as { text: string }).text.toLowerCase() === "in") {
      this.i++;
      negatedIn = true;
    }
    if (this.isWord("in")) {
      this.i++;
      this.expectOp("(");
      const values = [this.primary()];
      while (this.isOp(",")) {
        this.i++;
        values.push(this.primary());
      }
      this.expectOp(")");
      const e = inList(left, values) as ResolvedExpr;
      return negatedIn ? (not(e) as ResolvedExpr) : e;
    }
    return left;
  }
  private primary(): ResolvedExpr {
    const t = this.peek();
    if (t === undefined) throw new Unsupported("an incomplete expression");
    this.i++;
    switch (t.t) {
      case "string":
        return literal(t.value) as ResolvedExpr;
      case "number":
        return literal(t.value) as ResolvedExpr;
      case "ident":
        return { kind: "column", name: this.ctx.column(t.name, true) };
      case "expr":
        return resolveNode(t.expr, this.ctx);
      case "op":
        if (t.text === "(") {
          const e = this.or();
          this.expectOp(")");
          return e;
        }
        // A negative number literal (the only use of `-` read here).
        if (t.text === "-" && this.peek()?.t === "number") return literal(-(this.tokens[this.i++] as { value: number }).value) as ResolvedExpr;
        throw new Unsupported(`\`${t.text}\``);
      case "word": {
        const w = t.text.toLowerCase();
        if (w === "null") return literal(null) as ResolvedExpr;
        if (w === "true" || w === "false") return literal(w === "true") as ResolvedExpr;
        if (KEYWORDS.has(w) || this.isOp("(")) throw new Unsupported(`\`${t.text}\`${this.isOp("(") ? "(…)" : ""}`);
        return { kind: "column", name: this.ctx.column(t.text, false) };
      }
    }
  }
}

function describe(t: Token): string {
  switch (t.t) {
    case "word":
      return `\`${t.text}\``;
    case "op":
      return `\`${t.text}\``;
    case "string":
      return "a string literal here";
    case "number":
      return "a number here";
    case "ident":
      return `the identifier \`${t.name}\` here`;
    case "expr":
      return "an expression here";
  }
}

interface ResolveContext {
  readonly lex: LexRules;
  column(name: string, quoted: boolean): string;
}

function resolveNode(e: SqlExpr, ctx: ResolveContext): ResolvedExpr {
  switch (e.kind) {
    case "column":
      return { kind: "column", name: ctx.column(e.name, true) };
    case "literal":
      return e;
    case "in":
      return inList(
        resolveNode(e.expr, ctx),
        e.values.map((v) => resolveNode(v, ctx)),
      ) as ResolvedExpr;
    case "compare":
      return compare(e.op, resolveNode(e.left, ctx), resolveNode(e.right, ctx)) as ResolvedExpr;
    case "and":
    case "or":
      return { kind: e.kind, items: e.items.map((i) => resolveNode(i, ctx)) };
    case "not":
      return not(resolveNode(e.item, ctx)) as ResolvedExpr;
    case "isNull":
      return { kind: "isNull", item: resolveNode(e.item, ctx), negated: e.negated };
    case "call":
      throw new Unsupported(`the function \`${e.name}\``);
    case "author": {
      const tokens: Token[] = [];
      for (const p of e.parts) {
        if (typeof p === "string") tokenize(p, ctx.lex, tokens);
        else tokens.push({ t: "expr", expr: p });
      }
      return new Reader(tokens, ctx).whole();
    }
  }
}

/**
 * Resolves a tree for in-memory evaluation: author SQL parsed into tree nodes, every
 * column checked against the source. `label` names the predicate in messages.
 */
export function resolveExpr(
  e: SqlExpr,
  lex: LexRules,
  columns: readonly string[],
  label: string,
  path: readonly (string | number)[] = [],
): Result<ResolvedExpr> {
  const ctx: ResolveContext = {
    lex,
    column(name, quoted) {
      if (columns.includes(name)) return name;
      // An unquoted name matches a column regardless of case when exactly one does (engines fold case differently) [ours].
      const folded = quoted ? [] : columns.filter((c) => c.toLowerCase() === name.toLowerCase());
      if (folded.length === 1) return folded[0]!;
      throw new Unsupported(`\`${name}\`, which is not a column of the data source`);
    },
  };
  try {
    return ok(resolveNode(e, ctx));
  } catch (err) {
    if (err instanceof Unsupported) {
      return fail([
        issue(
          "unsupported",
          path,
          `${label} needs a SQL engine: it uses ${err.message}; in memory Veil reads only columns, literals, comparisons, IN, IS NULL, AND, OR, NOT and parentheses`,
        ),
      ]);
    }
    throw err;
  }
}
