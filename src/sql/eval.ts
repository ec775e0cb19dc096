/**
 * In-memory evaluation of a SQL expression tree over one row, with SQL's three-valued
 * logic: what `WHERE <expr>` keeps is exactly the rows where the value is `true`. The tree
 * is first resolved (`resolve.ts`: author SQL read, columns checked).
 *
 * Comparisons [ours, pinned against DuckDB and PostgreSQL in test/unit/sql/eval.test.ts and
 * the enforcement differentials]: numbers compare numerically; strings by code point (the
 * byte order of UTF-8, as both engines' default collations in the tests); a string against
 * a number compares as a number when the string is a number literal (the engines cast the
 * untyped literal to the column's type), and is otherwise an error (the engines refuse the
 * cast); booleans compare with booleans only. Any comparison with NULL is unknown.
 */
import type { CompareOp } from "./ast.js";
import type { ResolvedExpr } from "./resolve.js";

/** A cell as evaluation sees it. */
export type SqlValue = string | number | boolean | null;

/** A comparison that no engine would run (a non-numeric string against a number): the engines raise an error. */
export class SqlTypeError {
  constructor(readonly message: string) {}
}

/** Code-point order (UTF-8 byte order), not UTF-16 unit order. */
function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** -1/0/1, or null for unknown; throws SqlTypeError where an engine would. */
function order(a: SqlValue, b: SqlValue): number | null {
  if (a === null || b === null) return null;
  if (typeof a === "number" && typeof b === "string") return order(a, asNumber(b));
  if (typeof a === "string" && typeof b === "number") return order(asNumber(a), b);
  if (typeof a !== typeof b) throw new SqlTypeError(`cannot compare ${JSON.stringify(a)} with ${JSON.stringify(b)}`);
  if (typeof a === "string") return Math.sign(compareStrings(a, b as string));
  if (typeof a === "boolean") return a === b ? 0 : a ? 1 : -1;
  return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
}

function asNumber(s: string): number {
  if (!NUMERIC_TEXT.test(s)) throw new SqlTypeError(`${JSON.stringify(s)} is not a number`);
  return Number(s);
}

function test(op: CompareOp, c: number): boolean {
  switch (op) {
    case "=":
      return c === 0;
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

function truth(v: SqlValue): boolean | null {
  if (v === null) return null;
  if (typeof v === "boolean") return v;
  throw new SqlTypeError(`${JSON.stringify(v)} is not a boolean`);
}

/**
 * The value of a resolved tree over a row (`get` reads a column's cell). Throws
 * `SqlTypeError` where an engine would raise an error; callers fail closed on it.
 */
export function evalExpr(e: ResolvedExpr, get: (column: string) => SqlValue): SqlValue {
  switch (e.kind) {
    case "column":
      return get(e.name);
    case "literal":
      return e.value;
    case "compare": {
      const c = order(evalExpr(e.left as ResolvedExpr, get), evalExpr(e.right as ResolvedExpr, get));
      return c === null ? null : test(e.op, c);
    }
    case "in": {
      // Empty lists render `IN (NULL)`: unknown for every row.
      const v = evalExpr(e.expr as ResolvedExpr, get);
      let unknown = e.values.length === 0;
      for (const item of e.values) {
        const c = order(v, evalExpr(item as ResolvedExpr, get));
        if (c === 0) return true;
        if (c === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case "and": {
      let unknown = false;
      for (const i of e.items) {
        const t = truth(evalExpr(i as ResolvedExpr, get));
        if (t === false) return false;
        if (t === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case "or": {
      let unknown = false;
      for (const i of e.items) {
        const t = truth(evalExpr(i as ResolvedExpr, get));
        if (t === true) return true;
        if (t === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case "not": {
      const t = truth(evalExpr(e.item as ResolvedExpr, get));
      return t === null ? null : !t;
    }
    case "isNull":
      return (evalExpr(e.item as ResolvedExpr, get) === null) !== e.negated;
  }
}
