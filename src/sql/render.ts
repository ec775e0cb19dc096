import type { SqlExpr } from "./ast.js";
import type { Dialect } from "./dialect.js";

function literal(value: string | number | boolean | null, d: Dialect): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  return d.quoteString(value);
}

/** An operand: a column or literal as is, anything compound in parentheses. */
function operand(e: SqlExpr, d: Dialect): string {
  const s = renderExpr(e, d);
  return e.kind === "column" || e.kind === "literal" || e.kind === "call" || (e.kind === "author" && e.grouped) ? s : `(${s})`;
}

/**
 * Renders a tree as SQL text for one engine. Every value goes through the dialect's
 * `quoteString` and every column through its `quoteIdent`; author text was lexed for
 * this dialect when the plan was bound and is copied as is.
 */
export function renderExpr(e: SqlExpr, d: Dialect): string {
  switch (e.kind) {
    case "column":
      return d.quoteIdent(e.name);
    case "literal":
      return literal(e.value, d);
    case "in":
      return `${operand(e.expr, d)} IN (${e.values.length === 0 ? "NULL" : e.values.map((v) => renderExpr(v, d)).join(", ")})`;
    case "compare":
      return `${operand(e.left, d)} ${e.op} ${operand(e.right, d)}`;
    case "and":
    case "or":
      if (e.items.length === 0) return e.kind === "and" ? "true" : "false";
      return e.items.map((i) => operand(i, d)).join(e.kind === "and" ? " AND " : " OR ");
    case "not":
      return `NOT ${operand(e.item, d)}`;
    case "isNull":
      return `${operand(e.item, d)} IS ${e.negated ? "NOT " : ""}NULL`;
    case "call":
      return `${e.name}(${e.args.map((a) => renderExpr(a, d)).join(", ")})`;
    case "author": {
      const text = e.parts.map((p) => (typeof p === "string" ? p : renderExpr(p, d))).join("");
      return e.grouped ? `(${text})` : text;
    }
  }
}
