import jsonLogic from "json-logic-js";
import type { LogicRule as RulesLogic } from "../../../src/lang/logic.js";
import { describe, expect, it } from "vitest";
import type { VeilIssue } from "../../../src/errors.js";
import { allOf, anyOf, attributeLogic, compileLogic, groupLogic, logicKey, notLogic, purposeLogic } from "../../../src/lang/logic.js";
import { attributeKey, makeSubject, subjectToLogicData, type Subject } from "../../../src/lang/subject.js";

const alice = makeSubject({
  groups: ["Analysts", "eu.staff"],
  attributes: { Country: ["US", "DE"], "org.unit=x": ["a.b"], "Ünïcode name": ["O'Brien"] },
  purposes: ["Audit"],
});
const nobody = makeSubject({});

function compiled(logic: unknown): (s: Subject) => boolean {
  const r = compileLogic(logic);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.issues)}`);
  return r.value;
}

function rejected(logic: unknown, path: (string | number)[] = ["p", 0]): VeilIssue {
  const r = compileLogic(logic, path);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error("unreachable");
  expect(r.issues.length).toBeGreaterThan(0);
  return r.issues[0]!;
}

describe("subject", () => {
  it("attributeKey is JSON and unambiguous for dots and '='", () => {
    expect(attributeKey("a.b", "c")).toBe('["a.b","c"]');
    expect(attributeKey("a", "b=c")).not.toBe(attributeKey("a=b", "c"));
    expect(attributeKey("a.b", "c")).not.toBe(attributeKey("a", "b.c"));
  });

  it("subjectToLogicData flattens attributes to keys", () => {
    const data = subjectToLogicData(makeSubject({ groups: ["g"], attributes: { k: ["v1", "v2"] }, purposes: ["p"] }));
    expect(data).toEqual({ groups: ["g"], attributes: [attributeKey("k", "v1"), attributeKey("k", "v2")], purposes: ["p"] });
  });

  it("makeSubject treats prototype-looking names as plain names", () => {
    const s = makeSubject({ attributes: { constructor: ["x"] } });
    expect(compiled(attributeLogic("constructor", "x"))(s)).toBe(true);
    expect(compiled(attributeLogic("toString", "x"))(s)).toBe(false);
  });
});

describe("builders", () => {
  it("build the documented shapes", () => {
    expect(groupLogic("g")).toEqual({ in: ["g", { var: "groups" }] });
    expect(attributeLogic("n", "v")).toEqual({ in: ['["n","v"]', { var: "attributes" }] });
    expect(purposeLogic("p")).toEqual({ in: ["p", { var: "purposes" }] });
    expect(notLogic(true)).toEqual({ "!": true });
  });

  it("allOf/anyOf collapse empty and single lists", () => {
    expect(allOf([])).toBe(true);
    expect(anyOf([])).toBe(false);
    expect(allOf([groupLogic("g")])).toEqual(groupLogic("g"));
    expect(anyOf([groupLogic("g")])).toEqual(groupLogic("g"));
    expect(allOf([true, false])).toEqual({ and: [true, false] });
    expect(anyOf([true, false])).toEqual({ or: [true, false] });
  });

  it("logicKey is equal for equal structures and differs otherwise", () => {
    expect(logicKey(allOf([groupLogic("a"), purposeLogic("b")]))).toBe(logicKey(allOf([groupLogic("a"), purposeLogic("b")])));
    expect(logicKey(groupLogic("a"))).not.toBe(logicKey(purposeLogic("a")));
  });
});

describe("compileLogic: accepted vocabulary", () => {
  const cases: [string, RulesLogic, boolean, boolean][] = [
    ["true", true, true, true],
    ["false", false, false, false],
    ["group hit", groupLogic("Analysts"), true, false],
    ["group with dot", groupLogic("eu.staff"), true, false],
    ["group miss", groupLogic("Admins"), false, false],
    ["attribute hit", attributeLogic("Country", "DE"), true, false],
    ["attribute value miss", attributeLogic("Country", "FR"), false, false],
    ["attribute name with = and dot", attributeLogic("org.unit=x", "a.b"), true, false],
    ["attribute split differently does not match", attributeLogic("org.unit", "x=a.b"), false, false],
    ["unicode attribute with quote", attributeLogic("Ünïcode name", "O'Brien"), true, false],
    ["purpose", purposeLogic("Audit"), true, false],
    ["and", { and: [groupLogic("Analysts"), purposeLogic("Audit")] }, true, false],
    ["and one false", { and: [groupLogic("Analysts"), purposeLogic("Other")] }, false, false],
    ["or", { or: [groupLogic("Nope"), purposeLogic("Audit")] }, true, false],
    ["single-element and", { and: [false] }, false, false],
    ["not", { "!": groupLogic("Admins") }, true, true],
    ["not, list form", { "!": [groupLogic("Analysts")] }, false, true],
    ["nested", { or: [{ and: [true, { "!": [false] }] }, false] }, true, true],
  ];
  it.each(cases)("%s", (_name, logic, forAlice, forNobody) => {
    const f = compiled(logic);
    expect(f(alice)).toBe(forAlice);
    expect(f(nobody)).toBe(forNobody);
    // The closure must agree with json-logic-js itself.
    expect(!!jsonLogic.apply(logic as jsonLogic.RulesLogic, subjectToLogicData(alice))).toBe(forAlice);
    expect(!!jsonLogic.apply(logic as jsonLogic.RulesLogic, subjectToLogicData(nobody))).toBe(forNobody);
  });

  it("and/or short-circuit", () => {
    let calls = 0;
    const counting = makeSubject({});
    Object.defineProperty(counting, "purposes", {
      get: () => {
        calls++;
        return new Set<string>();
      },
    });
    compiled({ or: [true, purposeLogic("x")] })(counting);
    compiled({ and: [false, purposeLogic("x")] })(counting);
    expect(calls).toBe(0);
  });
});

describe("compileLogic: rejected input (fail closed)", () => {
  it.each([
    ["==", { "==": [1, 1] }],
    ["if", { if: [true, true, false] }],
    ["var", { var: "groups" }],
    ["some", { some: [{ var: "groups" }, { "==": [{ var: "" }, "a"] }] }],
    ["!!", { "!!": [true] }],
  ])("unsupported operator `%s`", (op, logic) => {
    const i = rejected(logic);
    expect(i.code).toBe("invalid_condition");
    expect(i.path).toEqual(["p", 0]);
    expect(i.message).toContain(`unsupported operator \`${op}\``);
    expect(i.message).toContain("accepted: and, or, !, in");
  });

  it.each([
    ["string", "Analysts", '`"Analysts"`'],
    ["number", 1, "`1`"],
    ["null", null, "`null`"],
    ["array", [true], "`[true]`"],
    ["undefined", undefined, "`undefined`"],
  ])("non-boolean literal: %s", (_n, logic, shown) => {
    const i = rejected(logic);
    expect(i.code).toBe("invalid_condition");
    expect(i.message).toContain(`unsupported value ${shown}`);
  });

  it("objects with zero or several operators", () => {
    expect(rejected({}).message).toContain("exactly one operator, got 0");
    const two = rejected({ and: [true], or: [true] });
    expect(two.message).toContain("exactly one operator, got 2");
    expect(two.message).toContain("`and`, `or`");
  });

  it("empty or non-list and/or", () => {
    const e = rejected({ and: [] });
    expect(e.path).toEqual(["p", 0, "and"]);
    expect(e.message).toContain("`and` needs a non-empty list");
    expect(rejected({ or: true }).message).toContain("`or` needs a non-empty list");
  });

  it("reports every bad child with its path", () => {
    const r = compileLogic({ or: [true, { "==": [1, 1] }, { and: [{ foo: 1 }] }] }, ["x"]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual([
      ["x", "or", 1],
      ["x", "or", 2, "and", 0],
    ]);
    expect(r.issues[1]!.message).toContain("unsupported operator `foo`");
  });

  it("`!` with a list of the wrong length", () => {
    expect(rejected({ "!": [] }).message).toContain("`!` takes exactly one condition, got 0");
    expect(rejected({ "!": [true, false] }).message).toContain("got 2");
    const inner = rejected({ "!": [{ "==": [1, 1] }] });
    expect(inner.path).toEqual(["p", 0, "!", 0]);
    expect(rejected({ "!": "x" }).path).toEqual(["p", 0, "!"]);
  });

  it("malformed `in`", () => {
    expect(rejected({ in: ["a"] }).message).toContain("`in` needs");
    expect(rejected({ in: "a" }).message).toContain("`in` needs");
    const nonString = rejected({ in: [{ var: "x" }, { var: "groups" }] });
    expect(nonString.path).toEqual(["p", 0, "in", 0]);
    expect(nonString.message).toContain("the name must be a string");
    // A literal list instead of a variable would be a constant, not a user check.
    const literal = rejected({ in: ["a", ["a", "b"]] });
    expect(literal.path).toEqual(["p", 0, "in", 1]);
    expect(literal.message).toContain('expected {"var"');
    expect(rejected({ in: ["a", { var: "groups", x: 1 }] }).path).toEqual(["p", 0, "in", 1]);
  });

  it("unsupported variable", () => {
    const i = rejected({ in: ["a", { var: "roles" }] });
    expect(i.path).toEqual(["p", 0, "in", 1, "var"]);
    expect(i.message).toContain('unsupported variable `"roles"`');
    expect(i.message).toContain("accepted: groups, attributes, purposes");
    expect(rejected({ in: ["a", { var: ["groups"] }] }).message).toContain("unsupported variable");
  });

  it.each([
    ["not JSON", "Country=US"],
    ["wrong arity", '["a"]'],
    ["non-string parts", '["a",1]'],
    ["non-canonical spacing", '["a", "b"]'],
  ])("attribute key that is not attributeKey(): %s", (_n, key) => {
    const i = rejected({ in: [key, { var: "attributes" }] });
    expect(i.path).toEqual(["p", 0, "in", 0]);
    expect(i.message).toContain("is not of the form attributeKey(name, value)");
  });

  it("defaults the path to the root", () => {
    const r = compileLogic({ foo: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.path).toEqual([]);
  });
});
