import { describe, expect, it } from "vitest";
import { engineFor, maskedSummary } from "../helpers.js";
import { renderedPolicy } from "../../../src/report/policy-json.js";

const columns = [
  { name: "ssn", dataType: "text", tags: ["PII.SSN"] },
  { name: "email", dataType: "text", tags: ["PII.Email", "Contact"] },
  { name: "note", dataType: "text" },
  { name: "age", dataType: "integer", tags: ["PII"] },
];
const mask = (id: number, fields: unknown[], maskingConfig: unknown, extra: object = {}) => ({
  id,
  name: `P${id}`,
  type: "data",
  actions: [{ rules: [{ type: "Masking", config: { fields, maskingConfig } }] }],
  ...extra,
});
const users = [{ profileId: 1, name: "u" }];

describe("binding masking rules to columns", () => {
  it("binds one policy per matched column, through the tag hierarchy", () => {
    const e = engineFor({
      dataSources: [{ id: 1, name: "T", columns }],
      globalPolicies: [mask(1, [{ type: "columnTags", columnTag: "PII" }], { type: "Hash" })],
      users,
    });
    expect(maskedSummary(e, 1)).toEqual(["ssn: Hashing", "email: Hashing", "age: Nullify"]);
    const plan = e.planFor(1);
    if (!plan.ok) throw new Error();
    expect(plan.value.columns.map((c) => [c.column, c.winner.tag, renderedPolicy(c.winner).global?.["changedOnApply"]])).toEqual([
      ["ssn", "PII", []],
      ["email", "PII", []],
      ["age", "PII", ["dataTypeMismatch"]],
    ]);
  });

  it("selects untagged, tagged, all and regex-named columns", () => {
    const run = (field: unknown) =>
      maskedSummary(engineFor({ dataSources: [{ id: 1, name: "T", columns }], globalPolicies: [mask(1, [field], { type: "Null" })], users }), 1);
    expect(run({ type: "noTags" })).toEqual(["note: Nullify"]);
    expect(run({ type: "anyTag" })).toEqual(["ssn: Nullify", "email: Nullify", "age: Nullify"]);
    expect(run({ type: "allColumns" })).toEqual(["ssn: Nullify", "email: Nullify", "note: Nullify", "age: Nullify"]);
    expect(run({ type: "columnRegex", regex: "^E", caseInsensitive: true })).toEqual(["email: Nullify"]);
    expect(run({ type: "columnRegex", regex: "^E" })).toEqual([]);
  });

  it("`operator: all` beside fields needs every selector to match", () => {
    const policy = mask(
      1,
      [
        { type: "columnTags", columnTag: "PII" },
        { type: "columnTags", columnTag: "Contact" },
      ],
      { type: "Null" },
    );
    (policy.actions[0]!.rules[0]!.config as Record<string, unknown>)["operator"] = "all";
    expect(maskedSummary(engineFor({ dataSources: [{ id: 1, name: "T", columns }], globalPolicies: [policy], users }), 1)).toEqual(["email: Nullify"]);
  });

  it("skips staged, deleted, disabled-on-source and non-matching policies, saying why", () => {
    const field = [{ type: "columnTags", columnTag: "PII" }];
    const e = engineFor({
      dataSources: [{ id: 1, name: "T", columns, globalPolicies: [{ id: 3, disabled: true, reason: "not here" }] }],
      globalPolicies: [
        mask(1, field, { type: "Null" }, { staged: true }),
        mask(2, field, { type: "Null" }, { deleted: true }),
        mask(3, field, { type: "Null" }),
        mask(4, field, { type: "Null" }, { circumstances: [{ type: "tags", tag: "Finance" }] }),
      ],
      users,
    });
    const plan = e.planFor("T");
    if (!plan.ok) throw new Error();
    expect(plan.value.columns).toEqual([]);
    expect(plan.value.skipped.map((s) => [s.policy.id, s.reason])).toEqual([
      [1, "staged"],
      [2, "deleted"],
      [3, "disabled"],
      [4, "circumstances"],
    ]);
  });
});

describe("masking conflicts", () => {
  it("the deeper tag wins; then the policy authored first; losers are kept", () => {
    const e = engineFor({
      dataSources: [{ id: 1, name: "T", columns }],
      globalPolicies: [
        mask(1, [{ type: "columnTags", columnTag: "PII" }], { type: "Hash" }, { createdAt: "2020-01-01T00:00:00Z" }),
        mask(2, [{ type: "columnTags", columnTag: "PII.SSN" }], { type: "Null" }, { createdAt: "2024-01-01T00:00:00Z" }),
        mask(3, [{ type: "columnTags", columnTag: "Contact" }], { type: "Constant", constant: "x" }, { createdAt: "2019-01-01T00:00:00Z" }),
      ],
      users,
    });
    expect(maskedSummary(e, 1)).toEqual(["ssn: Nullify", "email: Constant", "age: Nullify"]);
    const plan = e.planFor(1);
    if (!plan.ok) throw new Error();
    expect(plan.value.columns.map((c) => [c.column, c.winner.policy.id, c.losers.map((l) => l.policy.id)])).toEqual([
      ["ssn", 2, [1]],
      ["email", 3, [1]],
      ["age", 1, []],
    ]);
  });

  it("a local policy outranks a global tag policy on its column", () => {
    const e = engineFor({
      dataSources: [
        {
          id: 1,
          name: "T",
          columns,
          policyHandler: {
            jsonPolicies: [
              {
                type: "masking",
                rules: [{ type: "masking", config: { fields: ["ssn"], maskingConfig: { type: "Consistent Value", metadata: { constant: "***" } } } }],
              },
            ],
          },
        },
      ],
      globalPolicies: [mask(1, [{ type: "columnTags", columnTag: "PII.SSN" }], { type: "Null" })],
      users,
    });
    expect(maskedSummary(e, 1)).toEqual(["ssn: Constant"]);
    const plan = e.planFor(1);
    if (!plan.ok) throw new Error();
    expect(renderedPolicy(plan.value.columns[0]!.winner).global).toBeNull();
    expect(plan.value.columns[0]!.winner.originalPolicyId).toBe("masking(^_^)t local policy 1(^_^)ssn(^_^)consistent value(^_^)(^_^)local(^_^)");
  });
});
