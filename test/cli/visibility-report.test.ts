/** `veil visibility-report`: both seed variants byte for byte, and its usage errors. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SEED = join(ROOT, "fixtures", "seed");
const BUNDLE = join(SEED, "bundle.yaml");
const tmp = mkdtempSync(join(tmpdir(), "veil-vr-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const vr = (...args: string[]) => runCli(["visibility-report", ...args]);

function usageError(out: { code: number; stdout: string; stderr: string }, fragment: string) {
  expect(out.code).toBe(2);
  expect(out.stdout).toBe("");
  expect(out.stderr).toBe(`error: ${fragment}\n`);
}

describe("veil visibility-report", () => {
  it("prints the seed's per-user report byte for byte, policySet string included", () => {
    const out = vr(BUNDLE, "--data-source", "16", "--user", "2");
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(readFileSync(join(SEED, "jane.visibilityReport.json"), "utf8"));
  });

  it("prints the seed's current-user report with --current-user", () => {
    const out = vr(BUNDLE, "--data-source", "Web Sales", "--current-user", "jane");
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(readFileSync(join(SEED, "jane.current-user.visibilityReport.json"), "utf8"));
  });

  it("needs exactly one of --user and --current-user, and no --project with --current-user", () => {
    usageError(vr(BUNDLE, "--data-source", "16"), "give exactly one of --user and --current-user");
    usageError(vr(BUNDLE, "--data-source", "16", "--user", "2", "--current-user", "2"), "give exactly one of --user and --current-user");
    usageError(
      vr(BUNDLE, "--data-source", "16", "--current-user", "2", "--project", "1"),
      "--project does not go with --current-user: the current user's own project applies",
    );
  });

  it("refuses to evaluate a time policy without --now, and uses --now when given", () => {
    const file = join(tmp, "time.yaml");
    writeFileSync(
      file,
      [
        "dataSources: [{ id: 1, name: Events, eventTime: at, columns: [{ name: at, dataType: timestamp }] }]",
        "globalPolicies: [{ id: 1, name: Last 30 days, type: data, actions: [{ rules: [{ type: Time Restriction, config: { time: 2592000 } }] }] }]",
        "users: [{ profileId: 1, name: Ann }]",
      ].join("\n"),
    );
    const without = vr(file, "--data-source", "1", "--user", "1");
    expect(without.code).toBe(2);
    expect(without.stderr).toBe("error: now: a time policy applies to data source `Events`: pass `now` (ISO-8601); Veil never reads the clock\n");
    const out = vr(file, "--data-source", "1", "--user", "1", "--now", "2024-06-01T00:00:00Z");
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as { additionalFilters: unknown; noVisibilities: boolean };
    expect(report.noVisibilities).toBe(false);
    expect(report.additionalFilters).toEqual({ eventTimeColumn: "at", time: "2024-05-02T00:00:00.000Z", filterSeconds: 2592000, isOlderOrNewer: "newer" });
  });
});
