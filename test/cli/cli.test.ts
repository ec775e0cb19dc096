/**
 * The CLI contract (bundle-and-cli.md): JSON on stdout, exit 0; invalid input or
 * usage → exit 2, nothing on stdout, one `error: <path>: <message>` line per issue
 * on stderr, never a stack trace.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type CliOutput } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BUNDLE = join(ROOT, "fixtures", "seed", "bundle.yaml");
const JANE = readFileSync(join(ROOT, "fixtures", "seed", "jane.policyInfo.json"), "utf8");

const tmp = mkdtempSync(join(tmpdir(), "veil-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const policyInfo = (...args: string[]): CliOutput => runCli(["policy-info", ...args]);

/** A usage or input error: exit 2, stdout empty, stderr exactly one `error:` line, no stack. */
function expectError(out: CliOutput): string {
  expect(out.code).toBe(2);
  expect(out.stdout).toBe("");
  expect(out.stderr.endsWith("\n")).toBe(true);
  const lines = out.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  expect(line.startsWith("error: ")).toBe(true);
  expect(line).not.toMatch(/^\s+at /m);
  expect(line).not.toContain("Error:");
  return line;
}

describe("policy-info", () => {
  it("prints the seed's policyInfo byte for byte (2-space JSON + newline)", () => {
    const out = policyInfo(BUNDLE, "--data-source", "16", "--user", "2");
    expect(out).toEqual({ stdout: JANE, stderr: "", code: 0 });
  });

  it("accepts --data-source by name", () => {
    expect(policyInfo(BUNDLE, "--data-source", "Web Sales", "--user", "2")).toEqual({ stdout: JANE, stderr: "", code: 0 });
  });

  it("accepts --data-source by id", () => {
    expect(policyInfo(BUNDLE, "--data-source", "16", "--user", "2").stdout).toBe(JANE);
  });

  it("accepts --user by name", () => {
    expect(policyInfo(BUNDLE, "--data-source", "16", "--user", "Jane")).toEqual({ stdout: JANE, stderr: "", code: 0 });
  });

  it("accepts a valid --now", () => {
    expect(policyInfo(BUNDLE, "--data-source", "16", "--user", "2", "--now", "2024-01-01T00:00:00Z").stdout).toBe(JANE);
  });
});

describe("errors", () => {
  it("names an unknown --user and the known users", () => {
    const line = expectError(policyInfo(BUNDLE, "--data-source", "16", "--user", "99"));
    expect(line).toBe("error: user: unknown user `99`; known: 2 (Jane)");
  });

  it("names an unknown --data-source and the known data sources", () => {
    const line = expectError(policyInfo(BUNDLE, "--data-source", "Nope", "--user", "2"));
    expect(line).toBe("error: dataSource: unknown data source `Nope`; known: 16 (Web Sales)");
  });

  it("reports a missing required option on one line", () => {
    const line = expectError(policyInfo(BUNDLE, "--data-source", "16"));
    expect(line).toContain("--user");
    expect(line).toContain("not specified");
  });

  it("reports an unreadable bundle path, naming it", () => {
    const missing = join(tmp, "missing.yaml");
    const line = expectError(policyInfo(missing, "--data-source", "16", "--user", "2"));
    expect(line).toContain(missing);
  });

  it("rejects a non-integer --project", () => {
    const line = expectError(policyInfo(BUNDLE, "--data-source", "16", "--user", "2", "--project", "abc"));
    expect(line).toContain("--project");
    expect(line).toContain("expected an integer, got `abc`");
  });

  it("rejects an unknown --project", () => {
    const line = expectError(policyInfo(BUNDLE, "--data-source", "16", "--user", "2", "--project", "7"));
    expect(line).toContain("unknown project `7`");
  });

  it("rejects a --now that is not a date", () => {
    const line = expectError(policyInfo(BUNDLE, "--data-source", "16", "--user", "2", "--now", "not-a-date"));
    expect(line).toContain("`not-a-date`");
    expect(line).toContain("ISO-8601");
  });

  it("rejects an unknown command on one `error:` line, with the suggestion on that line", () => {
    const line = expectError(runCli(["polcy-info"]));
    expect(line).toContain("unknown command 'polcy-info'");
    expect(line).toContain("policy-info?");
  });

  it("rejects an unknown option", () => {
    expect(expectError(policyInfo(BUNDLE, "--data-source", "16", "--user", "2", "--bogus"))).toContain("unknown option '--bogus'");
  });

  it("treats no command as a usage error: exit 2, help on stderr, nothing on stdout", () => {
    const out = runCli([]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain("Usage: veil");
  });

  it("prints help on stdout with exit 0 when asked", () => {
    const out = runCli(["policy-info", "--help"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("Usage: veil policy-info");
    expect(out.stderr).toBe("");
  });

  it("reports a bundle with a YAML syntax error starting with the file, then line and column", () => {
    const file = join(tmp, "broken.yaml");
    writeFileSync(file, "users:\n  - profileId: 2\n    name: Jane\n    name: Joe\n");
    const line = expectError(policyInfo(file, "--data-source", "16", "--user", "2"));
    expect(line.startsWith(`error: ${file}: `)).toBe(true);
    expect(line).toContain("line 4, column 5");
  });

  it("reports a bundle with a JSON syntax error starting with the file, then line and column", () => {
    const file = join(tmp, "broken.json");
    writeFileSync(file, '{\n  "users": [\n    {"profileId": 2,, "name": "Jane"}\n  ]\n}\n');
    const line = expectError(policyInfo(file, "--data-source", "16", "--user", "2"));
    expect(line.startsWith(`error: ${file}: `)).toBe(true);
    expect(line).toContain("invalid JSON at line 3, column 21");
  });

  it("prints one line per issue when a bundle has several", () => {
    const file = join(tmp, "two-issues.yaml");
    writeFileSync(file, readFileSync(BUNDLE, "utf8").replace("dataType: bigint", "dataType: varchr").replace('dataType: "decimal(7,2)"', "dataType: 5"));
    const out = policyInfo(file, "--data-source", "16", "--user", "2");
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    const lines = out.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: dataSources\\[0\\]\\.columns\\[3\\]\\.dataType: unknown data type \`varchr\``),
    );
    expect(lines[1]).toContain("dataSources[0].columns[4].dataType: ");
  });

  it("does not print a `(root)` placeholder where no JSON path applies (usage, unreadable file, syntax)", () => {
    const syntax = join(tmp, "broken2.yaml");
    writeFileSync(syntax, "users:\n  - profileId: 2\n    name: Jane\n    name: Joe\n");
    const outs = [
      policyInfo(BUNDLE, "--data-source", "16"),
      policyInfo(BUNDLE, "--data-source", "16", "--user", "2", "--project", "abc"),
      policyInfo(join(tmp, "missing.yaml"), "--data-source", "16", "--user", "2"),
      policyInfo(syntax, "--data-source", "16", "--user", "2"),
    ];
    for (const out of outs) expect(expectError(out)).not.toContain("(root)");
  });
});

describe("process wiring", () => {
  // One real process per outcome: exit code, stdout and stderr must reach the OS.
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

  it("spawns the real CLI: exit 0 with JSON on stdout; exit 2 with the error on stderr only", () => {
    const good = run("policy-info", "fixtures/seed/bundle.yaml", "--data-source", "Web Sales", "--user", "Jane");
    expect(good.error).toBeUndefined();
    expect({ status: good.status, stdout: good.stdout, stderr: good.stderr }).toEqual({ status: 0, stdout: JANE, stderr: "" });

    const bad = run("policy-info", "fixtures/seed/bundle.yaml", "--data-source", "16", "--user", "99");
    expect({ status: bad.status, stdout: bad.stdout, stderr: bad.stderr }).toEqual({
      status: 2,
      stdout: "",
      stderr: "error: user: unknown user `99`; known: 2 (Jane)\n",
    });
  }, 60_000);
});
