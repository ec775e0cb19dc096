/**
 * The package as a user installs it: `npm pack`, then an install into an empty project,
 * then an ESM import, a CJS require, a strict type check (`skipLibCheck: false`), and the
 * `veil` bin. Runs on the dist/ that `npm test` builds before vitest.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const golden = JSON.parse(readFileSync(join(ROOT, "fixtures/seed/jane.policyInfo.json"), "utf8"));

let dir = "";
let files: string[] = [];
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "veil-pack-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }));
  files = packed[0].files.map((f: { path: string }) => f.path);
  const app = join(dir, "app");
  mkdirSync(app);
  dir = app;
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  // Dependencies come from npm's cache where it has them (CI has just run `npm ci`).
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(app, "..", packed[0].filename)]);
  cpSync(join(ROOT, "fixtures/seed/bundle.yaml"), join(app, "bundle.yaml"));
}, 180_000);

afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

describe("the packed package", { timeout: 60_000 }, () => {
  it("ships the library builds, the CLI, the schema, the docs and the licence, and nothing else", () => {
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.cjs");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toContain("dist/index.d.cts");
    expect(files).toContain("dist/node.js");
    expect(files).toContain("dist/node.cjs");
    expect(files).toContain("dist/testing.js");
    expect(files).toContain("dist/testing.cjs");
    expect(files).toContain("dist/testing.d.ts");
    expect(files).toContain("dist/testing.d.cts");
    expect(files).toContain("dist/cli/main.js");
    expect(files).toContain("dist/bulk/worker.js");
    expect(files).toContain("dist/bundle.schema.json");
    expect(files).toContain("LICENSE");
    expect(files).toContain("docs/semantics.md");
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => /cli\/main\.cjs|worker\.cjs/.test(f))).toEqual([]);
  });

  it("works as an ESM import", () => {
    writeFileSync(
      join(dir, "esm.mjs"),
      `import { createEngine, formatIssue } from "veil-policy";
import { loadBundleFile } from "veil-policy/node";
const b = loadBundleFile("bundle.yaml");
if (!b.ok) throw new Error(b.issues.map(formatIssue).join("\\n"));
const info = createEngine(b.value).policyInfo({ dataSource: "Web Sales", user: 2 });
console.log(JSON.stringify(info.value));`,
    );
    expect(JSON.parse(run("node", ["esm.mjs"]))).toEqual(golden);
  });

  it("veil-policy/testing works as an ESM import and a CJS require: an assertion holds, and a failing one throws with explain's account", () => {
    writeFileSync(
      join(dir, "testing.mjs"),
      `import { loadBundleFile } from "veil-policy/node";
import { expectDecision, PolicyAssertionError } from "veil-policy/testing";
const b = loadBundleFile("bundle.yaml");
expectDecision(b, { user: 2, dataSource: "Web Sales" }).toMask("WS_SOLD_DATE_SK", "Nullify");
try {
  expectDecision(b, { user: 2, dataSource: "Web Sales" }).toShowColumn("WS_SOLD_DATE_SK");
} catch (e) {
  console.log(JSON.stringify({ isAssertion: e instanceof PolicyAssertionError, explained: e.message.includes("\\n\\nexplain:\\n") }));
}`,
    );
    expect(JSON.parse(run("node", ["testing.mjs"]))).toEqual({ isAssertion: true, explained: true });
    writeFileSync(
      join(dir, "testing.cjs"),
      `const { expectDecision } = require("veil-policy/testing");
const { loadBundleFile } = require("veil-policy/node");
expectDecision(loadBundleFile("bundle.yaml"), { user: 2, dataSource: "Web Sales" }).toMask("WS_BILL_CUSTOMER_SK");
console.log("ok");`,
    );
    expect(run("node", ["testing.cjs"]).trim()).toBe("ok");
  });

  it("works as a CJS require", () => {
    writeFileSync(
      join(dir, "cjs.cjs"),
      `const { createEngine } = require("veil-policy");
const { loadBundleFile, matrix } = require("veil-policy/node");
const b = loadBundleFile("bundle.yaml");
const info = createEngine(b.value).policyInfo({ dataSource: "Web Sales", user: 2 });
matrix(b.value, { workers: 2 }).then((m) => console.log(JSON.stringify({ info: info.value, groups: m.value.groups })));`,
    );
    const out = JSON.parse(run("node", ["cjs.cjs"]));
    expect(out.info).toEqual(golden);
    expect(out.groups).toBeGreaterThan(0);
  });

  it("type-checks in a consumer with skipLibCheck: false", () => {
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, skipLibCheck: false, noEmit: true, types: [] },
        files: ["check.ts"],
      }),
    );
    writeFileSync(
      join(dir, "check.ts"),
      `import { createEngine, parseBundle, type PolicyInfo, type Result } from "veil-policy";
import { loadBundleFile, type ThreadedBulkOptions } from "veil-policy/node";
import { expectDecision, type ExpectedChange } from "veil-policy/testing";
const b = loadBundleFile("bundle.yaml");
const change: ExpectedChange = { user: 2, dataSource: 16, change: "unmasked" };
expectDecision(b, { user: 2, dataSource: 16 }).not.toBeDenied();
const opts: ThreadedBulkOptions = { workers: 1 };
const r: Result<PolicyInfo> | undefined = b.ok ? createEngine(b.value).policyInfo({ dataSource: 16, user: 2 }) : undefined;
export { r, opts, parseBundle, change };`,
    );
    expect(() => run("node", [TSC, "-p", "tsconfig.json"])).not.toThrow();
  });

  it("runs the veil bin: --help and policy-info", () => {
    expect(run("npx", ["--no-install", "veil", "--help"])).toContain("policy-info");
    // The version is bundled into the CLI at build time.
    expect(run("npx", ["--no-install", "veil", "--version"])).toBe(`${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
    const out = run("npx", ["--no-install", "veil", "policy-info", "bundle.yaml", "--data-source", "Web Sales", "--user", "2"]);
    expect(JSON.parse(out)).toEqual(golden);
  });

  it("ships a bundle JSON Schema at veil-policy/bundle.schema.json", () => {
    const out = run("node", ["-e", `console.log(require.resolve("veil-policy/bundle.schema.json"))`]);
    const schema = JSON.parse(readFileSync(out.trim(), "utf8"));
    expect(schema.$schema).toContain("2020-12");
  });
});
