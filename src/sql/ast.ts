/**
 * A small SQL expression tree: what evaluation hands to rendering. Decisions are data;
 * SQL text exists only once a `Dialect` renders the tree (`render.ts`).
 */

/** A comparison operator. */
export type CompareOp = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type SqlExpr =
  /** A column of the data source; rendered as a quoted identifier. */
  | { readonly kind: "column"; readonly name: string }
  /** A value; strings are rendered as escaped literals, null as NULL. */
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  /** `expr IN (v, …)`; an empty list renders `IN (NULL)`, which holds for no row, even under NOT. */
  | { readonly kind: "in"; readonly expr: SqlExpr; readonly values: readonly SqlExpr[] }
  | { readonly kind: "compare"; readonly op: CompareOp; readonly left: SqlExpr; readonly right: SqlExpr }
  | { readonly kind: "and" | "or"; readonly items: readonly SqlExpr[] }
  | { readonly kind: "not"; readonly item: SqlExpr }
  | { readonly kind: "isNull"; readonly item: SqlExpr; readonly negated: boolean }
  /** A function Veil itself emits (a trusted name, never user text), applied to its arguments. */
  | { readonly kind: "call"; readonly name: string; readonly args: readonly SqlExpr[] }
  /**
   * The policy author's SQL with holes: text parts were lexed for the target dialect when
   * the plan was bound (comments removed, strings and identifiers whole), holes are trees.
   * `grouped` parenthesises the whole (an author expression used as an operand).
   */
  | { readonly kind: "author"; readonly parts: readonly (string | SqlExpr)[]; readonly grouped: boolean };

export const column = (name: string): SqlExpr => ({ kind: "column", name });
export const literal = (value: string | number | boolean | null): SqlExpr => ({ kind: "literal", value });
export const inList = (expr: SqlExpr, values: readonly SqlExpr[]): SqlExpr => ({ kind: "in", expr, values });
export const and = (items: readonly SqlExpr[]): SqlExpr => ({ kind: "and", items });
export const or = (items: readonly SqlExpr[]): SqlExpr => ({ kind: "or", items });
export const not = (item: SqlExpr): SqlExpr => ({ kind: "not", item });
export const compare = (op: CompareOp, left: SqlExpr, right: SqlExpr): SqlExpr => ({ kind: "compare", op, left, right });
export const author = (parts: readonly (string | SqlExpr)[], grouped = false): SqlExpr => ({ kind: "author", parts, grouped });
