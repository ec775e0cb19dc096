/**
 * `column-tagged-absent` and `entitlement-column-absent`: a policy binds to a source
 * (its circumstances hold) but a tag or column its predicate or match needs is missing,
 * so Immuta does not apply it there. Errors: the lint gate fails on them.
 */
import { describe, expect, it } from "vitest";
import { lintOf, only, policy, source } from "./helpers.js";

const eu = source(1, "EU Sales", [
  { name: "REGION", tags: ["Geo.Region"] },
  { name: "TEAM", tags: ["Org.Team"] },
]);
const plain = source(2, "Plain", [{ name: "ID", dataType: "integer", tags: ["Finance"] }]);
const where = (predicate: string) => ({ type: "Row Restriction by Custom Where Clause", config: { predicate } });
const byTeam = (target: Record<string, string>) => ({
  type: "Row Restriction by User Entitlements",
  config: { operator: "any", matches: [{ type: "group", ...target }] },
});

describe("column-tagged-absent", () => {
  it("is an error on each source the policy binds to without the tag, at the predicate's path", () => {
    const r = lintOf({ dataSources: [eu, plain], globalPolicies: [policy(1, "EU only", [where("@columnTagged('Geo.Region') = 'EU'")])] });
    expect(only(r, "column-tagged-absent")).toEqual([
      {
        code: "column-tagged-absent",
        severity: "error",
        path: ["globalPolicies", 0, "actions", 0, "rules", 0, "config", "predicate"],
        message:
          "`EU only` binds to `Plain`, but no column there carries the tag of @columnTagged('Geo.Region'): the action is not applied there, so it filters no rows",
        policy: { id: 1, name: "EU only" },
        dataSource: { id: 2, name: "Plain" },
      },
    ]);
    expect(r.summary.errors).toBe(1);
  });

  it("reports each skipped action once, on its own rule", () => {
    const twoActions = {
      ...policy(1, "Two actions", []),
      actions: [{ rules: [where("@columnTagged('Geo.Region') = 'EU'")] }, { rules: [where("@columnTagged('Geo.Country') = 'FR'")] }],
    };
    const r = lintOf({ dataSources: [plain], globalPolicies: [twoActions] });
    expect(only(r, "column-tagged-absent").map((f) => f.path.join("."))).toEqual([
      "globalPolicies.0.actions.0.rules.0.config.predicate",
      "globalPolicies.0.actions.1.rules.0.config.predicate",
    ]);
  });

  it("covers a conditional mask, where the whole policy is not applied", () => {
    const conditional = {
      type: "Masking",
      config: {
        fields: [{ type: "columnTags", columnTag: "Finance" }],
        maskingConfig: { type: "Null" },
        conditionalPredicate: "@columnTagged('Geo.Region') = 'EU'",
      },
    };
    const r = lintOf({ dataSources: [plain], globalPolicies: [policy(1, "Null EU", [conditional])] });
    expect(only(r, "column-tagged-absent").map((f) => [f.path, f.message])).toEqual([
      [
        ["globalPolicies", 0, "actions", 0, "rules", 0, "config", "conditionalPredicate"],
        "`Null EU` binds to `Plain`, but no column there carries the tag of @columnTagged('Geo.Region'): the policy is not applied there, so it masks nothing",
      ],
    ]);
  });

  it("says nothing where the tag is present, or where the policy does not bind (circumstances, staged)", () => {
    const present = lintOf({ dataSources: [eu], globalPolicies: [policy(1, "EU only", [where("@columnTagged('Geo.Region') = 'EU'")])] });
    expect(only(present, "column-tagged-absent")).toEqual([]);
    const circumstances = [{ type: "columnTags", columnTag: "Geo" }];
    const elsewhere = lintOf({
      dataSources: [eu, plain],
      globalPolicies: [policy(1, "EU only", [where("@columnTagged('Geo.Region') = 'EU'")], { circumstances })],
    });
    expect(only(elsewhere, "column-tagged-absent")).toEqual([]);
    const staged = lintOf({ dataSources: [plain], globalPolicies: [policy(1, "EU only", [where("@columnTagged('Geo.Region') = 'EU'")], { staged: true })] });
    expect(staged.findings).toEqual([]);
  });
});

describe("entitlement-column-absent", () => {
  it("is an error for a match whose tag no column of a bound source carries", () => {
    const r = lintOf({ dataSources: [eu, plain], globalPolicies: [policy(1, "Rows by team", [byTeam({ tag: "Org.Team" })])] });
    expect(only(r, "entitlement-column-absent")).toEqual([
      {
        code: "entitlement-column-absent",
        severity: "error",
        path: ["globalPolicies", 0, "actions", 0, "rules", 0, "config", "matches", 0],
        message:
          "`Rows by team` binds to `Plain`, but no column carries the tag `Org.Team` for its entitlement match: the action is not applied there, so it filters no rows",
        policy: { id: 1, name: "Rows by team" },
        dataSource: { id: 2, name: "Plain" },
      },
    ]);
  });

  it("covers a v1 match naming a column the source lacks (the path stops at the rule), and not one it has", () => {
    const v1 = (field: string) => ({
      id: 1,
      name: "Rows by team",
      type: "data",
      actions: [
        { type: "visibility", rules: [{ type: "visibility", config: { qualifications: { operator: "or", conditions: [{ type: "groups", field }] } } }] },
      ],
    });
    const r = lintOf({ dataSources: [eu, plain], globalPolicies: [v1("TEAM")] });
    expect(only(r, "entitlement-column-absent").map((f) => [f.path, f.message])).toEqual([
      [
        ["globalPolicies", 0, "actions", 0, "rules", 0],
        "`Rows by team` binds to `Plain`, but it has no column `TEAM` for its entitlement match: the action is not applied there, so it filters no rows",
      ],
    ]);
  });
});
