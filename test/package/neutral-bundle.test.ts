/**
 * The core runs anywhere: `veil-policy` (dist/index.js, built by `npm test` before vitest)
 * bundles with esbuild for the neutral platform, which resolves no Node built-in, and the
 * bundle evaluates the seed exactly as the source does.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

describe("the core bundled for a neutral platform", { timeout: 30_000 }, () => {
  it("builds with no Node built-in and evaluates the seed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "veil-neutral-"));
    const out = join(dir, "veil.mjs");
    const result = await build({
      entryPoints: [join(ROOT, "dist/index.js")],
      bundle: true,
      platform: "neutral",
      format: "esm",
      mainFields: ["module", "main"],
      outfile: out,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const veil = (await import(pathToFileURL(out).href)) as typeof import("../../src/index.js");
    const text = readFileSync(join(ROOT, "fixtures/seed/bundle.yaml"), "utf8");
    const bundle = veil.loadBundleTexts([{ file: "bundle.yaml", text }]);
    if (!bundle.ok) throw new Error(bundle.issues.map(veil.formatIssue).join("\n"));
    const info = veil.createEngine(bundle.value).policyInfo({ dataSource: "Web Sales", user: 2 });
    expect(info.ok).toBe(true);
    const golden = JSON.parse(readFileSync(join(ROOT, "fixtures/seed/jane.policyInfo.json"), "utf8"));
    expect(info.ok && info.value).toEqual(golden);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("veil-policy/node bundled into one CommonJS file", { timeout: 30_000 }, () => {
  it("runs matrix with workers requested: no worker script beside it, so it runs in this thread", async () => {
    const dir = mkdtempSync(join(tmpdir(), "veil-cjs-"));
    const out = join(dir, "app.cjs");
    const result = await build({
      entryPoints: [join(ROOT, "dist/node.cjs")],
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: out,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const { createRequire } = await import("node:module");
    const veil = createRequire(import.meta.url)(out) as typeof import("../../src/node.js");
    const unwrap = veil.unwrap;
    const bundle = veil.loadBundleFile(join(ROOT, "fixtures/scenarios/circumstance-operators/bundle.yaml"));
    if (!bundle.ok) throw new Error(bundle.issues.map(veil.formatIssue).join("\n"));
    const threaded = unwrap(await veil.matrix(bundle.value, { workers: 2 }));
    const inline = unwrap(await veil.matrix(bundle.value, { workers: 1 }));
    expect(threaded.dataSources.length).toBeGreaterThan(1);
    expect([...threaded.masked]).toEqual([...inline.masked]);
    expect([...threaded.rows]).toEqual([...inline.rows]);
    rmSync(dir, { recursive: true, force: true });
  });
});
