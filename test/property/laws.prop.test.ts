/**
 * Laws 1, 2, 3 and 5 of the spec (semantics §8) as fast-check properties over
 * generated bundles. Each was seen failing against a deliberately broken engine.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import { EXCEPTION_GROUPS, bundleArb, type BundleObject } from "../arbitraries/bundle.js";

/** policyInfo JSON per user; throws on an invalid bundle (generated bundles are valid). */
function reports(obj: unknown): string[] {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  const engine = createEngine(b.value);
  return b.value.users.map((u) => {
    const r = engine.policyInfo({ dataSource: 1, user: u.profileId });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return JSON.stringify(r.value);
  });
}

function maskedColumns(report: string): Set<string> {
  return new Set((JSON.parse(report) as { masked: { name: string }[] }).masked.map((m) => m.name));
}

const clone = <T>(x: T): T => structuredClone(x);

describe("law 1: determinism", () => {
  it("the same input gives byte-identical output, across fresh engines and repeated calls", () => {
    fc.assert(
      fc.property(bundleArb, (obj) => {
        const first = reports(clone(obj));
        expect(reports(clone(obj))).toEqual(first);
        const b = parseBundle(obj);
        if (!b.ok) throw new Error("valid");
        const engine = createEngine(b.value);
        for (const u of b.value.users) {
          const once = JSON.stringify(engine.policyInfo({ dataSource: 1, user: u.profileId }));
          expect(JSON.stringify(engine.policyInfo({ dataSource: 1, user: u.profileId }))).toBe(once);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("law 2: order independence", () => {
  it("shuffling the policy list and each column's tags changes nothing", () => {
    fc.assert(
      fc.property(bundleArb, fc.infiniteStream(fc.nat()), (obj, rand) => {
        const shuffled = clone(obj) as BundleObject;
        const it = rand[Symbol.iterator]();
        const shuffle = <T>(xs: T[]): T[] => {
          for (let i = xs.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [xs[i], xs[j]] = [xs[j]!, xs[i]!];
          }
          return xs;
        };
        shuffle(shuffled.globalPolicies);
        for (const c of shuffled.dataSources[0]!.columns) shuffle(c.tags);
        expect(reports(shuffled)).toEqual(reports(obj));
      }),
      { numRuns: 150 },
    );
  });
});

describe("law 3: exceptions only reveal to the excepted", () => {
  it("adding a user's group to an `any` exception masks no more for them and changes nobody without that group", () => {
    fc.assert(
      fc.property(bundleArb, fc.nat(), fc.nat(), fc.constantFrom(...EXCEPTION_GROUPS), (obj, pick, userPick, group) => {
        const before = reports(obj);
        const users = obj.users;
        const target = userPick % users.length;
        const withGroup = clone(obj) as BundleObject;
        const user = withGroup.users[target]!;
        if (!user.groups.includes(group)) user.groups.push(group);
        const beforeWithGroup = reports(withGroup);

        // Add the group to one single-rule (no inclusions) rule's exceptions, creating `any` exceptions if absent.
        const rules = withGroup.globalPolicies.flatMap((p) => p.actions.flatMap((a) => (a.rules.length === 1 ? a.rules : [])));
        if (rules.length === 0) return;
        const rule = rules[pick % rules.length] as { exceptions?: { operator: string; groups: string[] } };
        if (rule.exceptions && rule.exceptions.operator === "all") return;
        rule.exceptions = rule.exceptions
          ? { ...rule.exceptions, groups: [...new Set([...rule.exceptions.groups, group])] }
          : ({ operator: "any", groups: [group] } as never);
        const after = reports(withGroup);

        const was = maskedColumns(beforeWithGroup[target]!);
        for (const col of maskedColumns(after[target]!)) expect(was.has(col)).toBe(true);
        withGroup.users.forEach((u, i) => {
          if (!u.groups.includes(group)) expect(after[i]).toBe(beforeWithGroup[i]);
        });
        expect(before.length).toBe(after.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe("law 5: fail closed", () => {
  const unknowns: ((p: { actions: { rules: Record<string, unknown>[] }[] }) => void)[] = [
    (p) => ((p.actions[0]!.rules[0]!["config"] as Record<string, unknown>)["maskingConfig"] = { type: "Scramble" }),
    (p) => (p.actions[0]!.rules[0]!["type"] = "Row Restriction by Magic"),
    (p) => (p.actions[0]!.rules[0]!["exceptions"] = { operator: "any", emails: ["x@example.com"] }),
    (p) => (p.actions[0]!.rules[0]!["exceptions"] = { operator: "any", advanced: "@isFriendOf('x')" }),
  ];

  it("an unknown mask, rule or condition type in a live policy is rejected, so it can reveal nothing", () => {
    fc.assert(
      fc.property(bundleArb, fc.nat(), fc.nat(), (obj, policyPick, kind) => {
        const broken = clone(obj) as BundleObject;
        const policy = broken.globalPolicies[policyPick % broken.globalPolicies.length]!;
        unknowns[kind % unknowns.length]!(policy as never);
        const r = parseBundle(broken);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.issues.some((i) => i.path[0] === "globalPolicies" && i.path[1] === policyPick % broken.globalPolicies.length)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("a condition that cannot be evaluated never reveals: every user sees at least the masks they saw before", () => {
    fc.assert(
      fc.property(bundleArb, fc.nat(), (obj, pick) => {
        const b = parseBundle(obj);
        if (!b.ok) throw new Error("valid");
        const conditions = b.value.globalPolicies.flatMap((p) =>
          p.actions.flatMap((a) => a.rules.flatMap((r) => [r.exceptions, r.inclusions].filter((c) => c !== null))),
        );
        if (conditions.length === 0) return;
        const baseline = createEngine(b.value);
        const before = b.value.users.map((u) => baseline.policyInfo({ dataSource: 1, user: u.profileId }));
        // Corrupt one condition behind validation's back: the engine must fail closed on it.
        (conditions[pick % conditions.length] as { logic: unknown }).logic = { some_unknown_op: [1] };
        const engine = createEngine(b.value);
        b.value.users.forEach((u, i) => {
          const after = engine.policyInfo({ dataSource: 1, user: u.profileId });
          if (!after.ok || !before[i]!.ok) throw new Error("evaluates");
          const now = new Set(after.value.masked.map((m) => m.name));
          for (const m of before[i]!.value.masked) expect(now.has(m.name)).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });
});
