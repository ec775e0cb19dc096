/**
 * `unreachable-rule`: a rule of a first-match chain no user can get. Decided by trying
 * every combination of the memberships the chain's conditions test; the property below
 * checks the verdict against the engine's own decisions for every such user.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../../src/engine/engine.js";
import { parseBundle } from "../../../src/model/bundle.js";
import { lint } from "../../../src/lint/index.js";
import { lintOf, mask, only, policy, source } from "./helpers.js";

const ds = source(1, "Claims", [
  { name: "SSN", tags: ["PII.SSN"] },
  { name: "NOTE", tags: ["Notes"] },
]);
const groups = (...g: string[]) => ({ groups: g });
const users = [{ profileId: 1, name: "Ann", groups: ["A", "B"] }];
const rules = (...rs: unknown[]) => lintOf({ dataSources: [ds], globalPolicies: [policy(1, "Chain", rs)], users });
const messages = (r: ReturnType<typeof rules>) => only(r, "unreachable-rule").map((f) => [f.path.at(-1), f.message]);

describe("unreachable-rule", () => {
  it("flags a rule after one that applies to everyone, as a warning on its path", () => {
    const r = rules(mask("PII"), mask("PII", { type: "Null" }, { inclusions: groups("A") }));
    expect(only(r, "unreachable-rule")).toEqual([
      {
        code: "unreachable-rule",
        severity: "warning",
        path: ["globalPolicies", 0, "actions", 0, "rules", 1],
        message: "rules[1] can never apply: rules[0] before it applies to everyone",
        policy: { id: 1, name: "Chain" },
      },
    ]);
  });

  it("flags a rule whose audience an earlier one holds, alone or with others", () => {
    expect(
      messages(
        rules(
          mask("PII", { type: "Null" }, { inclusions: groups("A") }),
          mask("PII", { type: "Hash" }, { inclusions: { groups: ["A", "B"], operator: "all" } }),
        ),
      ),
    ).toEqual([[1, "rules[1] can never apply: every user it would apply to is already in the audience of rules[0] before it"]]);
    const union = rules(
      mask("PII", { type: "Null" }, { inclusions: groups("A") }),
      mask("PII", { type: "Null" }, { inclusions: groups("B") }),
      mask("PII", { type: "Hash" }, { inclusions: groups("A", "B") }),
    );
    expect(messages(union)).toEqual([
      [2, "rules[2] can never apply: every user it would apply to is already in the audience of one of rules[0], rules[1] before it"],
    ]);
  });

  it("flags a rule whose own audience is empty, first rule included", () => {
    expect(messages(rules(mask("PII", { type: "Null" }, { inclusions: groups("A"), exceptions: groups("A") }), mask("PII")))).toEqual([
      [0, "rules[0] can never apply: no user is in its audience (every included user is also excepted)"],
    ]);
  });

  it("follows columns: an earlier rule on an ancestor tag covers a later one, a rule on other columns does not", () => {
    expect(messages(rules(mask("PII"), mask("PII.SSN", { type: "Null" })))).toEqual([[1, "rules[1] can never apply: rules[0] before it applies to everyone"]]);
    expect(messages(rules(mask("PII.SSN"), mask("PII", { type: "Null" })))).toEqual([]);
    expect(messages(rules(mask("Notes"), mask("PII", { type: "Null" })))).toEqual([]);
  });

  it("chains row rules of one action, and never mixes masking and row rules", () => {
    const where = (predicate: string, audience: Record<string, unknown> = {}) => ({
      type: "Row Restriction by Custom Where Clause",
      ...audience,
      config: { predicate },
    });
    expect(messages(rules(where("1 = 1"), where("1 = 0", { inclusions: groups("A") })))).toEqual([
      [1, "rules[1] can never apply: rules[0] before it applies to everyone"],
    ]);
    expect(messages(rules(mask("PII"), where("1 = 0")))).toEqual([]);
  });

  it("leaves the otherwise pattern alone: an inclusions rule, then a rule for everyone else", () => {
    expect(messages(rules(mask("PII", { type: "Null" }, { inclusions: groups("A") }), mask("PII")))).toEqual([]);
    expect(messages(rules(mask("PII", { type: "Null" }, { exceptions: groups("A") }), mask("PII", { type: "Hash" }, { inclusions: groups("A") })))).toEqual([]);
  });
});

describe("unreachable-rule on hostile chains", () => {
  it("stays bounded on a long chain over many memberships, and still decides the plain case", () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `G${i}`);
    const chain = Array.from({ length: 400 }, (_, i) =>
      mask("PII", { type: "Null" }, { inclusions: { groups: [twelve[i % 12]!, twelve[(i + 5) % 12]!], operator: "all" } }),
    );
    const started = performance.now();
    const r = rules(...chain, mask("PII"), mask("PII", { type: "Hash" }, { inclusions: groups("A") }));
    expect(performance.now() - started).toBeLessThan(5000);
    // rules[12..] repeat rules[0..11]'s audiences: decided while the work is small, left alone past MAX_CHECKS.
    const flagged = only(r, "unreachable-rule").map((f) => f.path.at(-1) as number);
    expect(flagged).toContain(12);
    expect(flagged.at(-1)).toBe(401);
    expect(only(r, "unreachable-rule").at(-1)!.message).toBe("rules[401] can never apply: rules[400] before it applies to everyone");
  });

  it("past MAX_ATOMS memberships, decides only an earlier rule for everyone or with the same audience", () => {
    const many = Array.from({ length: 14 }, (_, i) => `G${i}`);
    const first = mask("PII", { type: "Null" }, { inclusions: groups(...many) });
    // Covered (a subset of the groups), but past the limit: left alone.
    expect(messages(rules(first, mask("PII", { type: "Hash" }, { inclusions: groups(...many.slice(1)), exceptions: groups("X") })))).toEqual([]);
    expect(messages(rules(first, mask("PII", { type: "Hash" }, { inclusions: groups(...many) })))).toEqual([
      [1, "rules[1] can never apply: rules[0] before it has the same audience"],
    ]);
  });
});

/** A random audience over groups A, B, C: none, exceptions, inclusions, or both. */
const condition = fc.record({
  groups: fc.uniqueArray(fc.constantFrom("A", "B", "C"), { minLength: 1, maxLength: 3 }),
  operator: fc.constantFrom("any", "all"),
});
const audience = fc.record(
  { inclusions: fc.option(condition, { nil: undefined }), exceptions: fc.option(condition, { nil: undefined }) },
  { requiredKeys: [] },
);
const SUBSETS = [[], ["A"], ["B"], ["C"], ["A", "B"], ["A", "C"], ["B", "C"], ["A", "B", "C"]];

describe("unreachable-rule agrees with the engine", () => {
  test.prop([fc.array(audience, { minLength: 1, maxLength: 4 })], { numRuns: 150 })("a rule is flagged exactly when no user gets it", (audiences) => {
    const chain = audiences.map((a, i) => mask("PII", { type: "Constant", constant: `rule ${i}` }, JSON.parse(JSON.stringify(a))));
    const bundle = parseBundle({
      dataSources: [ds],
      globalPolicies: [policy(1, "Chain", chain)],
      // Every combination of the three groups is some user.
      users: SUBSETS.map((g, i) => ({ profileId: i + 1, name: `u${i}`, groups: g })),
    });
    if (!bundle.ok) throw new Error(JSON.stringify(bundle.issues));
    const engine = createEngine(bundle.value);
    const got = new Set<number>();
    for (let u = 1; u <= SUBSETS.length; u++) {
      const d = engine.decide({ dataSource: 1, user: u });
      if (!d.ok) throw new Error(JSON.stringify(d.issues));
      const applied = d.value.masks.find((m) => m.column === "SSN")?.applied;
      if (applied) got.add(applied.ruleIndex);
    }
    const flagged = new Set(
      lint(bundle.value)
        .findings.filter((f) => f.code === "unreachable-rule")
        .map((f) => f.path.at(-1) as number),
    );
    expect([...flagged].sort()).toEqual(chain.map((_, i) => i).filter((i) => !got.has(i)));
  });
});
