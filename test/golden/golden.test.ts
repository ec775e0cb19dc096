import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { loadBundleFile } from "../../src/io/load.js";
import { FIXTURES, readScenario, scenarioDirs } from "./scenario.js";

// UPDATE_GOLDEN=1 rewrites expected files; review every diff it makes before committing.
const update = process.env["UPDATE_GOLDEN"] === "1";
const dirs = scenarioDirs();

describe("golden fixtures", () => {
  it("finds the scenarios", () => {
    expect(dirs.length).toBeGreaterThanOrEqual(13);
  });

  for (const dir of dirs) {
    const scenario = readScenario(dir);
    describe(relative(FIXTURES, dir), () => {
      for (const bundleFile of scenario.bundles) {
        for (const c of scenario.cases) {
          it(`${bundleFile} · ${c.name}`, () => {
            const bundle = loadBundleFile(join(dir, bundleFile));
            if (!bundle.ok) throw new Error(bundle.issues.map((i) => `${i.file}: ${i.path.join(".")}: ${i.message}`).join("\n"));
            const engine = createEngine(bundle.value);
            const request = { dataSource: c.dataSource, user: c.user, projectId: c.projectId ?? null, ...(c.now ? { now: c.now } : {}) };
            const r = engine.policyInfo(request);
            if (c.expectError !== undefined) {
              expect(r.ok).toBe(false);
              if (!r.ok) expect(r.issues[0]!.message).toContain(c.expectError);
              return;
            }
            expect(c.expect ?? c.expectVisibilityReport).toBeDefined();
            const check = (value: unknown, name: string) => {
              const actual = JSON.stringify(value, null, 2) + "\n";
              const file = join(dir, name);
              if (update && bundleFile === scenario.bundles[0]) writeFileSync(file, actual);
              // Byte comparison: key order is part of Immuta's output.
              expect(actual).toBe(readFileSync(file, "utf8"));
            };
            if (c.expect !== undefined) {
              if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
              check(r.value, c.expect);
            }
            if (c.expectVisibilityReport !== undefined) {
              const v = c.currentUser ? engine.currentUserVisibilityReport(request) : engine.visibilityReport(request);
              if (!v.ok) throw new Error(v.issues.map((i) => i.message).join("\n"));
              check(v.value, c.expectVisibilityReport);
            }
          });
        }
      }
    });
  }
});
