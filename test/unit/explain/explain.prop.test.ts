/**
 * Laws of explain over generated bundles (test/arbitraries/bundle.ts): it says a column
 * is masked exactly when policyInfo masks it, with the same kind; each rule's `applied`
 * follows its outcome and the first applying rule is the one that masks; a condition's
 * `holds` is its operator over its tests; a loser lost by a deeper tag exactly when the
 * depths differ; and the columns and rows are the same whatever order the policies are
 * listed in (law 2). Explaining never throws.
 * PROPERTY_RUNS=n runs n cases instead of the default.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/explain/explain.js";
import type { ConditionExplanation, Explanation } from "../../../src/explain/types.js";
import { parseBundle, type Bundle } from "../../../src/model/bundle.js";
import { bundleArb, type BundleObject } from "../../arbitraries/bundle.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || 150;

function parsed(obj: BundleObject): Bundle {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(b.issues.map((i) => i.message).join("\n"));
  return b.value;
}

function explained(b: Bundle, user: number): Explanation {
  const e = explain(b, { dataSource: 1, user });
  if (!e.ok) throw new Error(e.issues.map((i) => i.message).join("\n"));
  return e.value;
}

const APPLIES = new Set(["everyone", "not-excepted", "included"]);

function conditionLawHolds(c: ConditionExplanation | null): void {
  if (c === null || c.advanced || c.holds === null) return;
  const tests = c.items.map((i) => i.holds);
  expect(c.holds).toBe(c.operator === "any" ? tests.some(Boolean) : tests.every(Boolean));
}

describe("explain laws", () => {
  it("agrees with policyInfo, and with itself", () => {
    fc.assert(
      fc.property(bundleArb, (obj) => {
        const b = parsed(obj);
        const engine = createEngine(b);
        for (const u of b.users) {
          const e = explained(b, u.profileId);
          const info = engine.policyInfo({ dataSource: 1, user: u.profileId });
          if (!info.ok) throw new Error("policyInfo");
          expect(e.columns.filter((c) => c.mask !== null).map((c) => [c.column, c.mask!.actionType, c.mask!.metadata])).toEqual(
            info.value.masked.map((m) => [m.name, m.actionType, m.metadata]),
          );
          for (const c of e.columns) {
            const first = c.rules.find((r) => r.applied);
            expect(c.mask === null).toBe(first === undefined);
            if (first) expect(c.mask).toEqual(first.mask);
            expect(c.rules.filter((r) => r.applied).length).toBeLessThanOrEqual(1);
            for (const r of c.rules) {
              if (r.outcome !== "earlier-rule-applied") expect(r.applied).toBe(APPLIES.has(r.outcome) && r === first);
              conditionLawHolds(r.exceptions);
              conditionLawHolds(r.inclusions);
            }
            for (const l of c.lost) expect(l.because === "deeper-tag").toBe(l.depth !== c.depth);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("the order policies are listed in changes no column or row explanation (law 2)", () => {
    fc.assert(
      fc.property(
        bundleArb.chain((obj) => fc.tuple(fc.constant(obj), fc.shuffledSubarray(obj.globalPolicies, { minLength: obj.globalPolicies.length }))),
        ([obj, shuffled]) => {
          const a = parsed(obj);
          const b = parsed({ ...obj, globalPolicies: shuffled });
          for (const u of a.users) {
            const x = explained(a, u.profileId);
            const y = explained(b, u.profileId);
            expect(JSON.stringify(y.columns)).toBe(JSON.stringify(x.columns));
            expect(JSON.stringify(y.rows)).toBe(JSON.stringify(x.rows));
          }
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
