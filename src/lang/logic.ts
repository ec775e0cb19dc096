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
  // Well-formed logic (all of it, once loaded) compiles without tracking paths; anything
  // the quick pass does not accept is compiled again below, which reports where it fails.
  const quick = compileQuick(logic);
  return quick ? ok(quick) : compileChecked(logic, path);
}

const TRUE: Predicate = () => true;
const FALSE: Predicate = () => false;

/**
 * `compileChecked` without paths or issues: the same checks and the same closures, or
 * undefined wherever `compileChecked` would fail.
 */
function compileQuick(logic: unknown): Predicate | undefined {
  if (logic === true) return TRUE;
  if (logic === false) return FALSE;
  if (!isPlainObject(logic)) return undefined;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return undefined;
  const op = keys[0]!;
  const args = logic[op];
  switch (op) {
    case "and":
    case "or": {
      if (!Array.isArray(args) || args.length === 0) return undefined;
      // Memberships only (the usual exceptions: groups or attributes): one closure, no calls per child.
      const leaves: Leaf[] = [];
      for (const arg of args) {
        const leaf = quickLeaf(arg);
        if (leaf === INVALID) return undefined;
        if (leaf === NOT_LEAF) break;
        leaves.push(leaf);
      }
      if (leaves.length === args.length && args.length > 1) return fused(op, leaves);
      const children: Predicate[] = [];
      for (const arg of args) {
        const f = compileQuick(arg);
        if (!f) return undefined;
        children.push(f);
      }
      return junction(op, children);
    }
    case "!": {
      let operand = args;
      if (Array.isArray(args)) {
        if (args.length !== 1) return undefined;
        operand = args[0];
      }
      const f = compileQuick(operand);
      return f && ((s) => !f(s));
    }
    case "in": {
      if (!Array.isArray(args) || args.length !== 2) return undefined;
      const [needle, haystack] = args as [unknown, unknown];
      if (typeof needle !== "string") return undefined;
      const variable = readVar(haystack, []);
      return variable.ok ? membership(variable.value, needle) : undefined;
    }
    default:
      return undefined;
  }
}

/** A membership test: `{"in": [needle, {"var": …}]}`, read. */
type Leaf =
  | { readonly variable: "groups" | "purposes"; readonly needle: string }
  | { readonly variable: "attributes"; readonly name: string; readonly value: string };
const NOT_LEAF = 0;
const INVALID = 1;

/** `logic` as a membership test; NOT_LEAF when it is no `in`; INVALID when it is one that does not compile. */
function quickLeaf(logic: unknown): Leaf | typeof NOT_LEAF | typeof INVALID {
  if (!isPlainObject(logic)) return NOT_LEAF;
  const keys = Object.keys(logic);
  if (keys.length !== 1 || keys[0] !== "in") return NOT_LEAF;
  const args = logic["in"];
  if (!Array.isArray(args) || args.length !== 2) return INVALID;
  const [needle, haystack] = args as [unknown, unknown];
  if (typeof needle !== "string") return INVALID;
  const variable = readVar(haystack, []);
  if (!variable.ok) return INVALID;
  if (variable.value !== "attributes") return { variable: variable.value, needle };
  const decoded = decodeAttributeKey(needle);
  return decoded === undefined ? INVALID : { variable: "attributes", name: decoded[0], value: decoded[1] };
}

/**
 * An `and`/`or` of memberships as one closure: the same value as the junction of the
 * leaves' closures (they are pure, so the order they are asked in does not matter).
 */
function fused(op: "and" | "or", leaves: readonly Leaf[]): Predicate {
  const groups: string[] = [];
  const purposes: string[] = [];
  const names: string[] = [];
  const values: string[] = [];
  for (const l of leaves) {
    if (l.variable === "attributes") {
      names.push(l.name);
      values.push(l.value);
    } else (l.variable === "groups" ? groups : purposes).push(l.needle);
  }
  const has = (s: Subject, i: number): boolean => s.attributes.get(names[i]!)?.has(values[i]!) === true;
  if (op === "or") {
    if (groups.length === 1 && names.length === 1 && purposes.length === 0) {
      const [g, name, value] = [groups[0]!, names[0]!, values[0]!];
      return (s) => s.groups.has(g) || s.attributes.get(name)?.has(value) === true;
    }
    return (s) => {
      for (const g of groups) if (s.groups.has(g)) return true;
      for (let i = 0; i < names.length; i++) if (has(s, i)) return true;
      for (const p of purposes) if (s.purposes.has(p)) return true;
      return false;
    };
  }
  return (s) => {
    for (const g of groups) if (!s.groups.has(g)) return false;
    for (let i = 0; i < names.length; i++) if (!has(s, i)) return false;
    for (const p of purposes) if (!s.purposes.has(p)) return false;
    return true;
  };
}

/** The closure of an `and`/`or` over compiled children (one child is itself; two, the common case, without a loop). */
function junction(op: "and" | "or", children: readonly Predicate[]): Predicate {
  if (children.length === 1) return children[0]!;
  if (children.length === 2) {
    const [a, b] = children as [Predicate, Predicate];
    return op === "and" ? (s) => a(s) && b(s) : (s) => a(s) || b(s);
  }
  if (op === "and") {
    return (s) => {
      for (const f of children) if (!f(s)) return false;
      return true;
    };
  }
  return (s) => {
    for (const f of children) if (f(s)) return true;
    return false;
  };
}

/** The closure of `in` for a variable, or undefined for an attribute key that is not canonical. */
function membership(variable: Variable, needle: string): Predicate | undefined {
  switch (variable) {
    case "groups":
      return (s) => s.groups.has(needle);
    case "purposes":
      return (s) => s.purposes.has(needle);
    case "attributes": {
      // Decode once here so evaluation is two map lookups, not a JSON parse.
      const decoded = decodeAttributeKey(needle);
      if (decoded === undefined) return undefined;
      const [name, value] = decoded;
      return (s) => s.attributes.get(name)?.has(value) === true;
    }
  }
}

function compileChecked(logic: unknown, path: (string | number)[] = []): Result<(s: Subject) => boolean> {
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
    const r = compileChecked(arg, [...path, i]);
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
  const inner = compileChecked(operand, [...operandPath]);
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
