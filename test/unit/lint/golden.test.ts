/**
 * Golden lint reports: every fixture bundle (seed, scenarios, the corpus, the lint
 * fixtures) linted, and the JSON report compared byte for byte with
 * fixtures/lint/golden/. UPDATE_GOLDEN=1 rewrites them; review every diff it makes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundleFile } from "../../../src/io/load.js";
import { lint } from "../../../src/lint/index.js";

const update = process.env["UPDATE_GOLDEN"] === "1";
const FIXTURES = join(import.meta.dirname, "../../../fixtures");
const GOLDEN = join(FIXTURES, "lint", "golden");

const files = (dir: string, keep: (name: string) => boolean) =>
  readdirSync(join(FIXTURES, dir))
    .filter(keep)
    .sort()
    .map((f) => `${dir}/${f}`);

/** Every bundle the fixtures hold, relative to fixtures/. */
const BUNDLES = [
  "seed/bundle.yaml",
  ...readdirSync(join(FIXTURES, "scenarios"))
    .sort()
    .flatMap((d) => files(`scenarios/${d}`, (f) => /^bundle.*\.(ya?ml|json)$/.test(f))),
  ...files("corpus", (f) => f.endsWith(".json")),
  ...files("corpus/yaml", (f) => f.endsWith(".yaml")),
  ...files("lint", (f) => /\.(ya?ml|json)$/.test(f)),
];

const goldenName = (bundle: string) => `${bundle.replaceAll("/", "__")}.lint.json`;

describe("golden lint reports", () => {
  it("finds the fixtures", () => {
    expect(BUNDLES.length).toBeGreaterThan(90);
  });

  it.each(BUNDLES)("%s", (bundle) => {
    const b = loadBundleFile(join(FIXTURES, bundle));
    if (!b.ok) throw new Error(JSON.stringify(b.issues));
    const actual = `${JSON.stringify(lint(b.value), null, 2)}\n`;
    const file = join(GOLDEN, goldenName(bundle));
    if (update) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(existsSync(file), `${relative(FIXTURES, file)} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(readFileSync(file, "utf8"));
  });

  it("keeps no golden file whose bundle is gone", () => {
    const expected = new Set(BUNDLES.map(goldenName));
    expect(readdirSync(GOLDEN).filter((f) => !expected.has(f))).toEqual([]);
  });

  it("lints a policy's v1 and V2 forms alike (twins under scenarios/ and corpus/yaml)", () => {
    const twins = BUNDLES.filter((b) => b.endsWith("/bundle-v1.json")).map((v1) => [v1, v1.replace("bundle-v1.json", "bundle-v2.yaml")] as const);
    expect(twins.length).toBeGreaterThan(10);
    for (const [v1, v2] of twins) {
      const read = (f: string) => JSON.parse(readFileSync(join(GOLDEN, goldenName(f)), "utf8"));
      expect(read(v1), v1).toEqual(read(v2));
    }
    for (const y of BUNDLES.filter((b) => b.startsWith("corpus/yaml/"))) {
      const json = y.replace("corpus/yaml/", "corpus/").replace(/\.yaml$/, ".json");
      expect(readFileSync(join(GOLDEN, goldenName(y)), "utf8"), y).toBe(readFileSync(join(GOLDEN, goldenName(json)), "utf8"));
    }
  });
});
