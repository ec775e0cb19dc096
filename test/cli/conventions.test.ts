/**
 * CLI conventions (docs/cli.md, "Conventions for every command"): --version, help,
 * help texts with an example and the exit codes, `-` for a bundle on stdin,
 * --error-format json, strict flag values that list what is accepted, colour only on a
 * terminal without NO_COLOR.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runCliAsync } from "../../src/cli/main.js";
import { finish, requestedErrorFormat, useColor } from "../../src/cli/conventions.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SEED = join(ROOT, "fixtures", "seed", "bundle.yaml");
const SEED_TEXT = readFileSync(SEED, "utf8");
const JANE = readFileSync(join(ROOT, "fixtures", "seed", "jane.policyInfo.json"), "utf8");
const TYPO = join(ROOT, "docs", "examples", "web-sales-typo.yaml");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** Every command of the program (help lists them). */
const COMMANDS = runCli(["--help"])
  .stdout.split("\n")
  .map((l) => /^ {2}([a-z][a-z-]*) /.exec(l)?.[1])
  .filter((c): c is string => c !== undefined && c !== "help");

describe("--version and help", () => {
  it.each([["--version"], ["-V"]])("%s prints the package version and exits 0", (flag) => {
    expect(runCli([flag])).toEqual({ stdout: `${VERSION}\n`, stderr: "", code: 0 });
  });

  it("`veil help` prints the program's help on stdout and exits 0", () => {
    const out = runCli(["help"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("Usage: veil");
    expect(out.stdout).toMatch(
      /\nExample:\n {2}\$ veil policy-info .*\n\nExit codes:\n {2}0 {2}success\n {2}1 {2}a finding: diff found changes, lint an error, test a failed case\n/,
    );
    expect(out.stderr).toBe("");
    expect(runCli(["--help"])).toEqual(out);
  });

  it("lists the commands it knows (the table below covers them)", () => {
    expect(COMMANDS).toEqual(expect.arrayContaining(["policy-info", "visibility-report", "matrix", "diff", "validate", "test"]));
  });

  it.each(COMMANDS)("`veil help %s` exits 0 with one example and the exit codes", (command) => {
    const out = runCli(["help", command]);
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 0, stderr: "" });
    expect(out.stdout).toContain(`Usage: veil ${command}`);
    // One example (an environment variable may come first: `VEIL_SECRET=… veil enforce …`).
    expect(out.stdout).toMatch(/\nExample:\n {2}\$ (\S+=\S+ )*veil \S+/);
    expect(out.stdout.match(/^ {2}\$ /gm)).toHaveLength(1);
    expect(out.stdout).toMatch(/\nExit codes:\n {2}0 {2}\S/);
    expect(out.stdout).toMatch(/\n {2}2 {2}\S/);
    expect(out.stdout).toContain("--error-format <format>");
    // `--help` prints the same.
    expect(runCli([command, "--help"]).stdout).toBe(out.stdout);
  });

  it("`veil help nope` is a usage error", () => {
    expect(runCli(["help", "nope"]).code).not.toBe(0);
  });

  it("no command at all is still a usage error (exit 2, help on stderr)", () => {
    const out = runCli([]);
    expect({ code: out.code, stdout: out.stdout }).toEqual({ code: 2, stdout: "" });
    expect(out.stderr).toContain("Usage: veil");
  });
});

describe("- reads the bundle from stdin", () => {
  it("policy-info - prints what the file gives", () => {
    expect(runCli(["policy-info", "-", "--data-source", "16", "--user", "2"], { stdin: SEED_TEXT })).toEqual({ stdout: JANE, stderr: "", code: 0 });
  });

  it("visibility-report -, validate -, matrix - and diff - <after> read it too", async () => {
    const stdin = { stdin: SEED_TEXT };
    expect(runCli(["visibility-report", "-", "--data-source", "16", "--user", "2"], stdin)).toEqual(
      runCli(["visibility-report", SEED, "--data-source", "16", "--user", "2"]),
    );
    expect(runCli(["validate", "-"], stdin)).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(await runCliAsync(["matrix", "-"], stdin)).toEqual(await runCliAsync(["matrix", SEED]));
    expect(await runCliAsync(["diff", "-", SEED], stdin)).toEqual({ stdout: "no change\n0 of 1 (user, source) cells changed\n", stderr: "", code: 0 });
  });

  it("issues name <stdin> as the file", () => {
    const out = runCli(["validate", "-"], { stdin: readFileSync(TYPO, "utf8") });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: <stdin>: globalPolicies\[0\]/);
  });

  it("in the real process, stdin is the process's stdin", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "policy-info", "-", "--data-source", "Web Sales", "--user", "Jane"], {
      cwd: ROOT,
      input: SEED_TEXT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: JANE, stderr: "" });
  }, 60_000);
});

describe("--error-format json", () => {
  const json = (stderr: string): unknown => {
    expect(stderr.endsWith("\n")).toBe(true);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    return JSON.parse(stderr);
  };

  it("writes a bundle's problems as one JSON array, with the file, line and column", () => {
    const out = runCli(["validate", TYPO, "--error-format", "json"]);
    expect({ code: out.code, stdout: out.stdout }).toEqual({ code: 2, stdout: "" });
    expect(json(out.stderr)).toEqual([
      expect.objectContaining({
        code: "invalid_input",
        path: ["globalPolicies", 0, "actions", 0, "rules", 0, "config", "maskingConfig", "type"],
        message: expect.stringContaining("unknown masking type `Scramble`; accepted: Hash,"),
        file: TYPO,
        line: 20,
        column: 32,
      }),
      {
        code: "invalid_input",
        path: ["globalPolicies", 0, "actions", 0, "rules", 0, "exception"],
        message: "unknown key `exception`",
        file: TYPO,
        line: 17,
        column: 13,
      },
    ]);
  });

  it("the line and column are where the offending key is in the text", () => {
    const lines = readFileSync(TYPO, "utf8").split("\n");
    const issues = json(runCli(["validate", TYPO, "--error-format", "json"]).stderr) as { line: number; column: number }[];
    expect(lines[issues[0]!.line - 1]!.slice(issues[0]!.column - 1)).toMatch(/^type: Scramble/);
    expect(lines[issues[1]!.line - 1]!.slice(issues[1]!.column - 1)).toMatch(/^exception:/);
  });

  it("in a folder, a file that is one policy or a list of policies is located too", () => {
    const dir = mkdtempSync(join(tmpdir(), "veil-conventions-"));
    try {
      cpSync(join(ROOT, "docs", "examples", "policies"), dir, { recursive: true });
      const edit = (file: string, from: string, to: string) => writeFileSync(join(dir, file), readFileSync(join(dir, file), "utf8").replace(from, to));
      edit("mask-email.yaml", "maskingConfig: { type: Hash }", "maskingConfig: { type: Hsh }");
      edit("rows.yaml", "type: Row Restriction by Never", "type: Row Restriction by Nevr");
      const issues = json(runCli(["validate", dir, "--error-format", "json"]).stderr) as { file: string; line: number; column: number }[];
      expect(
        issues.map((i) =>
          readFileSync(i.file, "utf8")
            .split("\n")
            [i.line - 1]!.slice(i.column - 1),
        ),
      ).toEqual(["type: Hsh }", "type: Row Restriction by Nevr"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a syntax error's line and column come from its message", () => {
    const bad = "users:\n  - profileId: 2\n    name: Jane\n    name: Joe\n";
    const issues = json(runCli(["validate", "-", "--error-format", "json"], { stdin: bad }).stderr) as Record<string, unknown>[];
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "invalid_syntax", file: "<stdin>", line: 4, column: 5 });
  });

  it("usage errors too, whether the flag comes before or after the command", () => {
    for (const argv of [
      ["--error-format", "json", "policy-info", SEED, "--data-source", "16"],
      ["policy-info", SEED, "--data-source", "16", "--error-format=json"],
    ]) {
      const out = runCli(argv);
      expect(out.code).toBe(2);
      expect(json(out.stderr)).toEqual([{ code: "invalid_input", path: [], message: "required option '--user <profileId|name>' not specified" }]);
    }
  });

  it("request errors (unknown user) and async commands (matrix) too", async () => {
    expect(json(runCli(["policy-info", SEED, "--data-source", "16", "--user", "99", "--error-format", "json"]).stderr)).toEqual([
      { code: "unknown_reference", path: ["user"], message: "unknown user `99`; known: 2 (Jane)" },
    ]);
    const m = await runCliAsync(["matrix", TYPO, "--error-format", "json"]);
    expect(m.code).toBe(2);
    expect((json(m.stderr) as unknown[]).length).toBe(2);
  });

  it("text stays the default, and `--error-format text` is the same", () => {
    const text = runCli(["validate", TYPO]);
    expect(text.stderr).toMatch(/^error: .*Scramble/);
    expect(runCli(["validate", TYPO, "--error-format", "text"])).toEqual(text);
  });

  it("an unknown format is a usage error naming the flag and the accepted values", () => {
    const out = runCli(["validate", SEED, "--error-format", "xml"]);
    expect(out).toEqual({ stdout: "", stderr: "error: option '--error-format <format>' argument 'xml' is invalid. accepted: text, json\n", code: 2 });
  });

  it("a failure a streamed command reports after its output (`after`) is rendered too, when it keeps its issues", () => {
    const issue = { code: "internal_error", path: [], message: "internal error: boom" } as const;
    const out = finish({ stdout: "", stderr: "", code: 0, after: () => ({ stderr: "error: internal error: boom\n", code: 3, issues: [issue] }) }, "json");
    expect(out.after?.()).toEqual({ stderr: '[{"code":"internal_error","path":[],"message":"internal error: boom"}]\n', code: 3 });
    expect(finish({ stdout: "", stderr: "", code: 0, after: () => ({ stderr: "x\n", code: 0 }) }, "json").after?.()).toEqual({ stderr: "x\n", code: 0 });
    expect(finish({ stdout: "", stderr: "", code: 0, after: () => ({ stderr: "error: boom\n", code: 3, issues: [issue] }) }, "text").after?.()).toEqual({
      stderr: "error: boom\n",
      code: 3,
    });
  });

  it("requestedErrorFormat: the last one wins, nothing after --", () => {
    expect(requestedErrorFormat(["--error-format", "json", "--error-format=text"])).toBe("text");
    expect(requestedErrorFormat(["x", "--error-format=json"])).toBe("json");
    expect(requestedErrorFormat(["--", "--error-format", "json"])).toBe("text");
    expect(requestedErrorFormat(["--error-format", "yaml"])).toBe("text");
  });
});

describe("flag values name the flag and list what is accepted", () => {
  it.each([
    [["test", "fixtures/policy-tests/example", "--format", "xml"], "error: option '--format <format>' argument 'xml' is invalid. accepted: text, json"],
    [["matrix", SEED, "--format", "xml"], "error: option '--format <format>' argument 'xml' is invalid. accepted: table, json"],
    [["diff", SEED, SEED, "--format", "csv"], "error: option '--format <format>' argument 'csv' is invalid. accepted: table, json"],
    [["matrix", SEED, "--workers", "0"], "error: option '--workers <n>' argument '0' is invalid. expected a whole number ≥ 1, got `0`"],
  ])("%j", async (argv, line) => {
    expect(await runCliAsync(argv)).toEqual({ stdout: "", stderr: `${line}\n`, code: 2 });
  });
});

describe("colour", () => {
  it("only on a terminal, never with NO_COLOR set", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });

  it("veil test paints PASS and FAIL only when asked (the process asks on a terminal)", () => {
    const plain = runCli(["test", "fixtures/policy-tests/example/claims.test.yaml"]);
    expect(plain.stdout).not.toContain("\u001b[");
    const painted = runCli(["test", "fixtures/policy-tests/example/claims.test.yaml"], { color: true });
    expect(painted.stdout).toContain("\u001b[32mPASS\u001b[0m");
    expect(painted.stdout.replace(/\u001b\[\d+m/g, "")).toBe(plain.stdout);
  });
});
