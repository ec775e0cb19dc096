import type { BoundOperand, BoundPart } from "../compile/where.js";
import { author, column, inList, literal, type SqlExpr } from "../sql/ast.js";
import type { PreparedUser } from "./subject.js";

/** The user's values a `contains` test compares with, in the user's order, without repeats. */
function valuesOf(part: Extract<BoundPart, { kind: "contains" }>, u: PreparedUser): readonly string[] {
  if (part.reads === "groups") return u.user.groups ?? [];
  if (part.reads === "purposes") return u.project?.purposes ?? [];
  const a = u.user.authorizations;
  // Own keys only: an attribute named `constructor` must not read Object.prototype.
  return a && Object.hasOwn(a, part.attribute!) ? a[part.attribute!]! : [];
}

function operand(t: BoundOperand, u: PreparedUser): SqlExpr {
  return t.kind === "column" ? column(t.name) : author(expandParts(t.parts, u), true);
}

/**
 * `@username` is the user's `userid`, else their name; `@iam` their `iamid`, else `bim`
 * (Immuta's built-in IAM) [ours].
 */
function userValue(reads: "username" | "iam", u: PreparedUser): string {
  return reads === "username" ? (u.user.userid ?? u.user.name) : (u.user.iamid ?? "bim");
}

function expandPart(p: BoundPart, u: PreparedUser): string | SqlExpr {
  switch (p.kind) {
    case "sql":
      return p.text;
    case "column":
      return column(p.name);
    case "contains": {
      const values = [...new Set(valuesOf(p, u))];
      // No values: the placeholder alone when the author gave one [doc], else `IN (NULL)`, which holds for no row even under NOT [ours].
      const list = values.length === 0 && p.placeholder !== null ? [p.placeholder] : values;
      return inList(operand(p.target, u), list.map(literal));
    }
    case "userTest": {
      const s = u.subject;
      if (p.name === "@hasAttribute") return literal(s.attributes.get(p.args[0]!)?.has(p.args[1]!) ?? false);
      if (p.name === "@isInGroups") return literal(p.args.every((g) => s.groups.has(g)));
      return literal(s.purposes.has(p.args[0]!));
    }
    case "value":
      return literal(userValue(p.reads, u));
  }
}

function expandParts(parts: readonly BoundPart[], u: PreparedUser): (string | SqlExpr)[] {
  return parts.map((p) => expandPart(p, u));
}

/**
 * A bound predicate for one user: the author's SQL with the user's values in place, as a
 * tree. Values are literals in the tree; only a dialect turns them into SQL text.
 */
export function expandWhere(parts: readonly BoundPart[], u: PreparedUser): SqlExpr {
  return author(expandParts(parts, u));
}
