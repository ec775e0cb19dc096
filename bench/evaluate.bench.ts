/**
 * Decision speed on the seed and on a generated catalog slice. Numbers go in notes,
 * never into assertions. Run with `npm run bench`.
 */
import fc from "fast-check";
import { bench, describe } from "vitest";
import { createEngine } from "../src/engine.js";
import { loadBundleFile } from "../src/io/load.js";
import { parseBundle } from "../src/model/bundle.js";
import { bundleArb } from "../test/arbitraries/bundle.js";

const seed = loadBundleFile("fixtures/seed/bundle.yaml");
if (!seed.ok) throw new Error("seed must load");
const seedEngine = createEngine(seed.value);

// A fixed sample of generated bundles (seeded), so every run measures the same work.
const generated = fc.sample(bundleArb, { seed: 42, numRuns: 50 }).map((obj) => {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error("generated bundles are valid");
  return b.value;
});

describe("policyInfo", () => {
  bench("seed: policyInfo (cached plan, user prepared per call)", () => {
    seedEngine.policyInfo({ dataSource: 16, user: 2 });
  });
  bench("generated: engine + plan + policyInfo for 3 users (cold)", () => {
    for (const b of generated) {
      const e = createEngine(b);
      for (const u of b.users) e.policyInfo({ dataSource: 1, user: u.profileId });
    }
  });
});
