/**
 * Immuta custom-WHERE predicates (spec §5): SQL text with @-functions that are expanded
 * per user, e.g.
 *   rls_department = 'OLG' OR @attributeValuesContains('EntraID.department', 'rls_department')
 *
 * A predicate is parsed ONCE at load into a template of literal SQL parts and calls;
 * expansion per user only concatenates. User-derived values (attribute values, groups,
 * purposes, username, IAM id) enter the SQL only through `quoteLiteral`, and column names
 * only through `quoteIdent` (law 7: attribute values are data).
 *
 * Scanning rules:
 *   - `'...'` strings (with `''`), `"..."` and `` `...` `` identifiers (with a doubled
 *     delimiter) are copied verbatim and not searched for @-functions. Quoting is standard
 *     SQL: a backslash escapes nothing.
 *   - `@` followed by a letter starts a call; the name runs over letters, digits and `_`,
 *     so `@username_x` is the unknown function `@username_x`, never `@username` + `_x`
 *     [ours]. An `@` not followed by a letter (PostgreSQL's `@ x`) is plain SQL.
 *   - Function names compare exactly (case-sensitive). Arguments are single-quoted
 *     string literals only.
 *   - Comments are not special: `-- @foo` is still a call [ours; keeps the scanner to
 *     the rules above].
 */
import { fail, issue, ok, type Result } from "../errors.js";
import { quoteIdent, quoteLiteral } from "../sql/quote.js";

/** The @-functions Immuta documents for custom WHERE predicates. */
export type PredicateFunction =
  | "@attributeValuesContains"
  | "@groupsContains"
  | "@purposesContains"
  | "@hasAttribute"
  | "@isInGroups"
  | "@isUsingPurpose"
  | "@username"
  | "@iam"
  | "@columnTagged"
  | "@columnReference";

/** A predicate parsed once at load: literal SQL text and @-function calls. */
export type PredicatePart =
  | { kind: "sql"; text: string }
  /** `at` is the UTF-16 offset of the `@` in the source; `args` are the unescaped literals. */
  | { kind: "call"; name: PredicateFunction; args: string[]; at: number };

/** A parsed predicate: the original text and its parts, in order. */
export interface PredicateTemplate {
  readonly source: string;
  readonly parts: readonly PredicatePart[];
}

/** Argument counts; `max` undefined means unbounded; `bare` functions take no parentheses. */
const FUNCTIONS: Readonly<Record<PredicateFunction, { min: number; max?: number; bare?: true }>> = {
  "@attributeValuesContains": { min: 2, max: 2 },
  "@groupsContains": { min: 1, max: 1 },
  "@purposesContains": { min: 1, max: 1 },
  "@hasAttribute": { min: 2, max: 2 },
  "@isInGroups": { min: 1 },
  "@isUsingPurpose": { min: 1, max: 1 },
  "@username": { min: 0, max: 0, bare: true },
  "@iam": { min: 0, max: 0, bare: true },
  "@columnTagged": { min: 1, max: 1 },
  "@columnReference": { min: 1, max: 1 },
};
const ACCEPTED_FUNCTIONS = Object.keys(FUNCTIONS).join(", ");

/** Which argument, per function, is a column-or-SQL-expression target (must not be blank). */
const TARGET_ARG: Partial<Record<PredicateFunction, number>> = {
  "@attributeValuesContains": 1,
  "@groupsContains": 0,
  "@purposesContains": 0,
};

const isFunction = (name: string): name is PredicateFunction => Object.hasOwn(FUNCTIONS, name);

/** Thrown inside the parser only; converted to a `Result` at the boundary. */
class ParseError extends Error {}

/** Column of UTF-16 offset `at`, 1-based, counted in code points so non-BMP text reads right. */
function columnOf(text: string, at: number): number {
  return Array.from(text.slice(0, at)).length + 1;
}

/**
 * Parses a custom-WHERE predicate into a template. Errors carry code `invalid_condition`,
 * the given `path`, and a message with a 1-based column (counted in code points).
 */
export function parsePredicate(text: string, path: (string | number)[] = []): Result<PredicateTemplate> {
  try {
    return ok(new Scanner(text).scan());
  } catch (e) {
    if (e instanceof ParseError) return fail([issue("invalid_condition", [...path], e.message)]);
    throw e;
  }
}

const NAME = /@[A-Za-z][A-Za-z0-9_]*/y;

class Scanner {
  private i = 0;
  constructor(private readonly text: string) {}

  scan(): PredicateTemplate {
    const { text } = this;
    const parts: PredicatePart[] = [];
    let sql = "";
    while (this.i < text.length) {
      const c = text[this.i]!;
      if (c === "'" || c === '"' || c === "`") {
        const start = this.i;
        this.skipQuoted();
        sql += text.slice(start, this.i);
      } else if (c === "@" && /[A-Za-z]/.test(text[this.i + 1] ?? "")) {
        if (sql !== "") parts.push({ kind: "sql", text: sql });
        sql = "";
        parts.push(this.call());
      } else {
        sql += c;
        this.i++;
      }
    }
    if (sql !== "") parts.push({ kind: "sql", text: sql });
    return { source: text, parts };
  }

  private col(at: number): number {
    return columnOf(this.text, at);
  }

  /** Moves past a quoted string or identifier starting at `i`; returns its unescaped content. */
  private skipQuoted(): string {
    const { text } = this;
    const start = this.i;
    const q = text[start]!;
    let value = "";
    this.i++;
    for (;;) {
      if (this.i >= text.length) {
        const what = q === "'" ? "string" : "quoted identifier";
        throw new ParseError(`unterminated ${what} starting at column ${this.col(start)}`);
      }
      const d = text[this.i]!;
      if (d === q) {
        // A doubled delimiter is an escaped delimiter (SQL style); a single one ends it.
        if (text[this.i + 1] === q) {
          value += q;
          this.i += 2;
          continue;
        }
        this.i++;
        return value;
      }
      value += d;
      this.i++;
    }
  }

  private skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  /** The text at `i` for an error message: up to the next separator, at most 20 code points. */
  private found(): string {
    const rest = this.text.slice(this.i);
    if (rest === "") return "end of text";
    const word = /^[^\s,()']+/.exec(rest)?.[0] ?? rest[0]!;
    return `\`${Array.from(word).slice(0, 20).join("")}\``;
  }

  private call(): PredicatePart {
    const { text } = this;
    const at = this.i;
    NAME.lastIndex = at;
    const name = NAME.exec(text)![0];
    this.i = at + name.length;
    if (!isFunction(name)) {
      throw new ParseError(`unknown function \`${name}\` at column ${this.col(at)}; accepted: ${ACCEPTED_FUNCTIONS}`);
    }
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
      return { kind: "call", name, args: [], at };
    }
    this.skipSpace();
    if (text[this.i] !== "(") {
      throw new ParseError(`\`${name}\` at column ${this.col(at)} must be followed by \`(\`; found ${this.found()}`);
    }
    this.i++;
    const args = this.args(name, at);
    const { min, max } = spec;
    if (args.length < min || (max !== undefined && args.length > max)) {
      const want = max === undefined ? `at least ${min}` : `${min}`;
      throw new ParseError(`\`${name}\` at column ${this.col(at)} takes ${want} argument${min === 1 ? "" : "s"}, got ${args.length}`);
    }
    const target = TARGET_ARG[name];
    if (target !== undefined && args[target]!.trim() === "") {
      throw new ParseError(`\`${name}\` at column ${this.col(at)} needs a column name or SQL expression, got an empty string`);
    }
    return { kind: "call", name, args, at };
  }

  /** Reads `'a', 'b')` after the opening parenthesis. */
  private args(name: string, at: number): string[] {
    const { text } = this;
    const args: string[] = [];
    this.skipSpace();
    if (text[this.i] === ")") {
      this.i++;
      return args;
    }
    for (;;) {
      if (this.i >= text.length) throw new ParseError(`missing \`)\` after the arguments of \`${name}\` at column ${this.col(at)}`);
      if (text[this.i] !== "'") {
        throw new ParseError(`arguments of \`${name}\` must be single-quoted strings; found ${this.found()} at column ${this.col(this.i)}`);
      }
      args.push(this.skipQuoted());
      this.skipSpace();
      const c = text[this.i];
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
}

/** What expansion needs about the user and the data source. */
export interface ExpansionContext {
  groups: readonly string[];
  attributes: Readonly<Record<string, readonly string[]>>;
  purposes: readonly string[];
  username: string;
  iam: string;
  /** Name of the column carrying `tag` (tag hierarchy already applied), or undefined. */
  columnForTag(tag: string): string | undefined;
  hasColumn(name: string): boolean;
}

/** An expanded predicate, or why the rule does not apply on this data source. */
export type Expansion = { applies: true; sql: string } | { applies: false; reason: string };

type NotApplicable = Extract<Expansion, { applies: false }>;

/**
 * The left side of an IN list: a column the data source has → quoted identifier;
 * anything else is the policy author's SQL expression, inserted verbatim inside
 * parentheses so its precedence cannot leak into the IN (`a OR b IN (…)`) [ours].
 */
function target(expr: string, ctx: ExpansionContext): string {
  return ctx.hasColumn(expr) ? quoteIdent(expr) : `(${expr})`;
}

/**
 * `<target> IN ('v1', 'v2')`, values deduplicated in the user's order. An empty list
 * gives `<target> IN (NULL)` [ours]: it keeps the IN-list shape and matches no row;
 * it is NULL rather than false, so even under `NOT (…)` it reveals nothing.
 */
function inList(lhs: string, values: readonly string[]): string {
  const unique = [...new Set(values)];
  return `${lhs} IN (${unique.length === 0 ? "NULL" : unique.map(quoteLiteral).join(", ")})`;
}

function attributeValues(ctx: ExpansionContext, name: string): readonly string[] {
  // Own keys only: an attribute named `constructor` must not read Object.prototype.
  return Object.hasOwn(ctx.attributes, name) ? ctx.attributes[name]! : [];
}

function expandCall(part: Extract<PredicatePart, { kind: "call" }>, ctx: ExpansionContext): string | NotApplicable {
  const [a = "", b = ""] = part.args;
  switch (part.name) {
    case "@attributeValuesContains":
      return inList(target(b, ctx), attributeValues(ctx, a));
    case "@groupsContains":
      return inList(target(a, ctx), ctx.groups);
    case "@purposesContains":
      return inList(target(a, ctx), ctx.purposes);
    case "@hasAttribute":
      return String(attributeValues(ctx, a).includes(b));
    case "@isInGroups":
      return String(part.args.every((g) => ctx.groups.includes(g)));
    case "@isUsingPurpose":
      return String(ctx.purposes.includes(a));
    case "@username":
      return quoteLiteral(ctx.username);
    case "@iam":
      return quoteLiteral(ctx.iam);
    case "@columnTagged": {
      const column = ctx.columnForTag(a);
      return column === undefined ? { applies: false, reason: `no column is tagged \`${a}\`` } : quoteIdent(column);
    }
    case "@columnReference":
      return ctx.hasColumn(a) ? quoteIdent(a) : { applies: false, reason: `the data source has no column \`${a}\`` };
  }
}

/**
 * Expands a template for one user on one data source. SQL parts are copied verbatim;
 * calls become quoted literals, quoted identifiers or `true`/`false`. Comparisons are
 * exact (case-sensitive). A `@columnTagged` tag no column carries, or a
 * `@columnReference` to a missing column, makes the whole rule not apply here.
 */
export function expandPredicate(t: PredicateTemplate, ctx: ExpansionContext): Expansion {
  let sql = "";
  for (const part of t.parts) {
    if (part.kind === "sql") {
      sql += part.text;
      continue;
    }
    const expanded = expandCall(part, ctx);
    if (typeof expanded !== "string") return expanded;
    sql += expanded;
  }
  return { applies: true, sql };
}

/** Tags referenced by @columnTagged, for binding. */
export function taggedColumnsOf(t: PredicateTemplate): string[] {
  const tags = new Set<string>();
  for (const part of t.parts) if (part.kind === "call" && part.name === "@columnTagged") tags.add(part.args[0]!);
  return [...tags];
}
