import type { PredicateArg, PredicateCall, PredicatePart } from "../lang/predicate.js";
import { parsePredicate, stringArg, taggedColumnsOf } from "../lang/predicate.js";
import { FUNCTIONS } from "../lang/functions.js";
import type { DataSourceModel } from "../model/bundle.js";
import type { PredicateSource } from "../model/policy.js";
import { templateFor } from "../model/predicates.js";
import { DIALECTS } from "../sql/dialects/index.js";

/** The column side of a row test: a column of the source, or the author's SQL expression. */
export type BoundOperand = { readonly kind: "column"; readonly name: string } | { readonly kind: "sql"; readonly parts: readonly BoundPart[] };

/** A part of a bound predicate: everything about the source decided, only user values left open. */
export type BoundPart =
  | { readonly kind: "sql"; readonly text: string }
  | { readonly kind: "column"; readonly name: string }
  /** `target IN (the user's values)`, or the placeholder alone when the user has none. */
  | {
      readonly kind: "contains";
      readonly reads: "attribute" | "groups" | "purposes";
      readonly attribute: string | null;
      readonly target: BoundOperand;
      readonly placeholder: string | null;
    }
  /** A truth about the user alone. */
  | { readonly kind: "userTest"; readonly name: "@hasAttribute" | "@isInGroups" | "@isUsingPurpose"; readonly args: readonly string[] }
  /** One of the user's values. */
  | { readonly kind: "value"; readonly reads: "username" | "iam" };

/**
 * A custom-WHERE predicate bound to one source: its parts, or why it does not apply here
 * (a `@columnTagged` tag no column carries: the policy is not applied [doc]), or why it
 * must show no rows (it cannot be read for this engine, or names a column the source
 * lacks [doc: fail closed rather than drop the policy]).
 */
export type BoundWhere =
  | { readonly status: "bound"; readonly parts: readonly BoundPart[] }
  | { readonly status: "notApplicable"; readonly reason: string }
  | { readonly status: "failClosed"; readonly reason: string };

class Unbindable extends Error {}

interface Context {
  readonly ds: DataSourceModel;
  readonly columnForTag: (tag: string) => string | undefined;
  readonly hasColumn: (name: string) => boolean;
}

function columnOfCall(call: PredicateCall, ctx: Context): string {
  const arg = stringArg(call, 0);
  if (call.name === "@columnTagged") return ctx.columnForTag(arg)!; // absent tags were ruled out first
  if (!ctx.hasColumn(arg)) throw new Unbindable(`\`@columnReference('${arg}')\` names a column the data source does not have`);
  return arg;
}

/** A string column argument: a column of the source, or else the author's SQL expression, lexed for the source's engine. */
function operandOf(arg: PredicateArg, call: PredicateCall, ctx: Context): BoundOperand {
  if (arg.kind === "call") return { kind: "column", name: columnOfCall(arg.call, ctx) };
  if (arg.kind === "sql") return { kind: "sql", parts: bindParts(arg.template.parts, ctx) };
  if (ctx.hasColumn(arg.value)) return { kind: "column", name: arg.value };
  const parsed = parsePredicate(arg.value, DIALECTS[ctx.ds.dialect].lex);
  if (!parsed.ok) {
    throw new Unbindable(
      `the column argument \`${arg.value}\` of \`${call.name}\` is neither a column of the data source nor SQL it can read: ${parsed.issues[0]!.message}`,
    );
  }
  if (parsed.value.parts.some((p) => p.kind === "call")) {
    throw new Unbindable(
      `the SQL expression \`${arg.value}\` given as a string to \`${call.name}\` holds an @-function; write it as a parenthesised expression instead`,
    );
  }
  return { kind: "sql", parts: parsed.value.parts as BoundPart[] };
}

function bindCall(call: PredicateCall, ctx: Context): BoundPart {
  const spec = FUNCTIONS[call.name];
  switch (call.name) {
    case "@attributeValuesContains":
    case "@groupsContains":
    case "@purposesContains": {
      const placeholder = spec.placeholderArg === undefined ? undefined : call.args[spec.placeholderArg];
      return {
        kind: "contains",
        reads: spec.reads as "attribute" | "groups" | "purposes",
        attribute: spec.reads === "attribute" ? stringArg(call, 0) : null,
        target: operandOf(call.args[spec.columnArg!]!, call, ctx),
        placeholder: placeholder?.kind === "string" ? placeholder.value : null,
      };
    }
    case "@hasAttribute":
    case "@isInGroups":
    case "@isUsingPurpose":
      return { kind: "userTest", name: call.name, args: call.args.map((_, i) => stringArg(call, i)) };
    case "@username":
      return { kind: "value", reads: "username" };
    case "@iam":
      return { kind: "value", reads: "iam" };
    case "@columnTagged":
    case "@columnReference":
      return { kind: "column", name: columnOfCall(call, ctx) };
  }
}

function bindParts(parts: readonly PredicatePart[], ctx: Context): BoundPart[] {
  return parts.map((p) => (p.kind === "sql" ? p : bindCall(p.call, ctx)));
}

/** Binds a predicate to a source: the template for its engine, every column resolved. */
export function bindWhere(src: PredicateSource, ds: DataSourceModel, columnForTag: (tag: string) => string | undefined): BoundWhere {
  const template = templateFor(src, ds.dialect);
  if (!template.ok) return { status: "failClosed", reason: `the predicate cannot be read as ${DIALECTS[ds.dialect].name} SQL: ${template.issues[0]!.message}` };
  const missing = taggedColumnsOf(template.value).filter((tag) => columnForTag(tag) === undefined);
  if (missing.length > 0) return { status: "notApplicable", reason: missing.map((t) => `no column is tagged \`${t}\``).join("; ") };
  const ctx: Context = { ds, columnForTag, hasColumn: (name) => ds.columns.some((c) => c.name === name) };
  try {
    return { status: "bound", parts: bindParts(template.value.parts, ctx) };
  } catch (e) {
    if (e instanceof Unbindable) return { status: "failClosed", reason: e.message };
    throw e;
  }
}
