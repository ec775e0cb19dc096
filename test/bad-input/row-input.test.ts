import { describe, expect, it } from "vitest";
import { parseBundle } from "../../src/model/bundle.js";

const ds = { id: 1, name: "T", columns: [{ name: "region", dataType: "text", tags: ["Geo"] }] };
const v2 = (rule: unknown) => ({ dataSources: [ds], globalPolicies: [{ id: 1, name: "R", type: "data", actions: [{ rules: [rule] }] }] });
const v1 = (type: string, rule: unknown) => ({ dataSources: [ds], globalPolicies: [{ id: 1, name: "R", type: "data", actions: [{ type, rules: [rule] }] }] });

function issuesOf(obj: unknown) {
  const r = parseBundle(obj);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.issues;
}

describe("malformed row policies are rejected with their path", () => {
  it("an unknown @-function in a custom WHERE predicate", () => {
    const [i, ...rest] = issuesOf(v2({ type: "Row Restriction by Custom Where Clause", config: { predicate: "region = @userRegion()" } }));
    expect(rest).toEqual([]);
    expect(i!.code).toBe("invalid_condition");
    expect(i!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "config", "predicate"]);
    expect(i!.message).toContain("`@userRegion`");
    expect(i!.message).toContain("@attributeValuesContains");
  });

  it("a wrong arity and an unterminated string", () => {
    expect(issuesOf(v2({ type: "Row Restriction by Custom Where Clause", config: { predicate: "@hasAttribute('Region')" } }))[0]!.message).toMatch(
      /2 arguments/,
    );
    expect(issuesOf(v2({ type: "Row Restriction by Custom Where Clause", config: { predicate: "region = 'EU" } }))[0]!.message).toMatch(/unterminated/);
  });

  it("the same in a v1 customWhere rule and a local handler policy", () => {
    const [i] = issuesOf(v1("rowOrObjectRestriction", { type: "customWhere", config: { predicate: "@nope('x')" } }));
    expect(i!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "config", "predicate"]);
    const local = {
      dataSources: [
        { ...ds, policyHandler: { jsonPolicies: [{ type: "rowOrObjectRestriction", rules: [{ type: "customWhere", config: { predicate: "@nope()" } }] }] } },
      ],
    };
    expect(issuesOf(local)[0]!.path).toEqual(["dataSources", 0, "policyHandler", "jsonPolicies", 0, "rules", 0, "config", "predicate"]);
  });

  it("an entitlement match of type attribute without the attribute name", () => {
    const [i] = issuesOf(v2({ type: "Row Restriction By User Entitlements", config: { matches: [{ type: "attribute", tag: "Geo" }] } }));
    expect(i!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "config", "matches", 0, "attribute"]);
  });

  it("an unknown entitlement match type, time direction and a minimization over 100%", () => {
    expect(issuesOf(v2({ type: "Row Restriction by User Entitlements", config: { matches: [{ type: "email", tag: "Geo" }] } }))[0]!.path).toEqual([
      "globalPolicies",
      0,
      "actions",
      0,
      "rules",
      0,
      "config",
      "matches",
      0,
      "type",
    ]);
    expect(issuesOf(v2({ type: "Time Restriction", config: { time: 60, direction: "sideways" } }))[0]!.path).toEqual([
      "globalPolicies",
      0,
      "actions",
      0,
      "rules",
      0,
      "config",
      "direction",
    ]);
    expect(issuesOf(v2({ type: "Minimization", config: { percent: 150 } }))[0]!.path).toEqual([
      "globalPolicies",
      0,
      "actions",
      0,
      "rules",
      0,
      "config",
      "percent",
    ]);
  });

  it("an unknown v1 row rule type names it and lists the accepted ones", () => {
    const [i] = issuesOf(v1("rowOrObjectRestriction", { type: "showRowsSometimes" }));
    expect(i!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "type"]);
    expect(i!.message).toContain("`showRowsSometimes`");
    expect(i!.message).toContain("visibility");
  });

  it("a v1 visibility rule with neither conditions nor qualifications", () => {
    const [i] = issuesOf(v1("rowOrObjectRestriction", { type: "visibility" }));
    expect(i!.message).toContain("needs `conditions` or `config.qualifications`");
  });
});
