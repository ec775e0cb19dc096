/**
 * Hostile input, part 2: the bombs of the structural mutation fuzzer
 * (fuzz-bundle.prop.test.ts has the cheap families and the full list of checks), over
 * every fixture bundle, one per case and applied last:
 * - huge strings: 100,000 characters (`a`, spaces, or the value itself repeated),
 *   preferably in SQL, regex and expression fields;
 * - huge arrays: an array's items repeated to 3,000 (big items up to 150 kB of JSON);
 * - deep nesting: a value wrapped 3,000 levels deep in arrays or objects, or an
 *   expression in 3,000 parentheses or NOTs;
 * and a mixed property: 1–3 cheap mutations, sometimes followed by one bomb.
 *
 * Same properties: nothing throws, every issue is {code, path, message}, no prototype
 * changes, and each case finishes within CASE_MS (the bound that keeps "nothing hangs"
 * checkable). PROPERTY_RUNS=n runs n cases per property instead of the defaults below
 * (400 in all); PROPERTY_SEED fixes the seed.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { fuzzCase } from "../arbitraries/exercise.js";
import { fixtureBundles } from "../arbitraries/fixtures.js";
import { familyOps, mixedOps, snapshotPrototypes, type Op } from "../arbitraries/mutation.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || undefined;
const SEED = process.env["PROPERTY_SEED"] ? Number(process.env["PROPERTY_SEED"]) : undefined;

const FIXTURES = fixtureBundles().sort((a, b) => JSON.stringify(a.bundle).length - JSON.stringify(b.bundle).length);
const PROTOTYPES = snapshotPrototypes();

const properties: [string, fc.Arbitrary<Op[]>, number][] = [
  ["huge strings", familyOps("huge strings"), 60],
  ["huge arrays", familyOps("huge arrays"), 40],
  ["deep nesting", familyOps("deep nesting"), 60],
  ["mixed", mixedOps, 240],
];

describe("structural mutation fuzzer: huge and deep values", () => {
  for (const [name, ops, runs] of properties) {
    it(`${name}: nothing throws or hangs, every issue is {code, path, message}, no prototype changes`, { timeout: 600_000 }, () => {
      fc.assert(
        fc.property(fc.nat({ max: FIXTURES.length - 1 }), ops, (fixture, o) => fuzzCase(FIXTURES[fixture]!, o, PROTOTYPES)),
        { numRuns: RUNS ?? runs, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
    });
  }
});
