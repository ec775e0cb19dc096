/**
 * Audience conditions in JSON Logic: builders for the small vocabulary Veil emits,
 * and a compiler that turns such logic into a closure over a `Subject`.
 *
 * Only this vocabulary is accepted; anything else is rejected (fail closed) because
 * a condition we cannot evaluate exactly must never silently grant or deny access.
 *   true | false
 *   {"in": ["<group>", {"var": "groups"}]}
 *   {"in": ["<attributeKey(name, value)>", {"var": "attributes"}]}
 *   {"in": ["<purpose>", {"var": "purposes"}]}
 *   {"and": [x, ...]} | {"or": [x, ...]} | {"!": x} | {"!": [x]}
 */
import type { RulesLogic as JsonLogicRule } from "json-logic-js";
import { fail, issue, ok, type Result, type VeilIssue } from "../errors.js";
import { attributeKey, type Subject } from "./subject.js";

/**
 * A JSON Logic rule in Veil's closed vocabulary. Our own structural type, so the public
 * declarations never name json-logic-js (its types are a devDependency; it is the test oracle).
 */
export type LogicRule = boolean | { readonly [operator: string]: unknown };
type RulesLogic = LogicRule;

type Path = readonly (string | number)[];
type Predicate = (s: Subject) => boolean;

/** Logic that is true when the user is a member of group `name`. */
export function groupLogic(name: string): RulesLogic {
  return { in: [name, { var: "groups" }] } satisfies JsonLogicRule;
}

/** Logic that is true when the user has attribute `name` with value `value`. */
export function attributeLogic(name: string, value: string): RulesLogic {
  return { in: [attributeKey(name, value), { var: "attributes" }] } satisfies JsonLogicRule;
}

/** Logic that is true when the user is acting under purpose `name`. */
export function purposeLogic(name: string): RulesLogic {
  return { in: [name, { var: "purposes" }] } satisfies JsonLogicRule;
}

/** Conjunction; one element is returned as is, none is `true` (the empty AND). */
export function allOf(xs: readonly RulesLogic[]): RulesLogic {
  if (xs.length === 0) return true;
  if (xs.length === 1) return xs[0]!;
  return { and: [...xs] };
}

/** Disjunction; one element is returned as is, none is `false` (the empty OR). */
export function anyOf(xs: readonly RulesLogic[]): RulesLogic {
  if (xs.length === 0) return false;
  if (xs.length === 1) return xs[0]!;
  return { or: [...xs] };
}

/** Negation. */
export function notLogic(x: RulesLogic): RulesLogic {
  return { "!": x } satisfies JsonLogicRule;
}

/**
 * Canonical string for deduplicating conditions. Plain JSON is enough because every
 * condition is built by the helpers above, so key order is always the same.
 */
export function logicKey(logic: RulesLogic): string {
  return JSON.stringify(logic);
}

const VARIABLES = ["groups", "attributes", "purposes"] as const;
type Variable = (typeof VARIABLES)[number];
const ACCEPTED_OPERATORS = "and, or, !, in";

/** Short, single-line rendering of a user value for messages. */
function show(v: unknown): string {
  const text = v === undefined ? "undefined" : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const bad = <T>(path: Path, message: string): Result<T> => fail([issue("invalid_condition", [...path], message)]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validates `logic` against the supported vocabulary and compiles it to a closure.
 * The closure never calls json-logic-js: groups, attributes and purposes become set
 * lookups and `and`/`or` short-circuit over compiled children.
 */
export function compileLogic(logic: unknown, path: (string | number)[] = []): Result<(s: Subject) => boolean> {
  if (logic === true) return ok(() => true);
  if (logic === false) return ok(() => false);
  if (!isPlainObject(logic)) {
    return bad(path, `unsupported value \`${show(logic)}\`; a condition is true, false or an object with one operator`);
  }
  const keys = Object.keys(logic);
  if (keys.length !== 1) {
    const listed = keys.map((k) => `\`${k}\``).join(", ");
    return bad(path, `a condition object needs exactly one operator, got ${keys.length}${listed ? ` (${listed})` : ""}`);
  }
  const op = keys[0]!;
  const args = logic[op];
  switch (op) {
    case "and":
    case "or":
      return compileJunction(op, args, [...path, op]);
    case "!":
      return compileNot(args, [...path, op]);
    case "in":
      return compileIn(args, [...path, op]);
    default:
      return bad(path, `unsupported operator \`${op}\`; accepted: ${ACCEPTED_OPERATORS}`);
  }
}

function compileJunction(op: "and" | "or", args: unknown, path: Path): Result<Predicate> {
  if (!Array.isArray(args) || args.length === 0) {
    return bad(path, `\`${op}\` needs a non-empty list of conditions, got \`${show(args)}\``);
  }
  const children: Predicate[] = [];
  const issues: VeilIssue[] = [];
  args.forEach((arg, i) => {
    const r = compileLogic(arg, [...path, i]);
    if (r.ok) children.push(r.value);
    else issues.push(...r.issues);
  });
  if (issues.length > 0) return fail(issues);
  if (children.length === 1) return ok(children[0]!);
  if (op === "and") {
    return ok((s) => {
      for (const f of children) if (!f(s)) return false;
      return true;
    });
  }
  return ok((s) => {
    for (const f of children) if (f(s)) return true;
    return false;
  });
}

function compileNot(args: unknown, path: Path): Result<Predicate> {
  // json-logic-js unwraps a one-element list, so `{"!": [x]}` means `{"!": x}`.
  let operand = args;
  let operandPath: Path = path;
  if (Array.isArray(args)) {
    if (args.length !== 1) return bad(path, `\`!\` takes exactly one condition, got ${args.length}`);
    operand = args[0];
    operandPath = [...path, 0];
  }
  const inner = compileLogic(operand, [...operandPath]);
  if (!inner.ok) return inner;
  const f = inner.value;
  return ok((s) => !f(s));
}

function compileIn(args: unknown, path: Path): Result<Predicate> {
  const shape = '`in` needs ["<name>", {"var": "groups" | "attributes" | "purposes"}]';
  if (!Array.isArray(args) || args.length !== 2) return bad(path, `${shape}, got \`${show(args)}\``);
  const [needle, haystack] = args as [unknown, unknown];
  if (typeof needle !== "string") return bad([...path, 0], `${shape}; the name must be a string, got \`${show(needle)}\``);
  const variable = readVar(haystack, [...path, 1]);
  if (!variable.ok) return variable;
  switch (variable.value) {
    case "groups":
      return ok((s) => s.groups.has(needle));
    case "purposes":
      return ok((s) => s.purposes.has(needle));
    case "attributes": {
      // Decode once here so evaluation is two map lookups, not a JSON parse.
      const decoded = decodeAttributeKey(needle);
      if (decoded === undefined) {
        return bad([...path, 0], `attribute key \`${show(needle)}\` is not of the form attributeKey(name, value), i.e. ["name","value"]`);
      }
      const [name, value] = decoded;
      return ok((s) => s.attributes.get(name)?.has(value) ?? false);
    }
  }
}

function readVar(v: unknown, path: Path): Result<Variable> {
  if (!isPlainObject(v) || Object.keys(v).length !== 1 || !Object.hasOwn(v, "var")) {
    return bad(path, `expected {"var": "groups" | "attributes" | "purposes"}, got \`${show(v)}\``);
  }
  const name = v["var"];
  if (typeof name === "string" && (VARIABLES as readonly string[]).includes(name)) return ok(name as Variable);
  return bad([...path, "var"], `unsupported variable \`${show(name)}\`; accepted: ${VARIABLES.join(", ")}`);
}

/**
 * Inverse of `attributeKey`. Only the canonical encoding is accepted: json-logic-js
 * compares the raw string, so a differently spaced key would never match at runtime.
 */
function decodeAttributeKey(key: string): [string, string] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [name, value] = parsed as [unknown, unknown];
  if (typeof name !== "string" || typeof value !== "string") return undefined;
  return attributeKey(name, value) === key ? [name, value] : undefined;
}
