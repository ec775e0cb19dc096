/**
 * Documented V2 shapes: `ownerRestrictions` (a policy applies only to sources owned by
 * the listed users or groups), subscription approvals spelled `requiredPermission` or
 * `requiredPermissions`, a subscription's `advanced` beside `type`, a subscription whose
 * `actions` is a one-item list; and `blobHandlerType`, which must be a known engine.
 */
import { describe, expect, it } from "vitest";
import { parseBundle } from "../../../src/model/bundle.js";
import { engineFor, maskedSummary } from "../helpers.js";

const source = (id: number) => ({ id, name: `S${id}`, columns: [{ name: "ssn", dataType: "text", tags: ["PII"] }] });
const maskPolicy = (ownerRestrictions: unknown) => ({
  id: 1,
  name: "Mask PII",
  type: "data",
  ownerRestrictions,
  actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: "PII" }], maskingConfig: { type: "Null" } } }] }],
});
const users = [
  { profileId: 1, name: "Olga", userid: "olga", iamid: "okta", groups: ["Stewards"] },
  { profileId: 2, name: "Reader" },
];
// Olga owns S1; nobody owns S2.
const access = [{ dataSourceId: 1, profileId: 1, state: "owner" }];

function masked(ownerRestrictions: unknown, ds: number): string[] | string {
  return maskedSummary(engineFor({ dataSources: [source(1), source(2)], globalPolicies: [maskPolicy(ownerRestrictions)], users, access }), 2, ds);
}

describe("ownerRestrictions", () => {
  it("applies a policy only to sources owned by a listed user ({iamid, username}, as in Immuta's example)", () => {
    const r = { users: [{ iamid: "okta", username: "olga" }] };
    expect(masked(r, 1)).toEqual(["ssn: Nullify"]);
    expect(masked(r, 2)).toEqual([]);
  });

  it("accepts profile ids and names, and owner groups", () => {
    for (const r of [{ users: [1] }, { users: ["Olga"] }, { groups: ["Stewards"] }]) {
      expect(masked(r, 1)).toEqual(["ssn: Nullify"]);
      expect(masked(r, 2)).toEqual([]);
    }
  });

  it("a listed user who owns nothing: the policy applies nowhere", () => {
    expect(masked({ users: [{ iamid: "bim", username: "olga" }] }, 1)).toEqual([]);
  });

  it("no restriction, or empty lists: every source", () => {
    for (const r of [null, { users: [], groups: [] }]) {
      expect(masked(r, 1)).toEqual(["ssn: Nullify"]);
      expect(masked(r, 2)).toEqual(["ssn: Nullify"]);
    }
  });

  it("a group given only by id cannot be checked offline: the policy applies (it hides)", () => {
    expect(masked({ groups: [42] }, 2)).toEqual(["ssn: Nullify"]);
  });

  it("explains the skip", () => {
    const e = engineFor({ dataSources: [source(1), source(2)], globalPolicies: [maskPolicy({ users: [1] })], users, access });
    const plan = e.planFor(2);
    expect(plan.ok && plan.value.skipped.map((s) => s.reason)).toEqual(["ownerRestrictions"]);
  });
});

const subscription = (actions: unknown) => ({ globalPolicies: [{ id: 7, name: "Sub", type: "subscription", actions }] });

describe("V2 subscription shapes", () => {
  it("accepts approvals with requiredPermission (2024.2) and requiredPermissions (2025.1), and not both", () => {
    const ok1 = parseBundle(subscription({ type: "approval", approvals: [{ requiredPermission: "GOVERNANCE", specificApproverRequired: false }] }));
    const ok2 = parseBundle(subscription({ type: "approval", approvals: [{ requiredPermissions: ["GOVERNANCE"] }] }));
    const both = parseBundle(subscription({ type: "approval", approvals: [{ requiredPermission: "A", requiredPermissions: "A" }] }));
    expect(ok1.ok).toBe(true);
    expect(ok2.ok).toBe(true);
    expect(both.ok).toBe(false);
    expect(!both.ok && both.issues[0]!.path).toEqual(["globalPolicies", 0, "actions", "approvals", 0]);
  });

  it("accepts `advanced` beside `type`, AND-ed with entitlements", () => {
    const b = parseBundle(subscription({ type: "entitlements", entitlements: { groups: ["Analysts"] }, advanced: "@hasAttribute('Country', 'US')" }));
    if (!b.ok) throw new Error(JSON.stringify(b.issues));
    const audience = b.value.subscriptionPolicies[0]!.audience!;
    expect(audience.report).toMatchObject({ advanced: "@hasAttribute('Country', 'US')" });
    expect(JSON.stringify(audience.logic)).toContain("Analysts");
    expect(JSON.stringify(audience.logic)).toContain("Country");
  });

  it("a bad `advanced` is an error at its path", () => {
    const b = parseBundle(subscription({ type: "entitlements", advanced: "@nope('x')" }));
    expect(!b.ok && b.issues[0]!.path).toEqual(["globalPolicies", 0, "actions", "advanced"]);
  });

  it("reads a V2 subscription whose actions are a one-item list", () => {
    const b = parseBundle(subscription([{ type: "anyone", automaticSubscription: true }]));
    expect(b.ok && b.value.subscriptionPolicies[0]!.subscriptionType).toBe("automatic");
  });
});

describe("blobHandlerType", () => {
  it("names the engine; an unknown one is an error listing the accepted names", () => {
    const ok = parseBundle({ dataSources: [{ ...source(1), blobHandlerType: "Google BigQuery" }] });
    expect(ok.ok && ok.value.dataSources[0]!.dialect).toBe("bigquery");
    const bad = parseBundle({ dataSources: [{ ...source(1), blobHandlerType: "Cobol DB" }] });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues[0]!.path).toEqual(["dataSources", 0, "blobHandlerType"]);
    expect(bad.issues[0]!.message).toContain("unknown blobHandlerType `Cobol DB`; accepted: PostgreSQL, Redshift, Snowflake, Databricks, Trino");
  });

  it("absent means PostgreSQL-compatible", () => {
    const b = parseBundle({ dataSources: [source(1)] });
    expect(b.ok && b.value.dataSources[0]!.dialect).toBe("postgres");
  });
});

describe("conditional masks and @columnTagged", () => {
  const bundle = (tags: string[]) => ({
    dataSources: [
      {
        id: 1,
        name: "S",
        columns: [
          { name: "ssn", dataType: "text", tags: ["PII"] },
          { name: "region", dataType: "text", tags },
        ],
      },
    ],
    globalPolicies: [
      {
        id: 1,
        name: "Mask where EU",
        type: "data",
        actions: [
          {
            rules: [
              {
                type: "Masking",
                config: {
                  fields: [{ type: "columnTags", columnTag: "PII" }],
                  maskingConfig: { type: "Null" },
                  conditionalPredicate: "@columnTagged('Geo') = 'EU'",
                },
              },
            ],
          },
        ],
      },
    ],
    users: [{ profileId: 1, name: "U" }],
  });

  it("is applied where the tag is present", () => {
    expect(maskedSummary(engineFor(bundle(["Geo"])), 1)).toEqual(["ssn: Nullify"]);
  });

  it("is not applied on a source that lacks the tag [doc]", () => {
    expect(maskedSummary(engineFor(bundle([])), 1)).toEqual([]);
  });
});
