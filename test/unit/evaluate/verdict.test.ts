/**
 * The row verdict: access (all | filtered | none), the denial and the problems are decided
 * once in `rowDecision` and each carries the policy and rule that caused it.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine, type Decisions, type Engine } from "../../../src/engine/engine.js";
import { loadBundleFile } from "../../../src/io/load.js";
import { parseBundle, type Bundle } from "../../../src/model/bundle.js";
import { renderPolicyInfo } from "../../../src/report/policy-info.js";
import { FIXTURES, readScenario, scenarioDirs } from "../../golden/scenario.js";
import { engineFor } from "../helpers.js";

function decide(e: Engine, user: number | string, dataSource: number | string = 1, now?: string): Decisions {
  const d = e.decide({ dataSource, user, ...(now ? { now } : {}) });
  if (!d.ok) throw new Error(d.issues.map((i) => i.message).join("\n"));
  return d.value;
}

/** The effects as `policy name: kind effect` lines. */
const effects = (d: Decisions) =>
  d.rows.verdict.effects.map((e) => `${e.policy.policy.name}: ${e.kind} ${e.effect}${e.failedClosed ? " (failed closed)" : ""}`);

const source = (extra: Record<string, unknown> = {}) => ({
  id: 1,
  name: "Loans",
  tags: ["Lending"],
  columns: [
    { name: "ID", dataType: "bigint" },
    { name: "BRANCH", dataType: "text", tags: ["RLS.Branch"] },
    { name: "AT", dataType: "timestamp" },
  ],
  visibilities: [{ BRANCH: "Oslo" }, { BRANCH: "Bergen" }],
  ...extra,
});
let nextId = 1;
const policy = (name: string, rules: unknown[]) => ({
  id: nextId++,
  name,
  type: "data",
  createdAt: `2024-01-0${nextId % 9 || 1}T00:00:00.000Z`,
  circumstances: [{ type: "tags", tag: "Lending" }],
  actions: [{ rules }],
});
const users = [
  { profileId: 1, name: "oslo", groups: ["Oslo"], currentProject: 1 },
  { profileId: 2, name: "nobody" },
  { profileId: 3, name: "exempt", groups: ["Exempt"] },
];
const projects = [{ id: 1, name: "Credit", purposes: ["Credit Risk"] }];
const entitlements = { type: "Row Restriction by User Entitlements", config: { matches: [{ type: "group", tag: "RLS.Branch" }] } };
const time = (seconds: number, direction: "newer" | "older", extra: Record<string, unknown> = {}) => ({
  type: "Time Restriction",
  config: { time: seconds, direction },
  ...extra,
});
const purpose = { type: "Purpose Restriction", config: { purposes: ["Credit Risk"] } };

describe("row verdict", () => {
  it("filtered: every applying rule attributed to its policy, with what it does", () => {
    const e = engineFor({
      dataSources: [source({ eventTime: "AT", highCardinality: "ID" })],
      projects,
      users,
      globalPolicies: [
        policy("Branches", [entitlements]),
        policy("Recent", [time(86400, "newer")]),
        policy("Quarter", [time(7776000, "newer")]),
        policy("Sample", [{ type: "Minimization", config: { percent: 50 } }]),
        policy("Credit only", [purpose]),
      ],
    });
    const d = decide(e, "oslo", 1, "2024-09-01T00:00:00Z");
    expect(d.rows.access).toBe("filtered");
    expect(d.rows.hiddenBy).toBeNull();
    expect(d.rows.verdict.access).toBe("filtered");
    expect(effects(d)).toEqual([
      "Branches: entitlements filters",
      "Recent: time filters",
      // The narrower window wins: the quarter is overridden.
      "Quarter: time overridden",
      "Sample: minimization filters",
      "Credit only: purpose allows",
    ]);
    expect(d.rows.verdict.denial).toBeNull();
    expect(d.rows.verdict.problems).toEqual([]);
  });

  it("none by denial: the purpose restriction that denies, with its policy and rule", () => {
    const e = engineFor({ dataSources: [source()], projects, users, globalPolicies: [policy("Branches", [entitlements]), policy("Credit only", [purpose])] });
    const d = decide(e, "nobody");
    expect(d.rows.access).toBe("none");
    expect(d.rows.hiddenBy).toBe("denial");
    const denial = d.rows.verdict.denial!;
    expect(denial.policy.policy.name).toBe("Credit only");
    expect(denial.rule.rule.rowKind).toBe("purpose");
    expect(denial.reason).toBe(d.rows.denied);
    expect(denial.reason).toContain("`Credit Risk`");
    expect(effects(d)).toEqual(["Branches: entitlements filters", "Credit only: purpose hides"]);
  });

  it("all: no rule applies (the user is excepted)", () => {
    const e = engineFor({
      dataSources: [source()],
      projects,
      users,
      globalPolicies: [policy("Never", [{ type: "Row Restriction by Never", exceptions: { groups: ["Exempt"] } }])],
    });
    expect(decide(e, "exempt").rows.access).toBe("all");
    expect(effects(decide(e, "exempt"))).toEqual([]);
    const hidden = decide(e, "nobody");
    expect([hidden.rows.access, hidden.rows.hiddenBy]).toEqual(["none", "never"]);
    expect(effects(hidden)).toEqual(["Never: never hides"]);
  });

  it("fail closed: a time policy on a source without eventTime is a problem of that policy", () => {
    const e = engineFor({
      dataSources: [source()],
      projects,
      users,
      globalPolicies: [policy("Branches", [entitlements]), policy("Recent", [time(86400, "newer")])],
    });
    const d = decide(e, "oslo");
    expect([d.rows.access, d.rows.hiddenBy]).toEqual(["none", "problem"]);
    expect(d.rows.verdict.problems.map((p) => [p.policy.policy.name, p.rule.rule.rowKind, p.message])).toEqual([
      ["Recent", "time", "a time policy applies but the data source has no `eventTime` column"],
    ]);
    // The legacy strings are the verdict's messages, one for one.
    expect(d.rows.problems).toEqual(d.rows.verdict.problems.map((p) => p.message));
    expect(effects(d)).toEqual(["Branches: entitlements filters", "Recent: time hides"]);
  });

  it("fail closed: time windows in both directions are attributed to the rule that makes the conflict", () => {
    const e = engineFor({
      dataSources: [source({ eventTime: "AT" })],
      projects,
      users,
      globalPolicies: [policy("Newer", [time(86400, "newer")]), policy("Older", [time(86400, "older")])],
    });
    const d = decide(e, "oslo", 1, "2024-09-01T00:00:00Z");
    expect(d.rows.verdict.problems.map((p) => p.policy.policy.name)).toEqual(["Older"]);
    expect(effects(d)).toEqual(["Newer: time hides", "Older: time hides"]);
  });

  it("none by visibilities: an entitlement no visibility matches shows no rows, without `false` in the filters", () => {
    const e = engineFor({ dataSources: [source()], projects, users, globalPolicies: [policy("Branches", [entitlements])] });
    const d = decide(e, "nobody");
    expect([d.rows.access, d.rows.hiddenBy]).toEqual(["none", "visibilities"]);
    expect(d.rows.verdict.denial).toBeNull();
    expect(renderPolicyInfo(d.plan, d.masks, d.rows, d.nowMs).additionalFilters).toEqual({});
  });

  it("fail closed: a rule whose exception cannot be evaluated applies, and says so", () => {
    const parsed = parseBundle({
      dataSources: [source()],
      projects,
      users,
      globalPolicies: [policy("Never", [{ type: "Row Restriction by Never", exceptions: { groups: ["Exempt"] } }])],
    });
    if (!parsed.ok) throw new Error("bundle");
    // A bundle built around validation: the exception's logic is outside the condition vocabulary.
    const rule = parsed.value.globalPolicies[0]!.actions[0]!.rules[0]!;
    const broken = { ...rule, exceptions: { ...rule.exceptions!, logic: { unknownOperator: [] } } };
    const bundle: Bundle = {
      ...parsed.value,
      globalPolicies: [{ ...parsed.value.globalPolicies[0]!, actions: [{ ...parsed.value.globalPolicies[0]!.actions[0]!, rules: [broken] }] }],
    };
    const d = decide(createEngine(bundle), "exempt");
    expect([d.rows.access, d.rows.hiddenBy]).toEqual(["none", "never"]);
    expect(effects(d)).toEqual(["Never: never hides (failed closed)"]);
  });
});

describe("the verdict agrees with the decision's fields on every golden fixture", () => {
  for (const dir of scenarioDirs()) {
    const scenario = readScenario(dir);
    it(dir.slice(FIXTURES.length + 1), () => {
      for (const file of scenario.bundles) {
        const bundle = loadBundleFile(join(dir, file));
        if (!bundle.ok) throw new Error(file);
        const e = createEngine(bundle.value);
        for (const c of scenario.cases) {
          if (c.expectError !== undefined) continue;
          const r = e.decide({ dataSource: c.dataSource, user: c.user, projectId: c.projectId ?? null, ...(c.now ? { now: c.now } : {}) });
          if (!r.ok) throw new Error(c.name);
          const rows = r.value.rows;
          const v = rows.verdict;
          const none = rows.never || rows.denied !== null || (rows.visibility !== null && rows.visibility.visible.length === 0);
          const restricted = rows.visibility !== null || rows.predicates.length > 0 || rows.time !== null || rows.minimization !== null;
          expect(v.access, c.name).toBe(none ? "none" : restricted ? "filtered" : "all");
          expect(v.access).toBe(rows.access);
          expect(v.denial?.reason ?? null).toBe(rows.denied);
          expect(v.problems.map((p) => p.message)).toEqual(rows.problems);
          // One effect per row policy whose rule applies, in plan order.
          expect(v.effects.map((x) => x.policy)).toEqual(rows.policies.filter((p) => p.applied !== null).map((p) => p.policy));
          for (const x of v.effects) expect(x.policy.rules).toContain(x.rule);
        }
      }
    });
  }
});
