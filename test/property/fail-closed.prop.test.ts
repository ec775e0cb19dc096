/**
 * Law 5, fail closed (semantics "Fail closed", "Laws"), over every fixture bundle and over
 * generated bundles: replacing a known rule or action type, condition type, masking
 * type, circumstance type, field selector, entitlement match type or operator of an
 * active policy with an unknown spelling (test/arbitraries/unknowns.ts: case changes,
 * spaces, a zero-width space, a homoglyph, NUL, empty, a prefix, "Unknown", prototype
 * names) never shows any user more than before. Either parseBundle rejects the mutant
 * with an issue inside that policy, or, for every user × data source, the mutant's
 * policyInfo masks every column masked before (and no more conditionally), keeps every
 * row filter (custom WHERE conjuncts, visibilities ⊆, minimization, time window), or
 * shows no rows at all (`customWhere: false`); an evaluation error shows nothing.
 *
 * The fixtures are checked by a property (shrinking to the smallest fixture) and, since
 * there are only some 17,000 (site, spelling) pairs, exhaustively too.
 *
 * The comparison is checked to catch a reveal: removing every policy of a fixture with a
 * restriction must be reported as one.
 *
 * PROPERTY_RUNS=n runs n cases per property instead of the defaults; PROPERTY_SEED fixes the seed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import type { PolicyInfo } from "../../src/report/policy-info.js";
import { bundleArb } from "../arbitraries/bundle.js";
import { call, describeError, NOW } from "../arbitraries/exercise.js";
import { fixtureBundles, type Raw } from "../arbitraries/fixtures.js";
import { fmtPath } from "../arbitraries/mutation.js";
import { activeSites, replaceSite, reveals, UNKNOWN_VARIANTS, type Site, type UnknownVariant } from "../arbitraries/unknowns.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || undefined;
const SEED = process.env["PROPERTY_SEED"] ? Number(process.env["PROPERTY_SEED"]) : undefined;
const seedOption = SEED !== undefined ? { seed: SEED } : {};

type Infos = Map<string, PolicyInfo | null>;

/** policyInfo for every data source × user (null: an evaluation error, which shows nothing). */
function infos(bundle: unknown): Infos | { issues: unknown[] } {
  const b = call("parseBundle", () => parseBundle(bundle));
  if (!b.ok) return { issues: [...b.issues] };
  const engine = createEngine(b.value);
  const out: Infos = new Map();
  for (const ds of b.value.dataSources)
    for (const u of b.value.users) {
      const r = call(`policyInfo(${ds.id}, ${u.profileId})`, () => engine.policyInfo({ dataSource: ds.id, user: u.profileId, now: NOW }));
      out.set(`data source ${ds.id}, user ${u.profileId}`, r.ok ? r.value : null);
    }
  return out;
}

/** Why the mutant breaks the law (null: it does not). */
function failClosed(before: Infos, site: Site, mutant: Raw): string | null {
  let after: ReturnType<typeof infos>;
  try {
    after = infos(mutant);
  } catch (e) {
    return (e as Error).message;
  }
  if (!(after instanceof Map)) {
    const inside = (after.issues as { path: (string | number)[] }[]).some((i) => site.policy.every((k, n) => i.path[n] === k));
    return inside ? null : `rejected, but no issue points inside ${fmtPath(site.policy)}: ${JSON.stringify(after.issues).slice(0, 300)}`;
  }
  for (const [cell, was] of before) {
    const is = after.get(cell);
    if (was === null || is === null) continue;
    if (is === undefined) return `${cell} is gone`;
    const why = reveals(was, is);
    if (why) return `accepted, and for ${cell}: ${why}`;
  }
  return null;
}

/** Smallest first, so shrinking the index shrinks the fixture. */
const FIXTURES = fixtureBundles()
  .sort((a, b) => JSON.stringify(a.bundle).length - JSON.stringify(b.bundle).length)
  .map((fx) => {
    const before = infos(fx.bundle);
    if (!(before instanceof Map)) throw new Error(`${fx.name} does not parse`);
    return { ...fx, before, sites: activeSites(fx.bundle) };
  })
  .filter((fx) => fx.sites.length > 0);

const variant = fc.constantFrom<UnknownVariant>(...UNKNOWN_VARIANTS);

describe("law 5: an unknown type in an active policy never shows anyone more", () => {
  it("the fixtures have sites of every kind", () => {
    const kinds = new Set(FIXTURES.flatMap((fx) => fx.sites.map((s) => s.kind)));
    expect([...kinds].sort()).toEqual(
      ["action type", "circumstance type", "condition type", "entitlement match type", "field selector", "masking type", "operator", "rule type"].sort(),
    );
  });

  it(`over the fixture bundles (${FIXTURES.length} with active policies)`, { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(fc.nat({ max: FIXTURES.length - 1 }), fc.nat(), variant, (fi, si, v) => {
        const fx = FIXTURES[fi]!;
        const site = fx.sites[si % fx.sites.length]!;
        const m = replaceSite(fx.bundle, site, v);
        if (!m) return;
        const why = failClosed(fx.before, site, m.bundle);
        if (why) throw new Error(`${fx.name} with ${m.did}\n  → ${why}`);
      }),
      { numRuns: RUNS ?? 1200, ...seedOption },
    );
  });

  it("exhaustively: every site of every fixture × every unknown spelling", { timeout: 600_000 }, () => {
    const failures: string[] = [];
    let cases = 0;
    for (const fx of FIXTURES)
      for (const site of fx.sites)
        for (const v of UNKNOWN_VARIANTS) {
          const m = replaceSite(fx.bundle, site, v);
          if (!m) continue;
          cases++;
          const why = failClosed(fx.before, site, m.bundle);
          if (why) failures.push(`${fx.name} with ${m.did}\n  → ${why}`);
        }
    expect(cases).toBeGreaterThan(10_000);
    expect(failures.slice(0, 20), `${failures.length} of ${cases} cases break the law; the first 20:`).toEqual([]);
  });

  it("over generated bundles (test/arbitraries/bundle.ts)", { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(bundleArb, fc.nat(), variant, (obj, si, v) => {
        const bundle = obj as unknown as Raw;
        const sites = activeSites(bundle);
        if (sites.length === 0) return;
        const site = sites[si % sites.length]!;
        const m = replaceSite(bundle, site, v);
        if (!m) return;
        const before = infos(bundle);
        if (!(before instanceof Map)) throw new Error(`the generated bundle does not parse: ${JSON.stringify(before.issues)}`);
        const why = failClosed(before, site, m.bundle);
        if (why) throw new Error(`generated bundle with ${m.did}\n  → ${why}`);
      }),
      { numRuns: RUNS ?? 400, ...seedOption },
    );
  });

  it("the comparison catches a reveal: removing every policy of a fixture that restricts someone is one", () => {
    let restricting = 0;
    for (const fx of fixtureBundles()) {
      const before = infos(fx.bundle);
      if (!(before instanceof Map)) throw new Error(`${fx.name} does not parse`);
      const restricts = [...before.values()].some(
        (i) => i !== null && (i.masked.length > 0 || i.visibilityRuleApplies || Object.keys(i.additionalFilters).length > 0),
      );
      if (!restricts) continue;
      restricting++;
      const bare = structuredClone(fx.bundle);
      bare["globalPolicies"] = [];
      for (const ds of (bare["dataSources"] as Raw[] | undefined) ?? []) delete ds["policyHandler"];
      const after = infos(bare);
      if (!(after instanceof Map)) throw new Error(`${fx.name} without policies does not parse: ${describeError(after)}`);
      const caught = [...before].some(([cell, was]) => was !== null && after.get(cell) && reveals(was, after.get(cell)!) !== null);
      expect(caught, fx.name).toBe(true);
    }
    expect(restricting).toBeGreaterThan(50);
  });
});
