/**
 * `explain` answers "why is SSN hashed for me?": the mask, the policy (name, id), the
 * rule, the tag and its depth, the exact condition that matched or failed, any
 * fallback, the losers and why; for rows each policy's effect; for policies that do
 * not bind, the circumstance that failed. Bad requests come back as issues.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../../src/engine/engine.js";
import { explain, explainDecisions } from "../../../src/explain/explain.js";
import { formatExplanation } from "../../../src/explain/format.js";
import type { Explanation } from "../../../src/explain/types.js";
import { parseBundle, type Bundle } from "../../../src/model/bundle.js";

const ds = {
  id: 1,
  name: "Customers",
  tags: ["Region.EU"],
  columns: [
    { name: "ID", dataType: "integer", tags: ["PII.Key"] },
    { name: "SSN", dataType: "text", tags: ["PII.SSN"] },
    { name: "EMAIL", dataType: "text", tags: ["PII.Email"] },
    { name: "REGION", dataType: "text", tags: ["RLS.Region"] },
    { name: "NOTE", dataType: "text" },
  ],
  visibilities: [{ REGION: "EU" }, { REGION: "US" }, { REGION: "APAC" }],
  policyHandler: {
    jsonPolicies: [
      {
        type: "masking",
        rules: [
          {
            type: "masking",
            exceptions: { operator: "or", conditions: [{ type: "groups", group: { name: "Support" } }] },
            config: { fields: ["EMAIL"], maskingConfig: { type: "Consistent Value", metadata: { constant: "hidden" } } },
          },
        ],
      },
    ],
  },
};
const masking = (id: number, name: string, tag: string, type: string, extra: Record<string, unknown> = {}, createdAt = "2024-01-01T00:00:00.000Z") => ({
  id,
  name,
  type: "data",
  createdAt,
  actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: tag }], maskingConfig: { type } }, ...extra }] }],
});
const bundleInput = {
  dataSources: [ds],
  projects: [{ id: 5, name: "Fraud", purposes: ["Fraud Analysis"] }],
  users: [
    { profileId: 1, name: "ana", groups: ["Analysts"], authorizations: { Region: ["EU", "Mars"] } },
    { profileId: 2, name: "pia", groups: ["Privacy Office"], currentProject: 5 },
  ],
  globalPolicies: [
    masking(10, "Hash all PII", "PII", "Hash", { exceptions: { groups: ["Privacy Office"], attributes: [{ name: "Clearance", value: "High" }] } }),
    masking(11, "Null SSNs", "PII", "Null", {}, "2024-02-01T00:00:00.000Z"),
    masking(12, "Hash SSNs for analysts", "PII.SSN", "Hash", { inclusions: { groups: ["Analysts"] } }),
    masking(13, "Mask emails", "PII.Email", "Null"),
    {
      id: 20,
      name: "Region rows",
      type: "data",
      actions: [
        { rules: [{ type: "Row Restriction by User Entitlements", config: { matches: [{ type: "attribute", attribute: "Region", tag: "RLS.Region" }] } }] },
      ],
    },
    {
      id: 21,
      name: "By branch",
      type: "data",
      actions: [{ rules: [{ type: "Row Restriction by User Entitlements", config: { matches: [{ type: "group", tag: "RLS.Branch" }] } }] }],
    },
    { ...masking(30, "US only", "PII", "Null"), circumstances: [{ type: "tags", tag: "Region.US" }] },
    { ...masking(31, "Staged", "PII", "Null"), staged: true },
  ],
};

function bundle(input: unknown = bundleInput): Bundle {
  const b = parseBundle(input);
  if (!b.ok) throw new Error(b.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  return b.value;
}

function explained(user: number | string, b: Bundle = bundle()): Explanation {
  const e = explain(b, { dataSource: "Customers", user });
  if (!e.ok) throw new Error(e.issues.map((i) => i.message).join("\n"));
  return e.value;
}

const column = (e: Explanation, name: string) => e.columns.find((c) => c.column === name)!;

describe("explain: columns", () => {
  it("why SSN is hashed for ana: the policy, rule, tag, depth, the inclusion that matched, and the losers", () => {
    const ssn = column(explained("ana"), "SSN");
    expect(ssn.mask).toEqual({ type: "Consistent Value", metadata: {}, actionType: "Hashing" });
    expect(ssn.policy).toEqual({ name: "Hash SSNs for analysts", id: 12, scope: "global", actionIndex: 0 });
    expect([ssn.tag, ssn.depth]).toEqual(["PII.SSN", 2]);
    expect(ssn.rules).toHaveLength(1);
    expect(ssn.rules[0]).toMatchObject({
      ruleIndex: 0,
      applied: true,
      outcome: "included",
      inclusions: { operator: "any", holds: true, items: [{ kind: "group", name: "Analysts", holds: true }] },
      fallback: null,
    });
    // Deeper tag first, then the policy authored first.
    expect(ssn.lost.map((l) => [l.policy.name, l.because])).toEqual([
      ["Hash all PII", "deeper-tag"],
      ["Null SSNs", "deeper-tag"],
    ]);
    expect(ssn.lost[0]!.detail).toContain("tag `PII.SSN` (depth 2), deeper than tag `PII` (depth 1)");
  });

  it("a column the winner leaves clear names the winner and the condition that excepted the user", () => {
    const ssn = column(explained("pia"), "SSN");
    expect(ssn.mask).toBeNull();
    expect(ssn.policy?.name).toBe("Hash SSNs for analysts");
    expect(ssn.rules[0]).toMatchObject({ applied: false, outcome: "not-included" });
    const key = column(explained("pia"), "ID");
    expect(key.rules[0]!.exceptions).toEqual({
      operator: "any",
      holds: true,
      items: [
        { kind: "group", name: "Privacy Office", holds: true },
        { kind: "attribute", name: "Clearance", value: "High", holds: false },
      ],
    });
  });

  it("the type fallback: Hashing cannot fit an integer, so Nullify with changedOnApply", () => {
    const id = column(explained("ana"), "ID");
    expect(id.mask?.actionType).toBe("Nullify");
    expect(id.rules[0]!.fallback).toEqual({
      authored: { type: "Consistent Value", metadata: {}, actionType: "Hashing" },
      changedOnApply: ["dataTypeMismatch"],
    });
    expect(id.lost.map((l) => [l.policy.name, l.because])).toEqual([["Null SSNs", "authored-first"]]);
    expect(id.lost[0]!.detail).toContain("created 2024-01-01T00:00:00.000Z before 2024-02-01T00:00:00.000Z");
  });

  it("a local policy beats every tag, and says so", () => {
    const email = column(explained("ana"), "EMAIL");
    expect(email.policy).toMatchObject({ scope: "local", id: null });
    expect(email.depth).toBeNull();
    expect(email.mask?.actionType).toBe("Constant");
    expect(email.lost.map((l) => l.because)).toEqual(["local-policy", "local-policy", "local-policy"]);
  });

  it("every column of the source, in its order; a column no policy reaches is clear with no policy", () => {
    const e = explained("ana");
    expect(e.columns.map((c) => c.column)).toEqual(["ID", "SSN", "EMAIL", "REGION", "NOTE"]);
    expect(column(e, "NOTE")).toEqual({ column: "NOTE", dataType: "text", tags: [], mask: null, policy: null, tag: null, depth: null, rules: [], lost: [] });
  });

  it("an advanced expression is shown with its own outcome", () => {
    const input = {
      ...bundleInput,
      globalPolicies: [masking(10, "Hash PII", "PII", "Hash", { exceptions: { groups: ["Nobody"], advanced: "@isInGroups('Analysts')" } })],
    };
    const c = column(explained("ana", bundle(input)), "SSN");
    expect(c.rules[0]!.exceptions).toEqual({
      operator: "any",
      holds: true,
      items: [{ kind: "group", name: "Nobody", holds: false }],
      advanced: { expression: "@isInGroups('Analysts')", holds: true },
    });
    expect(c.mask).toBeNull();
  });

  it("fail closed: an exception that cannot be evaluated masks, and the rule says why", () => {
    const b = bundle({ ...bundleInput, globalPolicies: [masking(10, "Hash PII", "PII", "Hash", { exceptions: { groups: ["Privacy Office"] } })] });
    const p = b.globalPolicies[0]!;
    const rule = p.actions[0]!.rules[0]!;
    // A bundle built around validation: the exception's logic is outside the condition vocabulary.
    const broken: Bundle = {
      ...b,
      globalPolicies: [{ ...p, actions: [{ ...p.actions[0]!, rules: [{ ...rule, exceptions: { ...rule.exceptions!, logic: { nope: [] } } }] }] }],
    };
    const ssn = column(explained("pia", broken), "SSN");
    expect(ssn.mask?.actionType).toBe("Hashing");
    expect(ssn.rules[0]).toMatchObject({ applied: true, outcome: "not-excepted", failedClosed: true, exceptions: { holds: null } });
    expect(formatExplanation(explained("pia", broken))).toContain("a condition cannot be evaluated: the rule applies, failing closed");
  });
});

describe("explain: rows and policies that do not bind", () => {
  it("an entitlement rule: the user's values, those that matched, and the visibilities they allow", () => {
    const rows = explained("ana").rows;
    expect(rows.access).toBe("filtered");
    expect(rows.visibilities).toEqual({ columns: ["REGION"], total: 3, visible: [{ REGION: "EU" }] });
    expect(rows.policies).toHaveLength(1);
    expect(rows.policies[0]).toMatchObject({
      policy: { name: "Region rows", id: 20 },
      type: "rowOrObjectRestriction",
      applied: 0,
      effect: "filters",
      detail: {
        kind: "entitlements",
        operator: "any",
        matches: [{ type: "attribute", attribute: "Region", column: "REGION", userValues: ["EU", "Mars"], matched: ["EU"] }],
        visible: 1,
        total: 3,
      },
    });
  });

  it("no visibility matches: no rows, said as such", () => {
    const rows = explained("pia").rows;
    expect([rows.access, rows.hiddenBy]).toEqual(["none", "visibilities"]);
    expect(rows.policies[0]!.detail).toMatchObject({ matches: [{ userValues: [], matched: [] }], visible: 0 });
  });

  it("skipped: lifecycle, each circumstance with whether it holds, a row action's missing tag", () => {
    const skipped = explained("ana").skipped;
    expect(skipped).toContainEqual({
      name: "US only",
      id: 30,
      reason: "circumstances",
      circumstances: [{ join: "or", circumstance: "the data source is tagged `Region.US`", holds: false }],
    });
    expect(skipped).toContainEqual({ name: "Staged", id: 31, reason: "staged" });
    expect(skipped).toContainEqual({ name: "By branch", id: 21, reason: "untaggedColumn", actionIndex: 0, detail: "no column is tagged `RLS.Branch`" });
  });

  it("a denial and a problem name their policy and rule", () => {
    const input = {
      ...bundleInput,
      globalPolicies: [
        { id: 40, name: "Fraud only", type: "data", actions: [{ rules: [{ type: "Purpose Restriction", config: { purposes: ["Fraud Analysis"] } }] }] },
        { id: 41, name: "Recent", type: "data", actions: [{ rules: [{ type: "Time Restriction", config: { time: 60, direction: "newer" } }] }] },
      ],
    };
    const e = explain(bundle(input), { dataSource: 1, user: "ana", now: "2024-01-01T00:00:00Z" });
    if (!e.ok) throw new Error(e.issues[0]!.message);
    const rows = e.value.rows;
    expect(rows.access).toBe("none");
    expect(rows.denial).toMatchObject({ policy: { name: "Fraud only", id: 40 }, ruleIndex: 0 });
    expect(rows.problems).toEqual([
      {
        message: "a time policy applies but the data source has no `eventTime` column",
        policy: { name: "Recent", id: 41, scope: "global", actionIndex: 0 },
        ruleIndex: 0,
      },
    ]);
    expect(rows.policies.map((p) => p.effect)).toEqual(["hides", "hides"]);
    expect(rows.policies[1]!.detail).toEqual({ kind: "time", seconds: 60, direction: "newer", column: null, windowStart: "2023-12-31T23:59:00.000Z" });
    const text = formatExplanation(e.value);
    expect(text).toContain(
      'denial: purpose restriction: the user is not acting under any of the purposes `Fraud Analysis` ("Fraud only" (id 40) actions[0].rules[0])',
    );
    expect(text).toContain('problem: a time policy applies but the data source has no `eventTime` column ("Recent" (id 41) actions[0].rules[0])');
  });
});

describe("explain: results and text", () => {
  it("bad requests are issues, never exceptions", () => {
    const r = explain(bundle(), { dataSource: "Customers", user: "nobody" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toContain("unknown user `nobody`");
    const s = explain(bundle(), { dataSource: "Nope", user: 1 });
    expect(s.ok).toBe(false);
    expect(explain({} as Bundle, { dataSource: 1, user: 1 }).ok).toBe(false);
  });

  it("plain JSON, deterministic, the same from explain and from an engine's decisions", () => {
    const e = explained("ana");
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(JSON.stringify(explained("ana"))).toBe(JSON.stringify(e));
    const d = createEngine(bundle()).decide({ dataSource: "Customers", user: "ana" });
    if (!d.ok) throw new Error();
    expect(JSON.stringify(explainDecisions(d.value))).toBe(JSON.stringify(e));
  });

  it("one screen answers why SSN is hashed", () => {
    const text = formatExplanation(explained("ana"));
    expect(text).toContain(
      'SSN: Hashing by "Hash SSNs for analysts" (id 12) actions[0].rules[0], through tag `PII.SSN` (depth 2)\n    rules[0] applies, included: inclusions matched group `Analysts`\n    lost: "Hash all PII" (id 10) actions[0]: deeper-tag:',
    );
    expect(text.split("\n").length).toBeLessThan(40);
  });

  it("colour only when asked: the same text without the escapes", () => {
    const e = explained("ana");
    const plain = formatExplanation(e);
    const colored = formatExplanation(e, { color: true });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[1m");
    expect(colored.replace(/\u001b\[\d+m/g, "")).toBe(plain);
  });
});
