/**
 * The memberships an audience condition tests: groups, attribute values and purposes,
 * read from its JSON Logic (so `advanced` expressions count too). Each is a yes/no
 * fact about a user, independent of the others: any combination is some user's.
 */
import type { LogicRule } from "../lang/logic.js";
import type { Subject } from "../lang/subject.js";
import type { Condition } from "../model/policy.js";

export type Atom =
  | { readonly kind: "group"; readonly name: string }
  | { readonly kind: "attribute"; readonly name: string; readonly value: string }
  | { readonly kind: "purpose"; readonly name: string };

export const atomKey = (a: Atom): string => JSON.stringify(a.kind === "attribute" ? [a.kind, a.name, a.value] : [a.kind, a.name]);

/** An attribute key (`attributeKey(name, value)`, a JSON pair) read back; undefined when it is not one. */
function attributePair(key: string): [string, string] | undefined {
  try {
    const v: unknown = JSON.parse(key);
    return Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string" ? [v[0], v[1]] : undefined;
  } catch {
    return undefined;
  }
}

/** The distinct atoms of a condition, in the order they first appear. */
export function atomsOf(c: Condition): Atom[] {
  const out = new Map<string, Atom>();
  const visit = (logic: unknown): void => {
    if (logic === null || typeof logic !== "object") return;
    if (Array.isArray(logic)) return void logic.forEach(visit);
    for (const [op, args] of Object.entries(logic as Record<string, unknown>)) {
      if (op !== "in") {
        visit(args);
        continue;
      }
      if (!Array.isArray(args) || typeof args[0] !== "string") continue;
      const variable = (args[1] as { var?: unknown } | undefined)?.var;
      let atom: Atom | undefined;
      if (variable === "groups") atom = { kind: "group", name: args[0] };
      else if (variable === "purposes") atom = { kind: "purpose", name: args[0] };
      else if (variable === "attributes") {
        const pair = attributePair(args[0]);
        if (pair) atom = { kind: "attribute", name: pair[0], value: pair[1] };
      }
      if (atom) out.set(atomKey(atom), atom);
    }
  };
  visit(c.logic as LogicRule);
  return [...out.values()];
}

/** The user who holds exactly the atoms whose bit is set in `bits`. */
export function subjectOf(atoms: readonly Atom[], bits: number): Subject {
  const groups = new Set<string>();
  const purposes = new Set<string>();
  const attributes = new Map<string, Set<string>>();
  atoms.forEach((a, i) => {
    if ((bits & (1 << i)) === 0) return;
    if (a.kind === "group") groups.add(a.name);
    else if (a.kind === "purpose") purposes.add(a.name);
    else {
      let values = attributes.get(a.name);
      if (!values) attributes.set(a.name, (values = new Set()));
      values.add(a.value);
    }
  });
  return { groups, purposes, attributes };
}
