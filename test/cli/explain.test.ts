/**
 * `veil explain`: a table by default (the spec's default for explain), the Explanation
 * as JSON with `--format json`, the golden outputs byte for byte, and usage errors
 * (an unknown format lists the accepted ones) with exit 2 and nothing on stdout.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SEED = join(ROOT, "fixtures", "seed", "bundle.yaml");
const golden = (name: string) => readFileSync(join(ROOT, "fixtures", "explain", name), "utf8");

describe("veil explain", () => {
  it("prints the table by default: the golden text", () => {
    const out = runCli(["explain", SEED, "--data-source", "Web Sales", "--user", "2"]);
    expect(out).toEqual({ stdout: golden("seed-jane.txt"), stderr: "", code: 0 });
  });

  it("--format table is the default, spelled out", () => {
    expect(runCli(["explain", SEED, "--data-source", "16", "--user", "Jane", "--format", "table"]).stdout).toBe(golden("seed-jane.txt"));
  });

  it("--format json prints the Explanation", () => {
    const out = runCli(["explain", SEED, "--data-source", "16", "--user", "2", "--format", "json"]);
    expect(out).toEqual({ stdout: golden("seed-jane.json"), stderr: "", code: 0 });
  });

  it("--project and --now reach the evaluation", () => {
    const bundle = join(ROOT, "fixtures", "scenarios", "exceptions-by-purpose", "bundle.yaml");
    const out = runCli(["explain", bundle, "--data-source", "Patient Visits", "--user", "32", "--project", "31"]);
    expect(out.stdout).toBe(golden("exceptions-purpose-ben-override.txt"));
    const rows = join(ROOT, "fixtures", "scenarios", "rows-mixed-kinds", "bundle-v2.yaml");
    const lars = runCli(["explain", rows, "--data-source", "Loan Book", "--user", "Lars", "--now", "2024-09-01T00:00:00.000Z"]);
    expect(lars.stdout).toBe(golden("rows-mixed-lars.txt"));
  });

  it("a real corpus policy, from a folder bundle holding a byte-for-byte copy of it", () => {
    const folder = join(ROOT, "fixtures", "explain", "corpus", "pttep-13");
    expect(readFileSync(join(folder, "policy.json"), "utf8")).toBe(
      readFileSync(join(ROOT, "fixtures", "corpus", "pttep-13-entitlements-exceptions-where-attrfn.json"), "utf8"),
    );
    expect(readFileSync(join(ROOT, "fixtures", "explain", "corpus", "pttep-04", "policy.json"), "utf8")).toBe(
      readFileSync(join(ROOT, "fixtures", "corpus", "pttep-04-mask-constant-exceptions-attr-groups-domains.json"), "utf8"),
    );
    const out = runCli(["explain", folder, "--data-source", "Invoice receipt DEV", "--user", "olg-planner"]);
    expect(out).toEqual({ stdout: golden("corpus-pttep-13-olg-entitlements.txt"), stderr: "", code: 0 });
  });

  it("an unknown --format is a usage error listing the accepted values", () => {
    const out = runCli(["explain", SEED, "--data-source", "16", "--user", "2", "--format", "xml"]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain("table, json");
    expect(out.stderr).toContain("xml");
  });

  it("an unknown user is an input error naming it and the known users", () => {
    const out = runCli(["explain", SEED, "--data-source", "16", "--user", "nobody"]);
    expect(out).toEqual({ stdout: "", stderr: "error: user: unknown user `nobody`; known: 2 (Jane)\n", code: 2 });
  });

  it("a time policy without --now is an input error, as for policy-info", () => {
    const rows = join(ROOT, "fixtures", "scenarios", "rows-mixed-kinds", "bundle-v2.yaml");
    const out = runCli(["explain", rows, "--data-source", "Loan Book", "--user", "Lars"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("pass `now`");
  });

  it("--data-source and --user are required", () => {
    const out = runCli(["explain", SEED, "--user", "2"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("--data-source");
  });

  it("a bundle that does not load: exit 2, the loader's error", () => {
    const out = runCli(["explain", join(ROOT, "fixtures", "no-such-bundle.yaml"), "--data-source", "1", "--user", "1"]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr.startsWith("error: ")).toBe(true);
  });

  it("has help with an example", () => {
    const out = runCli(["explain", "--help"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("veil explain bundle.yaml");
    expect(out.stdout).toContain("--format <format>");
  });
});
