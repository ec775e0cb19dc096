/** `unknown-audience-member`: exceptions or inclusions naming what no user or project has. */
import { describe, expect, it } from "vitest";
import { lintOf, mask, only, policy, source } from "./helpers.js";

const ds = source(1, "Payroll", [{ name: "SALARY", tags: ["HR.Salary"] }]);
const users = [{ profileId: 1, name: "Fiona", groups: ["HR"], authorizations: { Clearance: ["Low"] } }];
const projects = [{ id: 1, name: "Audit", purposes: ["Audit"] }];
const lintRule = (audience: Record<string, unknown>, bundle: Record<string, unknown> = { users, projects }) =>
  lintOf({ dataSources: [ds], globalPolicies: [policy(1, "Mask pay", [mask("HR", { type: "Null" }, audience)])], ...bundle });
const found = (r: ReturnType<typeof lintRule>) => only(r, "unknown-audience-member").map((f) => [f.path.at(-1), f.message]);

describe("unknown-audience-member", () => {
  it("names a group nobody is in, as a warning on the condition's path", () => {
    expect(only(lintRule({ exceptions: { groups: ["HR", "Payroll Admins"] } }), "unknown-audience-member")).toEqual([
      {
        code: "unknown-audience-member",
        severity: "warning",
        path: ["globalPolicies", 0, "actions", 0, "rules", 0, "exceptions"],
        message: "exceptions of rules[0]: no user is in group `Payroll Admins`",
        policy: { id: 1, name: "Mask pay" },
      },
    ]);
  });

  it("tells an unknown attribute from an unknown value, and checks purposes against projects", () => {
    const r = lintRule({
      exceptions: {
        attributes: [
          { name: "Clearance", value: "Top" },
          { name: "Level", value: "3" },
        ],
        purposes: ["Audit", "Fraud"],
      },
    });
    expect(found(r)).toEqual([
      ["exceptions", "exceptions of rules[0]: no project has purpose `Fraud`"],
      ["exceptions", "exceptions of rules[0]: no user has attribute `Clearance` with value `Top`"],
      ["exceptions", "exceptions of rules[0]: no user has attribute `Level`"],
    ]);
  });

  it("reads inclusions and advanced expressions too", () => {
    const r = lintRule({ inclusions: { advanced: "@isInGroups('HR') AND @hasAttribute('Clearance', 'Top')" } });
    expect(found(r)).toEqual([["inclusions", "inclusions of rules[0]: no user has attribute `Clearance` with value `Top`"]]);
  });

  it("says nothing when someone has each name, or when the bundle has no users to judge by", () => {
    expect(found(lintRule({ exceptions: { groups: ["HR"], attributes: [{ name: "Clearance", value: "Low" }], purposes: ["Audit"] } }))).toEqual([]);
    expect(found(lintRule({ exceptions: { groups: ["Nobody"] } }, {}))).toEqual([]);
  });
});
