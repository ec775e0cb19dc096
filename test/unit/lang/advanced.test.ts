import type { LogicRule as RulesLogic } from "../../../src/lang/logic.js";
import { describe, expect, it } from "vitest";
import type { VeilIssue } from "../../../src/errors.js";
import { parseAdvanced } from "../../../src/lang/advanced.js";
import { allOf, anyOf, attributeLogic, compileLogic, groupLogic, notLogic, purposeLogic } from "../../../src/lang/logic.js";
import { makeSubject } from "../../../src/lang/subject.js";

function parsed(text: string): RulesLogic {
  const r = parseAdvanced(text);
  if (!r.ok) throw new Error(`expected ok for ${text}, got ${JSON.stringify(r.issues)}`);
  return r.value;
}

function rejected(text: string): VeilIssue {
  const r = parseAdvanced(text, ["subscription", "advanced"]);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error("unreachable");
  expect(r.issues).toHaveLength(1);
  const i = r.issues[0]!;
  expect(i.code).toBe("invalid_condition");
  expect(i.path).toEqual(["subscription", "advanced"]);
  // House style: lowercase start, no final period.
  expect(i.message).toMatch(/^[a-z`]/);
  expect(i.message).not.toMatch(/\.$/);
  return i;
}

const g = groupLogic;
const a = attributeLogic;
const p = purposeLogic;

describe("parseAdvanced: functions", () => {
  it("@isInGroups needs membership of all listed groups", () => {
    expect(parsed("@isInGroups('a')")).toEqual(g("a"));
    expect(parsed("@isInGroups('a', 'b','c')")).toEqual(allOf([g("a"), g("b"), g("c")]));
    const f = compileLogic(parsed("@isInGroups('a','b')"));
    if (!f.ok) throw new Error("compile failed");
    expect(f.value(makeSubject({ groups: ["a"] }))).toBe(false);
    expect(f.value(makeSubject({ groups: ["a", "b"] }))).toBe(true);
  });

  it("@hasAttribute and @isUsingPurpose", () => {
    expect(parsed("@hasAttribute('Country','US')")).toEqual(a("Country", "US"));
    expect(parsed("@isUsingPurpose('Audit')")).toEqual(p("Audit"));
  });

  it("tolerates whitespace and newlines everywhere", () => {
    expect(parsed("  @hasAttribute (\n 'k' ,\t'v' )  ")).toEqual(a("k", "v"));
  });
});

describe("parseAdvanced: quoting", () => {
  it.each([
    ["doubled single quote", "@isInGroups('O''Brien')", "O'Brien"],
    ["double-quoted", '@isInGroups("O\'Brien")', "O'Brien"],
    ["doubled double quote", '@isInGroups("say ""hi""")', 'say "hi"'],
    ["only a quote", "@isInGroups('''')", "'"],
    ["empty string", "@isInGroups('')", ""],
    ["dots", "@isInGroups('eu.staff.all')", "eu.staff.all"],
    ["spaces", "@isInGroups('  Data Analysts ')", "  Data Analysts "],
    ["equals", "@isInGroups('a=b')", "a=b"],
    ["keywords and syntax inside", "@isInGroups('x) OR NOT (@isFoo(,')", "x) OR NOT (@isFoo(,"],
    ["unicode", "@isInGroups('Ünïcødé 分析 🚀')", "Ünïcødé 分析 🚀"],
    ["backslash is literal", "@isInGroups('a\\')", "a\\"],
  ])("%s", (_n, text, name) => {
    expect(parsed(text)).toEqual(g(name));
  });

  it("attribute names with dots and '=' stay unambiguous", () => {
    expect(parsed("@hasAttribute('org.unit=x', 'a.b')")).toEqual(a("org.unit=x", "a.b"));
    expect(parsed("@hasAttribute('org.unit=x', 'a.b')")).not.toEqual(parsed("@hasAttribute('org.unit', 'x=a.b')"));
  });
});

describe("parseAdvanced: operators", () => {
  const A = "@isInGroups('A')";
  const B = "@isInGroups('B')";
  const C = "@isInGroups('C')";

  it("keywords are case-insensitive", () => {
    expect(parsed(`${A} and ${B}`)).toEqual(allOf([g("A"), g("B")]));
    expect(parsed(`${A} Or ${B}`)).toEqual(anyOf([g("A"), g("B")]));
    expect(parsed(`nOt ${A}`)).toEqual(notLogic(g("A")));
  });

  it("NOT binds tighter than AND, AND tighter than OR", () => {
    expect(parsed(`NOT ${A} AND ${B}`)).toEqual(allOf([notLogic(g("A")), g("B")]));
    expect(parsed(`${A} OR ${B} AND ${C}`)).toEqual(anyOf([g("A"), allOf([g("B"), g("C")])]));
    expect(parsed(`${A} AND ${B} OR ${C}`)).toEqual(anyOf([allOf([g("A"), g("B")]), g("C")]));
  });

  it("parentheses override precedence", () => {
    expect(parsed(`(${A} OR ${B}) AND ${C}`)).toEqual(allOf([anyOf([g("A"), g("B")]), g("C")]));
    expect(parsed(`NOT (${A} AND ${B})`)).toEqual(notLogic(allOf([g("A"), g("B")])));
    expect(parsed(`((${A}))`)).toEqual(g("A"));
  });

  it("NOT NOT and chains flatten", () => {
    expect(parsed(`NOT NOT ${A}`)).toEqual(notLogic(notLogic(g("A"))));
    expect(parsed(`${A} AND (${B} AND ${C})`)).toEqual(allOf([g("A"), g("B"), g("C")]));
    expect(parsed(`${A} OR ${B} OR ${C}`)).toEqual(anyOf([g("A"), g("B"), g("C")]));
  });
});

describe("parseAdvanced: errors", () => {
  it("unknown function lists the accepted ones", () => {
    const i = rejected("@isInGroups('a') AND @isFoo('x')");
    expect(i.message).toContain("unknown function `@isFoo` at column 22");
    expect(i.message).toContain("accepted: @isInGroups, @hasAttribute, @isUsingPurpose");
  });

  it("function names are case-sensitive", () => {
    expect(rejected("@isingroups('a')").message).toContain("unknown function `@isingroups`");
  });

  it.each([
    ["@isInGroups()", "`@isInGroups` at column 1 takes at least 1 argument, got 0"],
    ["@hasAttribute('a')", "`@hasAttribute` at column 1 takes exactly 2 arguments, got 1"],
    ["@hasAttribute('a','b','c')", "takes exactly 2 arguments, got 3"],
    ["@isUsingPurpose()", "`@isUsingPurpose` at column 1 takes exactly 1 argument, got 0"],
    ["@isUsingPurpose('a','b')", "takes exactly 1 argument, got 2"],
  ])("wrong arity: %s", (text, msg) => {
    expect(rejected(text).message).toContain(msg);
  });

  it("unbalanced parentheses", () => {
    // Column 17 is the stray `)`.
    const extra = rejected("@isInGroups('a'))");
    expect(extra.message).toContain("unexpected `)` at column 17");
    expect(extra.message).toContain("no matching `(`");
    const missing = rejected("(@isInGroups('a') OR @isInGroups('b')");
    expect(missing.message).toContain("unexpected end of input at column 38");
    expect(missing.message).toContain("expected `)` to close `(` at column 1");
    expect(rejected("()").message).toContain("unexpected `)` at column 2");
    expect(rejected("@isInGroups('a'").message).toContain("unexpected end of input at column 16; expected `,` or `)`");
  });

  it("trailing input", () => {
    const i = rejected("@isInGroups('a') @isInGroups('b')");
    expect(i.message).toContain("unexpected `@isInGroups` at column 18");
    expect(i.message).toContain("expected `AND`, `OR` or end of input");
    expect(rejected("@isInGroups('a') extra").message).toContain("unexpected `extra` at column 18");
  });

  it("missing operands", () => {
    expect(rejected("").message).toContain("unexpected end of input at column 1");
    expect(rejected("   ").message).toContain("unexpected end of input at column 4");
    expect(rejected("@isInGroups('a') AND").message).toContain("unexpected end of input at column 21");
    expect(rejected("NOT").message).toContain("unexpected end of input at column 4");
    expect(rejected("OR @isInGroups('a')").message).toContain("unexpected `OR` at column 1");
  });

  it("malformed calls", () => {
    expect(rejected("@isInGroups").message).toContain("expected `(` after `@isInGroups`");
    expect(rejected("@isInGroups(admins)").message).toContain("unexpected `admins` at column 13; expected a quoted string");
    expect(rejected("@isInGroups('a',)").message).toContain("unexpected `)` at column 17; expected a quoted string");
    expect(rejected("@isInGroups('a' 'b')").message).toContain("unexpected `'b'` at column 17; expected `,` or `)`");
    expect(rejected("@isInGroups('a')('b')").message).toContain("unexpected `(` at column 17");
  });

  it("bad characters and unterminated strings", () => {
    expect(rejected("@isInGroups('a') && @isInGroups('b')").message).toContain("unexpected `&` at column 18");
    expect(rejected("@ isInGroups('a')").message).toContain("unexpected `@` at column 1");
    // An undoubled quote ends the string early; the closing `'` then opens a new one.
    expect(rejected("@isInGroups('O'Brien')").message).toContain("unterminated string starting at column 21");
    expect(rejected("@isInGroups('abc)").message).toContain("unterminated string starting at column 13");
    expect(rejected("@isInGroups(\"abc')").message).toContain("unterminated string starting at column 13");
  });

  it("columns count code points, not UTF-16 units", () => {
    expect(rejected("@isInGroups('🚀🚀') )").message).toContain("unexpected `)` at column 19");
  });

  it("defaults the path to the root", () => {
    const r = parseAdvanced("@nope()");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.path).toEqual([]);
  });
});
