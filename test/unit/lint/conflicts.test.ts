/** `column-conflict` and `staged-conflict`: who reaches a column, who wins, and why. */
import { describe, expect, it } from "vitest";
import { lintOf, mask, only, policy, source } from "./helpers.js";

const customers = source(1, "Customers", [
  { name: "ID", dataType: "integer" },
  { name: "SSN", tags: ["PII.SSN"] },
  { name: "EMAIL", tags: ["PII.Email"] },
]);

describe("column-conflict", () => {
  it("names the winner by the deeper tag, on the column's path, as info", () => {
    const r = lintOf({
      dataSources: [customers],
      globalPolicies: [policy(1, "Hash PII", [mask("PII")]), policy(2, "Null SSN", [mask("PII.SSN", { type: "Null" })])],
    });
    expect(only(r, "column-conflict")).toEqual([
      {
        code: "column-conflict",
        severity: "info",
        path: ["dataSources", 0, "columns", 1],
        message:
          "2 masking policies reach column `SSN` of `Customers`; `Null SSN` (tag `PII.SSN`) wins over `Hash PII` (tag `PII`): deeper tag: `PII.SSN` over `PII`",
        policy: { id: 2, name: "Null SSN" },
        dataSource: { id: 1, name: "Customers" },
      },
    ]);
  });

  it("names the policy authored first at equal depth, and a local policy over any tag", () => {
    const local = source(1, "Customers", [{ name: "SSN", tags: ["PII.SSN"] }], {
      policyHandler: {
        jsonPolicies: [
          {
            type: "masking",
            rules: [{ type: "masking", config: { fields: ["SSN"], maskingConfig: { type: "Consistent Value", metadata: { constant: null } } } }],
          },
        ],
      },
    });
    const tie = lintOf({
      dataSources: [customers],
      globalPolicies: [policy(2, "Later", [mask("PII.SSN")]), policy(1, "Earlier", [mask("PII.SSN", { type: "Null" })])],
    });
    expect(only(tie, "column-conflict").map((f) => f.message)).toEqual([
      "2 masking policies reach column `SSN` of `Customers`; `Earlier` (tag `PII.SSN`) wins over `Later` (tag `PII.SSN`): authored first: created 2023-01-01T00:00:00.000Z, before 2023-01-02T00:00:00.000Z",
    ]);
    const l = lintOf({ dataSources: [local], globalPolicies: [policy(1, "Hash PII", [mask("PII")])] });
    expect(only(l, "column-conflict").map((f) => [f.message, f.policy])).toEqual([
      [
        "2 masking policies reach column `SSN` of `Customers`; `Customers local policy 1` (names the column) wins over `Hash PII` (tag `PII`): a local policy outranks any tag",
        { id: null, name: "Customers local policy 1" },
      ],
    ]);
  });

  it("names at most three losers, then how many more", () => {
    const five = [1, 2, 3, 4, 5].map((i) => policy(i, `P${i}`, [mask("PII.SSN")]));
    const [f] = only(lintOf({ dataSources: [customers], globalPolicies: five }), "column-conflict");
    expect(f!.message).toMatch(/^5 masking policies reach column `SSN` of `Customers`; `P1` \(tag `PII.SSN`\) wins over `P2` .*; `P4` .*; and 1 more$/);
    expect(f!.message).not.toContain("`P5`");
  });

  it("says nothing when one policy reaches each column", () => {
    const r = lintOf({ dataSources: [customers], globalPolicies: [policy(1, "Hash SSN", [mask("PII.SSN")]), policy(2, "Hash email", [mask("PII.Email")])] });
    expect(only(r, "column-conflict")).toEqual([]);
  });
});

describe("staged-conflict", () => {
  const hashPii = policy(1, "Hash PII", [mask("PII")]);

  it("takes a staged policy as live and reports, per data source, the masked columns it would contest, and who would win", () => {
    const r = lintOf({ dataSources: [customers], globalPolicies: [hashPii, policy(2, "Null SSN", [mask("PII.SSN", { type: "Null" })], { staged: true })] });
    expect(only(r, "staged-conflict")).toEqual([
      {
        code: "staged-conflict",
        severity: "warning",
        path: ["globalPolicies", 1],
        message:
          "once activated, `Null SSN` would reach a column of `Customers` that live policies mask: `SSN`, where it would win over `Hash PII` (tag `PII`): deeper tag: `PII.SSN` over `PII`",
        policy: { id: 2, name: "Null SSN" },
        dataSource: { id: 1, name: "Customers" },
      },
    ]);
    // At equal depth the live policy was authored first, and would keep both columns.
    const loses = lintOf({ dataSources: [customers], globalPolicies: [hashPii, policy(2, "Null PII", [mask("PII", { type: "Null" })], { staged: true })] });
    expect(only(loses, "staged-conflict").map((f) => f.message)).toEqual([
      "once activated, `Null PII` would reach 2 columns of `Customers` that live policies mask: `SSN`, where `Hash PII` (tag `PII`) would keep it (authored first: created 2023-01-01T00:00:00.000Z, before 2023-01-02T00:00:00.000Z); `EMAIL`, where `Hash PII` (tag `PII`) would keep it (authored first: created 2023-01-01T00:00:00.000Z, before 2023-01-02T00:00:00.000Z)",
    ]);
  });

  it("agrees with binding the bundle with the policy made live", () => {
    const staged = policy(2, "Null PII", [mask("PII.SSN", { type: "Null" }), mask("PII", { type: "Null" })], { staged: true });
    const r = lintOf({ dataSources: [customers], globalPolicies: [hashPii, staged] });
    const live = lintOf({ dataSources: [customers], globalPolicies: [hashPii, { ...staged, staged: false }] });
    // Live, the same columns are in conflict, with the same winners.
    expect(only(live, "column-conflict").map((f) => [f.path, f.policy?.name])).toEqual([
      [["dataSources", 0, "columns", 1], "Null PII"],
      [["dataSources", 0, "columns", 2], "Hash PII"],
    ]);
    expect(only(r, "staged-conflict").map((f) => f.message)).toEqual([
      "once activated, `Null PII` would reach 2 columns of `Customers` that live policies mask: `SSN`, where it would win over `Hash PII` (tag `PII`): deeper tag: `PII.SSN` over `PII`; `EMAIL`, where `Hash PII` (tag `PII`) would keep it (authored first: created 2023-01-01T00:00:00.000Z, before 2023-01-02T00:00:00.000Z)",
    ]);
  });

  it("ranks the staged policy's actions as binding would: the deeper one speaks for it", () => {
    const twoActions = {
      ...policy(2, "Two actions", [], { staged: true }),
      actions: [{ rules: [mask("PII")] }, { rules: [mask("PII.SSN", { type: "Null" })] }],
    };
    const r = lintOf({ dataSources: [customers], globalPolicies: [hashPii, twoActions] });
    expect(only(r, "staged-conflict").map((f) => f.message)).toEqual([
      "once activated, `Two actions` would reach 2 columns of `Customers` that live policies mask: `SSN`, where it would win over `Hash PII` (tag `PII`): deeper tag: `PII.SSN` over `PII`; `EMAIL`, where `Hash PII` (tag `PII`) would keep it (authored first: created 2023-01-01T00:00:00.000Z, before 2023-01-02T00:00:00.000Z)",
    ]);
  });

  it("says nothing for a staged policy alone on its columns, one that would not bind, a deleted one, or one meeting only other staged policies", () => {
    const alone = lintOf({
      dataSources: [customers],
      globalPolicies: [policy(1, "Hash SSN", [mask("PII.SSN")]), policy(2, "Null email", [mask("PII.Email")], { staged: true })],
    });
    expect(only(alone, "staged-conflict")).toEqual([]);
    const elsewhere = lintOf({
      dataSources: [customers],
      globalPolicies: [hashPii, policy(2, "Null SSN", [mask("PII.SSN")], { staged: true, circumstances: [{ type: "tags", tag: "Finance" }] })],
    });
    expect(only(elsewhere, "staged-conflict")).toEqual([]);
    const deleted = lintOf({ dataSources: [customers], globalPolicies: [hashPii, policy(2, "Null SSN", [mask("PII.SSN")], { staged: true, deleted: true })] });
    expect(only(deleted, "staged-conflict")).toEqual([]);
    const bothStaged = lintOf({
      dataSources: [customers],
      globalPolicies: [policy(1, "A", [mask("PII")], { staged: true }), policy(2, "B", [mask("PII.SSN")], { staged: true })],
    });
    expect(only(bothStaged, "staged-conflict")).toEqual([]);
  });
});
