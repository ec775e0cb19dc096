/**
 * `veil test <dir|file>` on the example suite (fixtures/policy-tests/example, passes) and
 * on its deliberately broken copy (fixtures/policy-tests/broken: the e-mail policy's
 * exception names a group nobody is in), which must fail with exit 1 and explain's
 * account of each failed decision.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLE = "fixtures/policy-tests/example";
const BROKEN = "fixtures/policy-tests/broken";
const tmp = mkdtempSync(join(tmpdir(), "veil-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Paths as a user in the repository root writes them (vitest runs there). */
const veil = (...args: string[]) => runCli(args);

describe("the example suite", () => {
  it("passes: every case PASS, exit 0", () => {
    const out = veil("test", EXAMPLE);
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 0, stderr: "" });
    expect(out.stdout).not.toContain("FAIL");
    expect(out.stdout.match(/^ {2}PASS {2}/gm)).toHaveLength(10);
    expect(out.stdout.endsWith("10 of 10 cases passed\n")).toBe(true);
    // Files in name order, each with its cases in the order written.
    expect(out.stdout.split("\n").filter((l) => !l.startsWith(" "))).toEqual([
      `${EXAMPLE}/claims.test.yaml`,
      `${EXAMPLE}/customers.test.yaml`,
      `${EXAMPLE}/orders.test.yaml`,
      "10 of 10 cases passed",
      "",
    ]);
  });

  it("one file runs on its own", () => {
    const out = veil("test", `${EXAMPLE}/claims.test.yaml`);
    expect(out).toEqual({
      stdout: [
        `${EXAMPLE}/claims.test.yaml`,
        "  PASS  Cleo works under Claims Review and is not denied",
        "  PASS  Dan's current project (Marketing) does not carry the purpose",
        "  PASS  Dan under the Claims Ops project meets it",
        "3 of 3 cases passed",
        "",
      ].join("\n"),
      stderr: "",
      code: 0,
    });
  });

  it("--quiet prints only the summary when everything passes", () => {
    expect(veil("test", EXAMPLE, "--quiet")).toEqual({ stdout: "10 of 10 cases passed\n", stderr: "", code: 0 });
  });
});

describe("the broken copy", () => {
  const out = veil("test", BROKEN);

  it("fails with exit 1, naming each failed case and what did not hold", () => {
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 1, stderr: "" });
    expect(out.stdout.match(/^ {2}FAIL {2}.*$/gm)).toEqual([
      "  FAIL  Ben (Privacy) reads e-mail addresses in clear",
      "  FAIL  a Privacy member in the EU group, who is not in the bundle",
      "  FAIL  Ben's Privacy exception covers e-mails, not totals",
    ]);
    expect(out.stdout).toContain("        EMAIL: expected in clear, got a Hashing mask\n");
    expect(out.stdout).toContain("        CUSTOMER_EMAIL: expected in clear, got a Hashing mask\n");
    expect(out.stdout.endsWith("7 of 10 cases passed, 3 failed\n")).toBe(true);
  });

  it("shows explain's account under each failure: the policy, and the exception that does not hold", () => {
    const blocks = out.stdout.split(/^ {2}(?=PASS|FAIL)/m).filter((b) => b.startsWith("FAIL"));
    expect(blocks).toHaveLength(3);
    for (const b of blocks) {
      expect(b).toContain("        explain:\n");
      expect(b).toContain('"Hash e-mail addresses"');
      // The exception that does not hold (explain's wording is its own).
      expect(b).toMatch(/exceptions.*`Privacy Team`/);
    }
    // Passed cases are not explained.
    const passed = out.stdout.split(/^ {2}(?=PASS|FAIL)/m).filter((b) => b.startsWith("PASS"));
    for (const b of passed) expect(b).not.toContain("explain:");
  });

  it("--quiet lists only the failed cases (with their explanation) and the summary", () => {
    const quiet = veil("test", BROKEN, "--quiet");
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toContain("PASS");
    expect(quiet.stdout.match(/FAIL/g)).toHaveLength(3);
    expect(quiet.stdout).toContain("explain:");
  });

  it("--format json is the report as data, with the explanation", () => {
    const json = veil("test", BROKEN, "--format", "json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      passed: number;
      failed: number;
      files: { file: string; cases: { passed: boolean; failures: unknown[]; explanation?: string }[] }[];
    };
    expect({ passed: report.passed, failed: report.failed }).toEqual({ passed: 7, failed: 3 });
    const failed = report.files.flatMap((f) => f.cases.filter((c) => !c.passed));
    expect(failed[0]!.failures).toEqual([
      { check: "unmasked.EMAIL", expected: "clear", actual: "Hashing", message: "EMAIL: expected in clear, got a Hashing mask" },
    ]);
    expect(failed.every((c) => c.explanation?.includes("Privacy Team"))).toBe(true);
  });

  it("exits 1 in the real process too", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "test", BROKEN], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(out.stdout);
  }, 60_000);
});

describe("invalid test files exit 2 and run nothing", () => {
  const write = (name: string, text: string) => {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a.test.yaml"), text);
    return dir;
  };
  const bundle = join(ROOT, "fixtures", "seed", "bundle.yaml");

  it("a misspelt expectation key is named with its path and the file", () => {
    const dir = write("typo", `bundle: ${bundle}\ncases:\n  - { name: x, user: 2, dataSource: 16, expect: { maskd: { A: Hashing } } }\n`);
    const out = runCli(["test", dir]);
    expect(out).toEqual({ stdout: "", stderr: `error: ${join(dir, "a.test.yaml")}: cases[0].expect.maskd: unknown key \`maskd\`\n`, code: 2 });
  });

  it("an expectation that checks nothing is an error, not a pass", () => {
    const out = runCli(["test", write("empty", `bundle: ${bundle}\ncases:\n  - { name: x, user: 2, dataSource: 16, expect: {} }\n`)]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("cases[0].expect: an expectation needs at least one of: masked, unmasked");
  });

  it("a rows value outside the set lists the accepted ones", () => {
    const out = runCli(["test", write("rows", `bundle: ${bundle}\ncases:\n  - { name: x, user: 2, dataSource: 16, expect: { rows: some } }\n`)]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/cases\[0\]\.expect\.rows: .*"all"\|"filtered"\|"none"/);
  });

  it("a bundle that does not load is reported with its own file", () => {
    const out = runCli(["test", write("nobundle", "bundle: missing.yaml\ncases:\n  - { name: x, user: 2, dataSource: 16, expect: { rows: all } }\n")]);
    expect(out).toEqual({ stdout: "", stderr: `error: ${join(tmp, "nobundle", "missing.yaml")}: cannot read: no such file or folder (ENOENT)\n`, code: 2 });
  });

  it("an inline bundle's problems are under `bundle`", () => {
    const out = runCli([
      "test",
      write("inline", "bundle: { users: [{ profileId: x }] }\ncases:\n  - { name: x, user: 2, dataSource: 16, expect: { rows: all } }\n"),
    ]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: .*a\.test\.yaml: bundle\.users\[0\]\.profileId: /);
  });

  it("a folder without test files, and a missing path", () => {
    mkdirSync(join(tmp, "none"));
    expect(runCli(["test", join(tmp, "none")]).stderr).toBe(`error: ${join(tmp, "none")}: no *.test.yaml, *.test.yml or *.test.json files under this folder\n`);
    expect(runCli(["test", join(tmp, "nope")]).stderr).toContain("cannot read: no such file or folder (ENOENT)");
  });

  it("--error-format json applies", () => {
    const line = "  - { name: x, user: 2, dataSource: 16, expect: { maskd: {} } }";
    const dir = write("json", `bundle: ${bundle}\ncases:\n${line}\n`);
    const issues = JSON.parse(runCli(["test", dir, "--error-format", "json"]).stderr) as unknown[];
    const column = line.indexOf("maskd") + 1;
    expect(issues).toEqual([
      { code: "invalid_input", path: ["cases", 0, "expect", "maskd"], message: "unknown key `maskd`", file: join(dir, "a.test.yaml"), line: 3, column },
    ]);
  });
});

describe("now", () => {
  it("the file's now applies to every case without its own; without any, a time policy is an error", () => {
    const dir = join(tmp, "time");
    mkdirSync(dir);
    const bundle = join(ROOT, "fixtures", "scenarios", "rows-time-newer", "bundle-v2.yaml");
    const cases = [
      "  - { name: with the file's now, user: Tom, dataSource: Web Events, expect: { rows: filtered } }",
      "  - { name: with its own, user: Tom, dataSource: Web Events, now: 2025-01-01T00:00:00Z, expect: { rows: filtered } }",
    ];
    writeFileSync(join(dir, "with.test.yaml"), `bundle: ${bundle}\nnow: 2024-06-30T12:00:00Z\ncases:\n${cases.join("\n")}\n`);
    writeFileSync(
      join(dir, "without.test.yaml"),
      `bundle: ${bundle}\ncases:\n  - { name: no now, user: Tom, dataSource: Web Events, expect: { error: "pass \`now\`" } }\n  - { name: no now but rows, user: Tom, dataSource: Web Events, expect: { rows: filtered } }\n`,
    );
    const out = runCli(["test", dir]);
    expect(out.code).toBe(1);
    expect(out.stdout.match(/^ {2}(PASS|FAIL) {2}.*$/gm)).toEqual([
      "  PASS  with the file's now",
      "  PASS  with its own",
      "  PASS  no now",
      "  FAIL  no now but rows",
    ]);
    expect(out.stdout).toContain("        the request failed:\n        error: now: a time policy applies to data source `Web Events`");
  });
});

describe("inline bundles and JSON test files", () => {
  it("run like the others", () => {
    const dir = join(tmp, "json-suite");
    mkdirSync(dir);
    const test = {
      bundle: { dataSources: [{ id: 1, name: "T", columns: [{ name: "A", dataType: "text" }] }], users: [{ profileId: 1, name: "U" }] },
      cases: [
        { name: "A is in clear", user: "U", dataSource: "T", expect: { unmasked: ["A"], rows: "all", denied: false, visibilities: [] } },
        { name: "A is masked (it is not)", user: "U", dataSource: "T", expect: { masked: { A: "any" } } },
      ],
    };
    writeFileSync(join(dir, "t.test.json"), JSON.stringify(test));
    const out = runCli(["test", dir]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain("  PASS  A is in clear\n");
    expect(out.stdout).toContain("  FAIL  A is masked (it is not)\n        A: expected a mask, got no mask (in clear)\n");
  });
});
