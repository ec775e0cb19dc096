/**
 * Hostile input, part 1: a structural mutation fuzzer over every fixture bundle (the
 * seed, each scenario's bundle*.{yaml,json}, and each corpus policy in JSON and YAML,
 * wrapped in a bundle by test/arbitraries/fixtures.ts), one property per family of
 * mutation (test/arbitraries/mutation.ts):
 * - deleted keys and array items;
 * - values swapped for another JSON type (and NaN, ±0, Infinity, 1e13, 2^53+2);
 * - `__proto__`, `constructor`, `prototype`, `hasOwnProperty`, `toString`, `valueOf` as
 *   keys (with pollution payloads), as renamed keys, as names, inside SQL string
 *   literals and as array items;
 * - NUL and lone surrogates spliced into strings;
 * - duplicated array items and ids;
 * - unknown spellings of enum values (case, spaces, zero-width space, homoglyphs, NUL…).
 * The bombs (huge strings and arrays, deep nesting) and mixed cases are in
 * fuzz-bombs.prop.test.ts.
 *
 * For each mutant (test/arbitraries/exercise.ts): parseBundle and, when it accepts, every
 * report (policyInfo, visibilityReport, currentUserVisibilityReport) for every user ×
 * data source with `now` given, then loadBundleTexts on the mutant as JSON and as YAML.
 * Properties: nothing throws; every result is a Result whose issues each have a code, a
 * path array and a message (and none is an internal error); no built-in prototype gains
 * or changes an own property; each case finishes within CASE_MS. A failure message
 * names the fixture and the mutations in words.
 *
 * Shrinking goes to the smallest fixture (they are sorted by size) and the fewest,
 * simplest mutations. PROPERTY_RUNS=n runs n cases per property instead of the defaults
 * below (1,000 in all); PROPERTY_SEED fixes the seed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import { checkResult, exercise, fuzzCase, NOW } from "../arbitraries/exercise.js";
import { fixtureBundles } from "../arbitraries/fixtures.js";
import { families, familyOps, prototypeChanges, restorePrototypes, snapshotPrototypes } from "../arbitraries/mutation.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || undefined;
const SEED = process.env["PROPERTY_SEED"] ? Number(process.env["PROPERTY_SEED"]) : undefined;

/** Smallest first, so shrinking the fixture index shrinks the bundle. */
const FIXTURES = fixtureBundles().sort((a, b) => JSON.stringify(a.bundle).length - JSON.stringify(b.bundle).length);
const PROTOTYPES = snapshotPrototypes();

const DEFAULT_RUNS: Record<keyof typeof families, number> = {
  "deleted keys": 150,
  "swapped types": 150,
  "prototype names": 300,
  "NUL and lone surrogates": 100,
  "duplicated ids": 100,
  "unknown enum values": 200,
};

describe("structural mutation fuzzer over the fixture bundles", () => {
  it(`loads ${FIXTURES.length} fixtures, each of which parses and evaluates unmutated`, () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(90);
    for (const fx of FIXTURES) {
      const r = parseBundle(structuredClone(fx.bundle));
      expect(r.ok, `${fx.name}: ${JSON.stringify(r.ok ? [] : r.issues)}`).toBe(true);
      if (!r.ok) continue;
      const engine = createEngine(r.value);
      for (const ds of r.value.dataSources)
        for (const u of r.value.users) {
          const info = engine.policyInfo({ dataSource: ds.id, user: u.profileId, now: NOW });
          expect(info.ok, `${fx.name} ${ds.id}/${u.profileId}: ${JSON.stringify(info.ok ? [] : info.issues)}`).toBe(true);
        }
    }
  });

  it("the checks catch what they look for: a throw, a malformed issue, a pollution", () => {
    const throwing = {
      get users(): never {
        throw new Error("boom");
      },
    };
    expect(() => exercise(throwing)).toThrow(/parseBundle threw Error: boom/);
    expect(() => checkResult({ ok: false, issues: [{ code: "invalid_input", path: "users.0", message: "x" }] }, "r")).toThrow(/malformed issue \(path\)/);
    expect(() => checkResult({ ok: false, issues: [{ code: "internal_error", path: [], message: "x" }] }, "r")).toThrow(/internal error/);
    (Object.prototype as Record<string, unknown>)["polluted"] = "yes";
    try {
      expect(prototypeChanges(PROTOTYPES)).toEqual(['Object.prototype gained own key "polluted"', '({}).polluted is "yes"']);
    } finally {
      restorePrototypes(PROTOTYPES);
    }
    expect(prototypeChanges(PROTOTYPES)).toEqual([]);
  });

  for (const name of Object.keys(families) as (keyof typeof families)[]) {
    it(`${name}: nothing throws or hangs, every issue is {code, path, message}, no prototype changes`, { timeout: 600_000 }, () => {
      fc.assert(
        fc.property(fc.nat({ max: FIXTURES.length - 1 }), familyOps(name), (fixture, ops) => fuzzCase(FIXTURES[fixture]!, ops, PROTOTYPES)),
        { numRuns: RUNS ?? DEFAULT_RUNS[name], ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
    });
  }
});
