/**
 * Law 2 for row policies: shuffling the policy list changes neither policyInfo nor
 * visibilityReport (ties break on createdAt, then id).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import { rowActionArb, rowUserArb } from "../arbitraries/rows.js";

const DATES = ["2022-01-01T00:00:00.000Z", "2023-01-01T00:00:00.000Z"];

function reports(policies: unknown[], users: { groups: string[]; regions: string[]; project: number | null }[]): string[] {
  const b = parseBundle({
    dataSources: [
      {
        id: 1,
        name: "Sales",
        eventTime: "ts",
        columns: [
          { name: "region", dataType: "text", tags: ["Geo.Region"] },
          { name: "amount", dataType: "integer" },
          { name: "ts", dataType: "timestamp" },
        ],
        visibilities: [{ region: "EU" }, { region: "US" }, { region: "APAC" }],
      },
    ],
    globalPolicies: policies,
    projects: [{ id: 1, name: "Audit", purposes: ["Audit"] }],
    users: users.map((u, i) => ({ profileId: i + 1, name: `u${i + 1}`, groups: u.groups, authorizations: { Region: u.regions }, currentProject: u.project })),
  });
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  const engine = createEngine(b.value);
  return b.value.users.map((u) =>
    JSON.stringify([
      engine.policyInfo({ dataSource: 1, user: u.profileId, now: "2024-06-01T00:00:00Z" }),
      engine.visibilityReport({ dataSource: 1, user: u.profileId, now: "2024-06-01T00:00:00Z" }),
    ]),
  );
}

describe("law 2 for row policies", () => {
  it("shuffling row policies (with ids and dates) changes no report", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rowActionArb, fc.constantFrom(...DATES)), { minLength: 1, maxLength: 4 }),
        fc.array(rowUserArb, { minLength: 1, maxLength: 3 }),
        fc.infiniteStream(fc.nat()),
        (actions, users, rand) => {
          const policies = actions.map(([a, createdAt], i) => ({ id: 10 + i, name: `Row ${i}`, type: "data", createdAt, actions: [a] }));
          const shuffled = [...policies];
          const it = rand[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(reports(shuffled, users)).toEqual(reports(policies, users));
        },
      ),
      { numRuns: 150 },
    );
  });
});
