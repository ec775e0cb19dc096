/** `policy-reaches-nothing` and `dead-selector`: policies and selectors that match no column or source. */
import { describe, expect, it } from "vitest";
import { lintOf, mask, only, policy, source } from "./helpers.js";

const customers = source(1, "Customers", [
  { name: "ID", dataType: "integer" },
  { name: "SSN", tags: ["PII.SSN"] },
]);
const orders = source(2, "Orders", [{ name: "TOTAL", dataType: "integer" }], { globalPolicies: [{ id: 1, disabled: true }] });

describe("policy-reaches-nothing", () => {
  it("says why on each source: disabled (checked before circumstances), or bound with no column reached", () => {
    const circumstances = [{ type: "columnTags", columnTag: "PII" }];
    const r = lintOf({ dataSources: [customers, orders], globalPolicies: [policy(1, "Mask cards", [mask("PCI")], { circumstances })] });
    expect(only(r, "policy-reaches-nothing")).toEqual([
      {
        code: "policy-reaches-nothing",
        severity: "warning",
        path: ["globalPolicies", 0],
        message:
          "`Mask cards` reaches no column of any data source: it is disabled on `Orders`; it binds to `Customers` but none of its rules reaches a column or binds rows there",
        policy: { id: 1, name: "Mask cards" },
      },
    ]);
    const none = lintOf({ globalPolicies: [policy(1, "Mask cards", [mask("PCI")])] });
    expect(none.findings.map((f) => [f.code, f.message])).toEqual([
      ["policy-reaches-nothing", "`Mask cards` reaches no column of any data source: the bundle has no data sources"],
    ]);
  });

  it("names the detail when row actions were skipped", () => {
    const rows = { type: "Row Restriction by User Entitlements", config: { operator: "any", matches: [{ type: "group", tag: "Org.Team" }] } };
    const r = lintOf({ dataSources: [customers], globalPolicies: [policy(1, "Rows by team", [rows])] });
    expect(only(r, "policy-reaches-nothing").map((f) => f.message)).toEqual([
      "`Rows by team` reaches no column of any data source: it binds to `Customers` but none of its rules reaches a column or binds rows there (no column is tagged `Org.Team`)",
    ]);
  });

  it("says nothing for a policy that masks a column or binds rows somewhere, nor for staged or deleted ones", () => {
    const where = { type: "Row Restriction by Custom Where Clause", config: { predicate: "1 = 1" } };
    const r = lintOf({
      dataSources: [customers, orders],
      globalPolicies: [
        policy(1, "Hash SSN", [mask("PII")]),
        policy(2, "All rows", [where]),
        policy(3, "Staged", [mask("PCI")], { staged: true }),
        policy(4, "Deleted", [mask("PCI")], { deleted: true }),
      ],
    });
    expect(only(r, "policy-reaches-nothing")).toEqual([]);
  });

  it("covers local policies on their own source", () => {
    const local = source(1, "Customers", [{ name: "SSN" }], {
      policyHandler: {
        jsonPolicies: [
          { type: "masking", rules: [{ type: "masking", config: { fields: ["SNN"], maskingConfig: { type: "Consistent Value", metadata: {} } } }] },
        ],
      },
    });
    const r = lintOf({ dataSources: [local] });
    expect(r.findings.map((f) => [f.code, f.path, f.message])).toEqual([
      [
        "policy-reaches-nothing",
        ["dataSources", 0, "policyHandler", "jsonPolicies", 0],
        "`Customers local policy 1` reaches no column of any data source: it binds to `Customers` but none of its rules reaches a column or binds rows there",
      ],
      [
        "dead-selector",
        ["dataSources", 0, "policyHandler", "jsonPolicies", 0, "rules", 0, "config", "fields", 0],
        "rules[0] fields[0]: `Customers` has no column `SNN`",
      ],
    ]);
  });
});

describe("dead-selector", () => {
  const fields = (...fs: unknown[]) => ({ type: "Masking", config: { fields: fs, maskingConfig: { type: "Hash" } } });

  it("finds a misspelt tag, a regex that matches nothing and a tag circumstance no source has, each on its path", () => {
    const r = lintOf({
      dataSources: [customers],
      globalPolicies: [
        policy(
          1,
          "Typos",
          [fields({ type: "columnTags", columnTag: "PII.SNN" }, { type: "columnRegex", regex: "^CARD_" }, { type: "columnTags", columnTag: "PII" })],
          {
            circumstances: [
              { type: "tags", tag: "Sales" },
              { type: "columnRegex", regex: "SSN" },
            ],
          },
        ),
      ],
    });
    expect(only(r, "dead-selector").map((f) => [f.path, f.message])).toEqual([
      [
        ["globalPolicies", 0, "actions", 0, "rules", 0, "config", "fields", 0],
        "rules[0] fields[0]: no column of any data source carries the tag `PII.SNN` or a tag under it",
      ],
      [
        ["globalPolicies", 0, "actions", 0, "rules", 0, "config", "fields", 1],
        "rules[0] fields[1]: the regex `^CARD_` matches no column name of any data source",
      ],
      [["globalPolicies", 0, "circumstances", 0], "circumstances[0]: no data source carries the tag `Sales` or a tag under it"],
    ]);
    expect(only(r, "dead-selector").every((f) => f.severity === "warning")).toBe(true);
    // The policy still masks SSN through `PII`.
    expect(only(r, "policy-reaches-nothing")).toEqual([]);
  });

  it("counts a column tagged below the selector's tag as matched, one tagged above as not", () => {
    const above = source(3, "Above", [{ name: "X", tags: ["PII"] }]);
    const r = lintOf({ dataSources: [customers, above], globalPolicies: [policy(1, "Hash", [mask("PII")]), policy(2, "Null", [mask("PII.SSN.Last4")])] });
    expect(only(r, "dead-selector").map((f) => f.path)).toEqual([["globalPolicies", 1, "actions", 0, "rules", 0, "config", "fields", 0]]);
  });

  it("is not reported when the bundle has no data sources (policy-reaches-nothing says it once)", () => {
    const r = lintOf({ globalPolicies: [policy(1, "Typos", [mask("PII.SNN")])] });
    expect(only(r, "dead-selector")).toEqual([]);
  });
});
