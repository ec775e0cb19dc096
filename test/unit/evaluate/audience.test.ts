import { describe, expect, it } from "vitest";
import { ruleOutcomes } from "../../../src/evaluate/audience.js";
import { engineFor, maskedSummary } from "../helpers.js";

const ds = { id: 1, name: "T", columns: [{ name: "salary", dataType: "text", tags: ["Finance.Salary"] }] };
const fields = [{ type: "columnTags", columnTag: "Finance" }];
const projects = [
  { id: 7, name: "Fraud", purposes: ["Fraud Analysis"] },
  { id: 8, name: "Ops", purposes: [] },
];
const users = [
  { profileId: 1, name: "hr", groups: ["HR"], currentProject: 8 },
  { profileId: 2, name: "eu", authorizations: { Region: ["EU", "US"] } },
  { profileId: 3, name: "fraud", currentProject: 7 },
  { profileId: 4, name: "nobody" },
  { profileId: 5, name: "both", groups: ["HR", "Payroll"] },
];
const policy = (rules: unknown[]) => ({ dataSources: [ds], projects, users, globalPolicies: [{ id: 1, name: "P", type: "data", actions: [{ rules }] }] });

describe("audiences", () => {
  it("exceptions by group, attribute and purpose (current project or projectId override)", () => {
    const e = engineFor(
      policy([
        {
          type: "Masking",
          config: { fields, maskingConfig: { type: "Null" } },
          exceptions: { groups: ["HR"], attributes: [{ name: "Region", value: "EU" }], purposes: ["Fraud Analysis"] },
        },
      ]),
    );
    expect(maskedSummary(e, "hr")).toEqual([]);
    expect(maskedSummary(e, "eu")).toEqual([]);
    expect(maskedSummary(e, "fraud")).toEqual([]);
    expect(maskedSummary(e, "nobody")).toEqual(["salary: Nullify"]);
    expect(maskedSummary(e, "nobody", 1, 7)).toEqual([]);
    // The override replaces the current project: fraud under Ops has no purpose.
    expect(maskedSummary(e, "fraud", 1, 8)).toEqual(["salary: Nullify"]);
    expect(maskedSummary(e, "nobody", 1, 99)).toBe("unknown project `99`");
  });

  it("`all` needs every condition", () => {
    const e = engineFor(
      policy([{ type: "Masking", config: { fields, maskingConfig: { type: "Null" } }, exceptions: { operator: "all", groups: ["HR", "Payroll"] } }]),
    );
    expect(maskedSummary(e, "hr")).toEqual(["salary: Nullify"]);
    expect(maskedSummary(e, "both")).toEqual([]);
  });

  it("inclusions then otherwise: the first rule whose audience holds applies", () => {
    const e = engineFor(
      policy([
        { type: "Masking", config: { fields, maskingConfig: { type: "Hash" } }, inclusions: { groups: ["HR"] } },
        { type: "Masking", config: { fields, maskingConfig: { type: "Null" } } },
      ]),
    );
    expect(maskedSummary(e, "hr")).toEqual(["salary: Hashing"]);
    expect(maskedSummary(e, "nobody")).toEqual(["salary: Nullify"]);
    const d = e.decide({ dataSource: 1, user: "hr" });
    if (!d.ok) throw new Error();
    const u = e.prepare("hr");
    if (!u.ok) throw new Error();
    expect(ruleOutcomes(d.value.masks[0]!.policy.rules, u.value)).toEqual([
      { ruleIndex: 0, outcome: "included", applied: true },
      { ruleIndex: 1, outcome: "earlier-rule-applied", applied: false },
    ]);
  });

  it("an inclusions rule alone leaves everyone else clear; with exceptions too it needs both", () => {
    const e = engineFor(
      policy([{ type: "Masking", config: { fields, maskingConfig: { type: "Null" } }, inclusions: { groups: ["HR"] }, exceptions: { groups: ["Payroll"] } }]),
    );
    expect(maskedSummary(e, "hr")).toEqual(["salary: Nullify"]);
    expect(maskedSummary(e, "both")).toEqual([]);
    expect(maskedSummary(e, "nobody")).toEqual([]);
  });

  it("advanced expressions in V2 conditions", () => {
    const e = engineFor(
      policy([
        {
          type: "Masking",
          config: { fields, maskingConfig: { type: "Null" } },
          exceptions: { advanced: "@isInGroups('HR') AND NOT @hasAttribute('Region','US')" },
        },
      ]),
    );
    expect(maskedSummary(e, "hr")).toEqual([]);
    expect(maskedSummary(e, "eu")).toEqual(["salary: Nullify"]);
  });

  it("conditions are compiled once per policy set and memoised per user", () => {
    const same = { groups: ["HR"] };
    const e = engineFor({
      ...policy([{ type: "Masking", config: { fields, maskingConfig: { type: "Null" } }, exceptions: same }]),
      globalPolicies: [1, 2, 3].map((id) => ({
        id,
        name: `P${id}`,
        type: "data",
        actions: [{ rules: [{ type: "Masking", config: { fields, maskingConfig: { type: "Null" } }, exceptions: same }] }],
      })),
    });
    expect(e.policySet.conditions).toHaveLength(1);
    const u = e.prepare("hr");
    if (!u.ok) throw new Error();
    expect([...u.value.memo]).toEqual([0]);
  });
});
