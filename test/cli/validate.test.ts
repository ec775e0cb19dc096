/** `veil validate <bundle>`: nothing and exit 0 for a valid bundle; every problem and exit 2 otherwise. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SEED = join(ROOT, "fixtures", "seed", "bundle.yaml");
const TYPO = join(ROOT, "docs", "examples", "web-sales-typo.yaml");
const tmp = mkdtempSync(join(tmpdir(), "veil-validate-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("veil validate", () => {
  it.each([SEED, join(ROOT, "docs", "examples", "policies"), join(ROOT, "fixtures", "scenarios", "rows-purpose-restriction", "bundle-v1.json")])(
    "a valid bundle (%s): exit 0, nothing printed",
    (bundle) => {
      expect(runCli(["validate", bundle])).toEqual({ stdout: "", stderr: "", code: 0 });
    },
  );

  it("an invalid bundle: exit 2, one `error: <file>: <path>: <message>` line per problem, nothing on stdout", () => {
    const out = runCli(["validate", TYPO]);
    expect({ code: out.code, stdout: out.stdout }).toEqual({ code: 2, stdout: "" });
    expect(out.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^error: .*web-sales-typo\.yaml: globalPolicies\[0\]\.actions\[0\]\.rules\[0\]\.config\.maskingConfig\.type: unknown masking type `Scramble`; accepted: /,
      ),
      expect.stringMatching(/^error: .*web-sales-typo\.yaml: globalPolicies\[0\]\.actions\[0\]\.rules\[0\]\.exception: unknown key `exception`$/),
    ]);
  });

  it("reports the same problems as the other commands do for that bundle", () => {
    const policyInfo = runCli(["policy-info", TYPO, "--data-source", "16", "--user", "2"]);
    expect(runCli(["validate", TYPO])).toEqual(policyInfo);
  });

  it("a file that cannot be read, and a YAML syntax error, exit 2", () => {
    expect(runCli(["validate", join(tmp, "missing.yaml")]).stderr).toContain("cannot read: no such file or folder (ENOENT)");
    const bad = join(tmp, "bad.yaml");
    writeFileSync(bad, "users:\n  - profileId: 2\n    name: Jane\n    name: Joe\n");
    const out = runCli(["validate", bad]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("line 4, column 5");
  });

  it("a mutated seed that no longer validates is caught", () => {
    const file = join(tmp, "mutant.yaml");
    writeFileSync(file, readFileSync(SEED, "utf8").replace("dataType: bigint", "dataType: varchr"));
    const out = runCli(["validate", file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("unknown data type `varchr`");
  });

  it("takes no other flags: an unknown one is a usage error naming it", () => {
    expect(runCli(["validate", SEED, "--data-source", "16"]).stderr).toContain("unknown option '--data-source'");
  });
});
