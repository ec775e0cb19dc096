/**
 * A structural mutation fuzzer for bundle documents (plain JSON-like data).
 *
 * A mutation is data (`Op`): which kind, and `at`, an index into the candidates the
 * kind applies to in the current tree (strings, arrays, objects, any value…), taken
 * modulo their count. So fast-check shrinks a failing case towards fewer operations,
 * the first candidate and the simplest variant, and `applyOps` describes what it did
 * in words (`globalPolicies[0].actions[0].rules[0].type: "Masking" → "MASKING"`) for the
 * failure message.
 *
 * The bombs (100k-character strings, arrays of thousands of items, values nested a few
 * thousand levels) are kept to one per case and applied last, so a case stays bounded.
 */
import fc from "fast-check";
import { stringify as stringifyYaml } from "yaml";

export type Key = string | number;
export type Path = Key[];

/** Names that mean something on every object's prototype chain. */
export const PROTO_NAMES = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf"] as const;

/** Sizes of the bombs. */
export const HUGE_STRING = 100_000;
export const HUGE_ARRAY = 3_000;
/** …but no more than this much JSON: a huge array of big items (policies) is costly in proportion, not interesting. */
export const HUGE_ARRAY_BYTES = 150_000;
export const DEEP = 3_000;

/** What a prototype-named key may hold: the classic pollution payloads and plain values. */
const POLLUTERS: readonly (() => unknown)[] = [
  () => ({ polluted: "yes" }),
  () => ({ prototype: { polluted: "yes" } }),
  () => "polluted",
  () => ["polluted"],
  () => null,
  () => 1,
];

/** One value of each JSON type (and the numbers JSON cannot carry but YAML and callers can). */
const SWAP_VALUES: readonly (() => unknown)[] = [
  () => "",
  () => "x",
  () => "1",
  () => "true",
  () => 0,
  () => 1,
  () => -1,
  () => 1.5,
  () => 1e13,
  () => 2 ** 53 + 2,
  () => -0,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => true,
  () => false,
  () => null,
  () => [],
  () => [null],
  () => ["x"],
  () => ({}),
  () => ({ x: 1 }),
];

/** NUL and lone surrogates (and a reversed pair), spliced into a string. */
export const BAD_CHARS = ["\u0000", "\uD800", "\uDFFF", "\uDC00\uD800", "a\u0000\uD83D"] as const;

/** How an enum-like string becomes an unknown one. */
export const ENUM_VARIANTS = [
  "unknown",
  "upper",
  "lower",
  "trailing space",
  "leading space",
  "zero-width space",
  "homoglyph",
  "NUL",
  "empty",
  "prefixed",
] as const;
export type EnumVariant = (typeof ENUM_VARIANTS)[number];

/** A string turned into an unknown spelling of itself. */
export function enumVariant(s: string, v: EnumVariant): string {
  switch (v) {
    case "unknown":
      return "Unknown";
    case "upper":
      return s.toUpperCase();
    case "lower":
      return s.toLowerCase();
    case "trailing space":
      return `${s} `;
    case "leading space":
      return ` ${s}`;
    case "zero-width space":
      return `${s.slice(0, 1)}\u200B${s.slice(1)}`;
    case "homoglyph": {
      // Latin a/e/o → Cyrillic а/е/о: looks the same, is not.
      const i = s.search(/[aeo]/);
      return i < 0 ? `${s}\u0430` : s.slice(0, i) + ({ a: "\u0430", e: "\u0435", o: "\u043E" } as Record<string, string>)[s[i]!]! + s.slice(i + 1);
    }
    case "NUL":
      return `${s}\u0000`;
    case "empty":
      return "";
    case "prefixed":
      return `x${s}`;
  }
}

export type Op =
  | { kind: "delete"; at: number }
  | { kind: "swap"; at: number; to: number }
  | { kind: "protoKey"; at: number; name: (typeof PROTO_NAMES)[number]; value: number }
  | { kind: "protoRename"; at: number; name: (typeof PROTO_NAMES)[number]; focus: boolean }
  | { kind: "protoValue"; at: number; name: (typeof PROTO_NAMES)[number]; focus: boolean }
  | { kind: "protoInString"; at: number; name: (typeof PROTO_NAMES)[number] }
  | { kind: "protoElement"; at: number; name: (typeof PROTO_NAMES)[number] }
  | { kind: "char"; at: number; piece: (typeof BAD_CHARS)[number]; where: "start" | "middle" | "end"; focus: boolean }
  | { kind: "dup"; at: number }
  | { kind: "sameId"; at: number }
  | { kind: "enum"; at: number; variant: EnumVariant; focus: boolean }
  | { kind: "hugeString"; at: number; style: "a" | "repeat" | "spaces"; focus: boolean }
  | { kind: "hugeArray"; at: number }
  | { kind: "deep"; at: number; shape: "array" | "object" | "parens" | "not"; focus: boolean };

const at = fc.nat({ max: 1_000_000 });
const protoName = fc.constantFrom(...PROTO_NAMES);

/** Each family of mutation on its own, so a property can target one. */
export const families = {
  "deleted keys": fc.record({ kind: fc.constant("delete" as const), at }),
  "swapped types": fc.record({ kind: fc.constant("swap" as const), at, to: fc.nat({ max: SWAP_VALUES.length - 1 }) }),
  "prototype names": fc.oneof(
    fc.record({ kind: fc.constant("protoKey" as const), at, name: protoName, value: fc.nat({ max: POLLUTERS.length - 1 }) }),
    fc.record({ kind: fc.constant("protoRename" as const), at, name: protoName, focus: fc.boolean() }),
    fc.record({ kind: fc.constant("protoValue" as const), at, name: protoName, focus: fc.boolean() }),
    fc.record({ kind: fc.constant("protoInString" as const), at, name: protoName }),
    fc.record({ kind: fc.constant("protoElement" as const), at, name: protoName }),
  ),
  "NUL and lone surrogates": fc.record({
    kind: fc.constant("char" as const),
    at,
    piece: fc.constantFrom(...BAD_CHARS),
    where: fc.constantFrom("start" as const, "middle" as const, "end" as const),
    focus: fc.boolean(),
  }),
  "duplicated ids": fc.oneof(fc.record({ kind: fc.constant("sameId" as const), at }), fc.record({ kind: fc.constant("dup" as const), at })),
  "unknown enum values": fc.record({ kind: fc.constant("enum" as const), at, variant: fc.constantFrom(...ENUM_VARIANTS), focus: fc.boolean() }),
} satisfies Record<string, fc.Arbitrary<Op>>;

/** The bombs: applied last, one per case. */
export const bombs = {
  "huge strings": fc.record({
    kind: fc.constant("hugeString" as const),
    at,
    style: fc.constantFrom("a" as const, "repeat" as const, "spaces" as const),
    focus: fc.boolean(),
  }),
  "huge arrays": fc.record({ kind: fc.constant("hugeArray" as const), at }),
  "deep nesting": fc.record({
    kind: fc.constant("deep" as const),
    at,
    shape: fc.constantFrom("array" as const, "object" as const, "parens" as const, "not" as const),
    focus: fc.boolean(),
  }),
} satisfies Record<string, fc.Arbitrary<Op>>;

const cheapOp: fc.Arbitrary<Op> = fc.oneof(...Object.values(families));
const bombOp: fc.Arbitrary<Op> = fc.oneof(...Object.values(bombs));

/** 1–3 mutations of the cheap families, followed by one bomb in one case out of five. */
export const mixedOps: fc.Arbitrary<Op[]> = fc
  .tuple(fc.array(cheapOp, { maxLength: 3 }), fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: bombOp, weight: 1 }))
  .map(([ops, bomb]) => (bomb ? [...ops, bomb] : ops))
  .filter((ops) => ops.length > 0);

/** 1–3 mutations of one family (a bomb family gives exactly one). */
export function familyOps(name: keyof typeof families | keyof typeof bombs): fc.Arbitrary<Op[]> {
  if (name in bombs) return (bombs[name as keyof typeof bombs] as fc.Arbitrary<Op>).map((op) => [op]);
  return fc.array(families[name as keyof typeof families] as fc.Arbitrary<Op>, { minLength: 1, maxLength: 3 });
}

// ---- The tree -------------------------------------------------------------------------

interface Node {
  readonly value: unknown;
  readonly parent: Node | undefined;
  readonly key: Key | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The path of a node from the root. */
export function pathOf(n: Node): Path {
  const out: Path = [];
  for (let x: Node | undefined = n; x?.parent; x = x.parent) out.push(x.key!);
  return out.reverse();
}

/** Every node breadth-first (shallow ones first), at most `limit` of them. */
function collect(root: unknown, limit = 50_000): Node[] {
  const out: Node[] = [{ value: root, parent: undefined, key: undefined }];
  for (let i = 0; i < out.length && out.length < limit; i++) {
    const n = out[i]!;
    if (Array.isArray(n.value)) n.value.forEach((v, k) => out.push({ value: v, parent: n, key: k }));
    else if (isObject(n.value)) for (const k of Object.keys(n.value)) out.push({ value: n.value[k], parent: n, key: k });
  }
  return out.slice(0, limit);
}

/** Sets an own property, even one named `__proto__` (plain assignment would set the prototype). */
export function define(obj: object, key: Key, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A deep copy that keeps own `__proto__` keys as keys. */
export function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (isObject(v)) {
    const out = {};
    for (const k of Object.keys(v)) define(out, k, copy(v[k]));
    return out as T;
  }
  return v;
}

/** Keys whose string values are SQL, regexes or expressions (where size and nesting bite). */
const SQLISH = new Set(["predicate", "advanced", "sqlFunction", "conditionalPredicate", "regex", "replacement", "values"]);
/** Keys whose string values are enums. */
const ENUM_KEYS = new Set([
  "type",
  "operator",
  "circumstanceOperator",
  "state",
  "direction",
  "isOlderOrNewer",
  "subscriptionType",
  "accessGrant",
  "timePrecision",
  "blobHandlerType",
  "dataType",
]);
/** Keys (or arrays) whose strings are names: of columns, tags, groups, attributes, users… */
const NAME_KEYS = new Set([
  "name",
  "columnTag",
  "tag",
  "auth",
  "attribute",
  "value",
  "eventTime",
  "highCardinality",
  "userid",
  "iamid",
  "domainId",
  "domainName",
  "server",
  "purposes",
  "groups",
  "tags",
  "fields",
]);
/** Objects whose keys are data (attribute names, row columns). */
const DATA_KEYED = new Set(["authorizations", "metadata", "global", "visibilities", "rows"]);
const ID_KEYS = ["id", "profileId", "name", "dataSourceId"] as const;

const keyOf = (n: Node): Key | undefined => (typeof n.key === "number" ? n.parent?.key : n.key);
const underKey = (n: Node, keys: Set<string>): boolean => {
  const k = keyOf(n);
  return typeof k === "string" && keys.has(k);
};
const dataKeyed = (n: Node): boolean => {
  for (let x: Node | undefined = n.parent; x; x = x.parent) if (typeof x.key === "string" && DATA_KEYED.has(x.key)) return true;
  return false;
};

/** Candidates of an op in the tree; `focus` narrows to the interesting ones when there are any. */
function candidates(nodes: Node[], op: Op): Node[] {
  const strings = nodes.filter((n) => typeof n.value === "string");
  const narrow = (all: Node[], pick: (n: Node) => boolean, focus: boolean) => {
    if (!focus) return all;
    const some = all.filter(pick);
    return some.length > 0 ? some : all;
  };
  switch (op.kind) {
    case "delete":
      return nodes.filter((n) => n.parent);
    case "swap":
      return nodes;
    case "protoKey":
      return nodes.filter((n) => isObject(n.value));
    case "protoRename":
      return narrow(
        nodes.filter((n) => n.parent && isObject(n.parent.value)),
        dataKeyed,
        op.focus,
      );
    case "protoValue":
      return narrow(strings, (n) => underKey(n, NAME_KEYS) || underKey(n, ENUM_KEYS), op.focus);
    case "protoInString":
      return strings.filter((n) => /'[^']*'/.test(n.value as string));
    case "protoElement":
      return nodes.filter((n) => Array.isArray(n.value) && underKey(n, NAME_KEYS));
    case "char":
      return narrow(strings, (n) => underKey(n, NAME_KEYS) || underKey(n, SQLISH), op.focus);
    case "enum":
      return narrow(strings, (n) => underKey(n, ENUM_KEYS), op.focus);
    case "dup":
      return nodes.filter((n) => Array.isArray(n.value) && n.value.length > 0);
    case "sameId":
      return nodes.filter((n) => {
        const xs = n.value;
        if (!Array.isArray(xs) || xs.length < 2) return false;
        const [a, b] = [xs[0], xs[xs.length - 1]];
        return isObject(a) && isObject(b) && ID_KEYS.some((k) => k in a && k in b && a[k] !== b[k]);
      });
    case "hugeString":
      return narrow(strings, (n) => underKey(n, SQLISH), op.focus);
    case "hugeArray":
      return nodes.filter((n) => Array.isArray(n.value));
    case "deep":
      if (op.shape === "parens" || op.shape === "not")
        return narrow(strings, (n) => underKey(n, new Set(["predicate", "advanced", "conditionalPredicate", "sqlFunction"])), op.focus);
      return narrow(
        nodes.filter((n) => n.parent),
        (n) => dataKeyed(n),
        op.focus,
      );
  }
}

/** Replaces a node's value in its parent (or the root). */
function replace(root: unknown, n: Node, value: unknown): unknown {
  if (!n.parent) return value;
  define(n.parent.value as object, n.key!, value);
  return root;
}

function nest(v: unknown, shape: "array" | "object"): unknown {
  let out = v;
  for (let i = 0; i < DEEP; i++) out = shape === "array" ? [out] : { nested: out };
  return out;
}

export function fmtPath(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? (out ? `.${p}` : p) : `[${JSON.stringify(p)}]`;
  return out || "(root)";
}

/** A short, printable rendering of a value (strings cut, NUL and surrogates escaped). */
export function show(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 40)}…(${s.length} chars)` : s;
}

const escapeLone = (s: string) => s.replace(/[\uD800-\uDFFF\u0000\u200B]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`);

/** Applies one op; returns the new root and what was done (or why nothing was). */
export function applyOp(root: unknown, op: Op): { root: unknown; did: string } {
  const nodes = collect(root);
  const cands = candidates(nodes, op);
  if (cands.length === 0) return { root, did: `${op.kind}: no candidate` };
  const n = cands[op.at % cands.length]!;
  const where = fmtPath(pathOf(n));
  const was = show(n.value);
  switch (op.kind) {
    case "delete": {
      const parent = n.parent!.value;
      if (Array.isArray(parent)) parent.splice(n.key as number, 1);
      else delete (parent as Record<string, unknown>)[n.key as string];
      return { root, did: `delete ${where}` };
    }
    case "swap": {
      const v = SWAP_VALUES[op.to]!();
      return { root: replace(root, n, v), did: `${where}: ${was} → ${show(v)}` };
    }
    case "protoKey": {
      const v = POLLUTERS[op.value]!();
      define(n.value as object, op.name, v);
      return { root, did: `${where}: add key ${JSON.stringify(op.name)}: ${show(v)}` };
    }
    case "protoRename": {
      const parent = n.parent!.value as Record<string, unknown>;
      const pairs = Object.keys(parent).map((k) => [k === n.key ? op.name : k, parent[k]] as const);
      for (const k of Object.keys(parent)) delete parent[k];
      for (const [k, v] of pairs) define(parent, k, v);
      return { root, did: `${where}: rename key to ${JSON.stringify(op.name)}` };
    }
    case "protoValue":
      return { root: replace(root, n, op.name), did: `${where}: ${was} → ${JSON.stringify(op.name)}` };
    case "protoInString": {
      const s = (n.value as string).replace(/'[^']*'/, `'${op.name}'`);
      return { root: replace(root, n, s), did: `${where}: ${was} → ${show(s)}` };
    }
    case "protoElement": {
      (n.value as unknown[]).push(op.name);
      return { root, did: `${where}: push ${JSON.stringify(op.name)}` };
    }
    case "char": {
      const s = n.value as string;
      const i = op.where === "start" ? 0 : op.where === "end" ? s.length : Math.floor(s.length / 2);
      const t = s.slice(0, i) + op.piece + s.slice(i);
      return { root: replace(root, n, t), did: `${where}: ${was} → ${escapeLone(show(t))}` };
    }
    case "enum": {
      const t = enumVariant(n.value as string, op.variant);
      return { root: replace(root, n, t), did: `${where}: ${was} → ${escapeLone(show(t))} (${op.variant})` };
    }
    case "dup": {
      const xs = n.value as unknown[];
      const i = op.at % xs.length;
      xs.splice(i + 1, 0, copy(xs[i]));
      return { root, did: `${where}: duplicate item [${i}]` };
    }
    case "sameId": {
      const xs = n.value as Record<string, unknown>[];
      const [a, b] = [xs[0]!, xs[xs.length - 1]!];
      const k = ID_KEYS.find((key) => key in a && key in b && a[key] !== b[key])!;
      b[k] = copy(a[k]);
      return { root, did: `${where}[${xs.length - 1}].${k}: ${show(a[k])} (same as [0])` };
    }
    case "hugeString": {
      const s = n.value as string;
      const unit = op.style === "a" ? "a" : op.style === "spaces" ? " " : s || "x";
      const t = unit.repeat(Math.ceil(HUGE_STRING / unit.length)).slice(0, HUGE_STRING);
      return {
        root: replace(root, n, t),
        did: `${where}: ${was} → ${op.style === "repeat" ? "itself repeated" : JSON.stringify(unit) + " ×"} to ${HUGE_STRING} chars`,
      };
    }
    case "hugeArray": {
      const xs = n.value as unknown[];
      const base = xs.length > 0 ? [...xs] : ["x"];
      // Thousands of small items; big items (a whole policy) only up to HUGE_ARRAY_BYTES of JSON.
      const size = Math.max(1, ...base.map((x) => JSON.stringify(x)?.length ?? 1));
      const target = Math.max(base.length + 1, Math.min(HUGE_ARRAY, Math.floor(HUGE_ARRAY_BYTES / size)));
      while (xs.length < target) xs.push(copy(base[xs.length % base.length]));
      return { root, did: `${where}: ${base.length} item(s) repeated to ${target}` };
    }
    case "deep": {
      if (op.shape === "parens" || op.shape === "not") {
        const s = n.value as string;
        const t = op.shape === "parens" ? "(".repeat(DEEP) + s + ")".repeat(DEEP) : "NOT ".repeat(DEEP) + s;
        return { root: replace(root, n, t), did: `${where}: ${was} wrapped in ${DEEP} ${op.shape === "parens" ? "parentheses" : "NOTs"}` };
      }
      return { root: replace(root, n, nest(n.value, op.shape)), did: `${where}: ${was} nested ${DEEP} levels deep in ${op.shape}s` };
    }
  }
}

/** Applies ops in order to a copy of `start`. */
export function applyOps(start: unknown, ops: readonly Op[]): { root: unknown; did: string[] } {
  let root = copy(start);
  const did: string[] = [];
  for (const op of ops) {
    const r = applyOp(root, op);
    root = r.root;
    did.push(r.did);
  }
  return { root, did };
}

/** The mutant as JSON text. */
export const toJsonText = (v: unknown): string => JSON.stringify(v, null, 1);

/** The mutant as YAML text; block YAML when `yaml` can write it, else its JSON (which is flow YAML). */
export function toYamlText(v: unknown): string {
  try {
    return stringifyYaml(v, { aliasDuplicateObjects: false, lineWidth: 0 });
  } catch {
    return JSON.stringify(v);
  }
}

// ---- The prototypes ---------------------------------------------------------------------

const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype } as const;

type Snapshot = Record<string, [string, PropertyDescriptor][]>;

/** Own property names and descriptors of the built-in prototypes. */
export function snapshotPrototypes(): Snapshot {
  return Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, proto]) => [
      name,
      Object.getOwnPropertyNames(proto).map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)!] as [string, PropertyDescriptor]),
    ]),
  );
}

/** What changed on the built-in prototypes since `before` (empty: nothing). */
export function prototypeChanges(before: Snapshot): string[] {
  const out: string[] = [];
  const now = snapshotPrototypes();
  for (const name of Object.keys(before)) {
    const was = new Map(before[name]);
    const is = new Map(now[name]);
    for (const [k, d] of is) {
      const w = was.get(k);
      if (!w) out.push(`${name}.prototype gained own key ${JSON.stringify(k)}`);
      else if (w.value !== d.value || w.get !== d.get || w.set !== d.set || w.writable !== d.writable || w.enumerable !== d.enumerable)
        out.push(`${name}.prototype.${k} changed`);
    }
    for (const k of was.keys()) if (!is.has(k)) out.push(`${name}.prototype lost own key ${JSON.stringify(k)}`);
  }
  const probe = {} as Record<string, unknown>;
  for (const k of ["polluted", "yes", "x", "nested"]) if (probe[k] !== undefined) out.push(`({}).${k} is ${show(probe[k])}`);
  if (Object.getPrototypeOf(probe) !== Object.prototype) out.push("({}) has another prototype");
  return out;
}

/** Puts the built-in prototypes back as `before` had them (after a detected pollution, so later cases start clean). */
export function restorePrototypes(before: Snapshot): void {
  for (const [name, props] of Object.entries(before)) {
    const proto = PROTOTYPES[name as keyof typeof PROTOTYPES] as unknown as Record<string, unknown>;
    const was = new Map(props);
    for (const k of Object.getOwnPropertyNames(proto)) if (!was.has(k)) delete proto[k];
    for (const [k, d] of props) Object.defineProperty(proto, k, d);
  }
}
