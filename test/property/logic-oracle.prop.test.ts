/**
 * Differential properties: the compiled closures must agree with json-logic-js (the
 * reference interpreter), and advanced expressions must mean what their AST means.
 */
import { fc, test } from "@fast-check/vitest";
import jsonLogic from "json-logic-js";
import type { LogicRule as RulesLogic } from "../../src/lang/logic.js";
import { expect } from "vitest";
import { parseAdvanced } from "../../src/lang/advanced.js";
import { attributeLogic, compileLogic, groupLogic, purposeLogic } from "../../src/lang/logic.js";
import { makeSubject, subjectToLogicData, type Subject } from "../../src/lang/subject.js";

// Small pools so generated conditions and subjects actually overlap; awkward names on purpose.
const GROUPS = ["a", "b", "eu.staff", "O'Brien", 'say "hi"'];
const ATTR_NAMES = ["k", "org.unit", "a=b", "Ünï cødé"];
const ATTR_VALUES = ["x", "y", "1.2", "=", "🚀"];
const PURPOSES = ["Audit", "q r", "AND"];
const RUNS = 500;

const subjectArb: fc.Arbitrary<Subject> = fc
  .record({
    groups: fc.subarray(GROUPS),
    attributes: fc.record(Object.fromEntries(ATTR_NAMES.map((n) => [n, fc.subarray(ATTR_VALUES)])), { requiredKeys: [] }),
    purposes: fc.subarray(PURPOSES),
  })
  .map((input) => makeSubject(input as Parameters<typeof makeSubject>[0]));

const groupArb = fc.constantFrom(...GROUPS);
const attrNameArb = fc.constantFrom(...ATTR_NAMES);
const attrValueArb = fc.constantFrom(...ATTR_VALUES);
const purposeArb = fc.constantFrom(...PURPOSES);

// ---- Property 1: compileLogic vs json-logic-js ----

const logicLeaf: fc.Arbitrary<RulesLogic> = fc.oneof(
  fc.boolean(),
  groupArb.map(groupLogic),
  fc.tuple(attrNameArb, attrValueArb).map(([n, v]) => attributeLogic(n, v)),
  purposeArb.map(purposeLogic),
);

/** Trees of depth ≤ `depth` using every accepted form, including both `!` spellings. */
function logicArb(depth: number): fc.Arbitrary<RulesLogic> {
  if (depth === 0) return logicLeaf;
  const sub = logicArb(depth - 1);
  const list = fc.array(sub, { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 2, arbitrary: logicLeaf },
    { weight: 1, arbitrary: list.map((xs): RulesLogic => ({ and: xs })) },
    { weight: 1, arbitrary: list.map((xs): RulesLogic => ({ or: xs })) },
    { weight: 1, arbitrary: sub.map((x): RulesLogic => ({ "!": x })) },
    { weight: 1, arbitrary: sub.map((x): RulesLogic => ({ "!": [x] })) },
  );
}

test.prop([logicArb(4), subjectArb], { numRuns: RUNS })("compiled logic agrees with json-logic-js", (logic, subject) => {
  const compiled = compileLogic(logic);
  expect(compiled.ok).toBe(true);
  if (!compiled.ok) return;
  expect(compiled.value(subject)).toBe(!!jsonLogic.apply(logic as jsonLogic.RulesLogic, subjectToLogicData(subject)));
});

// ---- Property 2: parseAdvanced(render(ast)) vs direct evaluation of the AST ----

type Leaf = { k: "groups"; names: string[]; q: string } | { k: "attr"; name: string; value: string; q: string } | { k: "purpose"; name: string; q: string };
type Ast = Leaf | { k: "and" | "or"; l: Ast; r: Ast; kw: string; paren: boolean } | { k: "not"; x: Ast; kw: string; paren: boolean };

const quoteArb = fc.constantFrom("'", '"');
const kwCase = (kw: string) => fc.constantFrom(kw, kw.toLowerCase(), kw[0] + kw.slice(1).toLowerCase());

const astLeaf: fc.Arbitrary<Ast> = fc.oneof(
  fc.record({ k: fc.constant("groups" as const), names: fc.array(groupArb, { minLength: 1, maxLength: 3 }), q: quoteArb }),
  fc.record({ k: fc.constant("attr" as const), name: attrNameArb, value: attrValueArb, q: quoteArb }),
  fc.record({ k: fc.constant("purpose" as const), name: purposeArb, q: quoteArb }),
);

function astArb(depth: number): fc.Arbitrary<Ast> {
  if (depth === 0) return astLeaf;
  const sub = astArb(depth - 1);
  const paren = fc.boolean();
  return fc.oneof(
    { weight: 2, arbitrary: astLeaf },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("and" as const), l: sub, r: sub, kw: kwCase("AND"), paren }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("or" as const), l: sub, r: sub, kw: kwCase("OR"), paren }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("not" as const), x: sub, kw: kwCase("NOT"), paren }) },
  );
}

/** SQL-style quoting: the quote character is doubled inside the literal. */
const quote = (s: string, q: string) => q + s.split(q).join(q + q) + q;

const PREC = { or: 1, and: 2, not: 3, groups: 4, attr: 4, purpose: 4 } as const;

/** Renders with the fewest parentheses precedence allows (plus random extra ones), so precedence is exercised. */
function render(ast: Ast): string {
  const wrap = (child: Ast, min: number) => (PREC[child.k] < min ? `(${render(child)})` : render(child));
  let out: string;
  switch (ast.k) {
    case "groups":
      return `@isInGroups(${ast.names.map((n) => quote(n, ast.q)).join(", ")})`;
    case "attr":
      return `@hasAttribute(${quote(ast.name, ast.q)},${quote(ast.value, ast.q)})`;
    case "purpose":
      return `@isUsingPurpose( ${quote(ast.name, ast.q)} )`;
    case "and":
    case "or":
      out = `${wrap(ast.l, PREC[ast.k])} ${ast.kw} ${wrap(ast.r, PREC[ast.k])}`;
      break;
    case "not":
      out = `${ast.kw} ${wrap(ast.x, PREC.not)}`;
      break;
  }
  return ast.paren ? `(${out})` : out;
}

function evalAst(ast: Ast, s: Subject): boolean {
  switch (ast.k) {
    case "groups":
      return ast.names.every((n) => s.groups.has(n));
    case "attr":
      return s.attributes.get(ast.name)?.has(ast.value) ?? false;
    case "purpose":
      return s.purposes.has(ast.name);
    case "and":
      return evalAst(ast.l, s) && evalAst(ast.r, s);
    case "or":
      return evalAst(ast.l, s) || evalAst(ast.r, s);
    case "not":
      return !evalAst(ast.x, s);
  }
}

test.prop([astArb(4), subjectArb], { numRuns: RUNS })("parseAdvanced(render(ast)) means what the AST means", (ast, subject) => {
  const text = render(ast);
  const parsed = parseAdvanced(text);
  if (!parsed.ok) throw new Error(`failed to parse ${text}: ${parsed.issues[0]?.message}`);
  const compiled = compileLogic(parsed.value);
  if (!compiled.ok) throw new Error(`failed to compile ${JSON.stringify(parsed.value)}`);
  const expected = evalAst(ast, subject);
  expect(compiled.value(subject)).toBe(expected);
  expect(!!jsonLogic.apply(parsed.value as jsonLogic.RulesLogic, subjectToLogicData(subject))).toBe(expected);
});
