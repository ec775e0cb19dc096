/** `veil lint`: the table by default, JSON on request; exit 1 on an error finding, 2 on a bad bundle or flag. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { LintReportSchema } from "../../src/lint/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SEED = join(ROOT, "fixtures", "seed", "bundle.yaml");
const EVERY = join(ROOT, "fixtures", "lint", "every-finding.yaml");

describe("veil lint", () => {
  it("prints the table and exits 0 when no finding is an error", () => {
    expect(runCli(["lint", SEED])).toEqual({
      stdout: [
        "severity  code           path                                   message",
        "warning   type-fallback  globalPolicies[0].actions[0].rules[0]  on column `WS_BILL_CUSTOMER_SK` (`integer`) of `Web Sales`, the mask Hashing cannot produce the column's type: binding applies Nullify instead",
        "warning   type-fallback  globalPolicies[0].actions[0].rules[0]  on column `WS_SOLD_DATE_SK` (`integer`) of `Web Sales`, the mask Hashing cannot produce the column's type: binding applies Nullify instead",
        "0 errors, 2 warnings, 0 infos",
        "",
      ].join("\n"),
      stderr: "",
      code: 0,
    });
    expect(runCli(["lint", join(ROOT, "fixtures", "scenarios", "column-regex", "bundle.yaml")])).toEqual({
      stdout: "no findings\n0 errors, 0 warnings, 0 infos\n",
      stderr: "",
      code: 0,
    });
  });

  it("exits 1 when a finding is an error, in both formats; --format json prints the report", () => {
    const table = runCli(["lint", EVERY]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^severity {2}code/);
    expect(table.stdout.trimEnd().split("\n").at(-1)).toBe("5 errors, 13 warnings, 2 infos");
    const json = runCli(["lint", EVERY, "--format", "json"]);
    expect(json.code).toBe(1);
    const report = LintReportSchema.parse(JSON.parse(json.stdout));
    expect(report.summary).toEqual({ errors: 5, warnings: 13, infos: 2 });
    expect(runCli(["lint", EVERY, "--format", "table"]).stdout).toBe(table.stdout);
  });

  it("exits 2 on an unknown format, listing the accepted ones, and on a bundle that does not load", () => {
    expect(runCli(["lint", SEED, "--format", "xml"])).toEqual({
      stdout: "",
      stderr: "error: option '--format <format>' argument 'xml' is invalid. accepted: table, json\n",
      code: 2,
    });
    const bad = runCli(["lint", join(ROOT, "fixtures", "bad-input", "v2-unknown-rule-type.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^error: .*v2-unknown-rule-type\.json: globalPolicies\[0\]/);
  });
});
