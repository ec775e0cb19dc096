/**
 * Laws of policy test expectations (src/testing/check.ts), over every fixture bundle,
 * user and data source: the expectation written from what a user gets holds; changing
 * any one part of it makes exactly that part fail. So a test passes exactly when the
 * decision is what it says.
 */
import { fc, it } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { createEngine, parseBundle, type Bundle } from "../../../src/index.js";
import { checkOutcome, outcomeOf, type Outcome } from "../../../src/testing/check.js";
import { ExpectationSchema, type Expectation } from "../../../src/testing/schema.js";
import { fixtureBundles } from "../../arbitraries/fixtures.js";

const NOW = "2024-06-30T12:00:00Z";

/** Every (bundle, user, source) of the fixtures whose request succeeds, with its outcome. */
const CELLS: { name: string; bundle: Bundle; user: number; dataSource: number; outcome: Outcome }[] = [];
for (const fx of fixtureBundles()) {
  const b = parseBundle(fx.bundle);
  if (!b.ok) continue;
  const engine = createEngine(b.value);
  for (const u of b.value.users)
    for (const ds of b.value.dataSources) {
      const r = outcomeOf(engine, { user: u.profileId, dataSource: ds.id, now: NOW });
      if (r.ok) CELLS.push({ name: fx.name, bundle: b.value, user: u.profileId, dataSource: ds.id, outcome: r.outcome });
    }
}

/** The expectation that says everything about an outcome. */
function fullExpectation(o: Outcome, columns: readonly string[]): Expectation {
  const masked = Object.fromEntries(o.policyInfo.masked.map((m) => [m.name, m.actionType]));
  return {
    masked,
    unmasked: columns.filter((c) => !(c in masked)),
    visibilities: o.policyInfo.visibilities,
    rows: o.rows,
    denied: o.denied !== null,
    policyInfo: o.policyInfo as unknown as Record<string, unknown>,
  };
}

const columnsOf = (c: (typeof CELLS)[number]) => c.bundle.dataSources.find((d) => d.id === c.dataSource)!.columns.map((x) => x.name);

describe("policy test expectations", () => {
  it("cover many cells of the fixtures", () => {
    expect(CELLS.length).toBeGreaterThan(100);
    expect(CELLS.some((c) => c.outcome.denied !== null)).toBe(true);
    expect(CELLS.some((c) => c.outcome.policyInfo.visibilities.length > 1)).toBe(true);
  });

  it.prop([fc.constantFrom(...CELLS)], { numRuns: 300 })("the expectation written from the outcome holds, and is a valid test expectation", (c) => {
    const e = fullExpectation(c.outcome, columnsOf(c));
    expect(ExpectationSchema.safeParse(e).success).toBe(true);
    expect(checkOutcome(c.outcome, e)).toEqual([]);
  });

  it.prop([fc.constantFrom(...CELLS), fc.nat()], { numRuns: 300 })("changing one part of it fails exactly that part", (c, pick) => {
    const full = fullExpectation(c.outcome, columnsOf(c));
    const rows = (["all", "filtered", "none"] as const).filter((r) => r !== c.outcome.rows);
    const edits: [string, Expectation][] = [
      ["rows", { rows: rows[pick % 2]! }],
      ["denied", { denied: c.outcome.denied === null }],
      ["visibilities", { visibilities: [...c.outcome.policyInfo.visibilities, { NO_SUCH_COLUMN: "x" }] }],
      ["policyInfo", { policyInfo: { ...c.outcome.policyInfo, visibilityRuleApplies: !c.outcome.policyInfo.visibilityRuleApplies } }],
    ];
    const masked = c.outcome.policyInfo.masked;
    if (masked.length > 0) {
      const m = masked[pick % masked.length]!;
      edits.push([`masked.${m.name}`, { masked: { [m.name]: m.actionType === "Hashing" ? "Nullify" : "Hashing" } }]);
      edits.push([`unmasked.${m.name}`, { unmasked: [m.name] }]);
    }
    const clear = full.unmasked!;
    if (clear.length > 0) edits.push([`masked.${clear[pick % clear.length]!}`, { masked: { [clear[pick % clear.length]!]: "any" } }]);
    const [check, edit] = edits[pick % edits.length]!;
    const failures = checkOutcome(c.outcome, { ...full, ...edit });
    expect(failures.map((f) => f.check)).toEqual([check]);
  });
});
