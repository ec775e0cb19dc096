/** `veil matrix` and `veil diff` through the async runner; diff exits 1 on change (a CI gate). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, runCliAsync } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SEED = join(ROOT, "fixtures", "seed", "bundle.yaml");
const tmp = mkdtempSync(join(tmpdir(), "veil-bulk-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The seed with Jane's group excepted from the hashing policy. */
function seedWithException(): string {
  const file = join(tmp, "after.yaml");
  writeFileSync(
    file,
    readFileSync(SEED, "utf8").replace("exceptions: null", "exceptions: { operator: or, conditions: [{ type: groups, group: { name: Analysts } }] }"),
  );
  return file;
}

describe("veil matrix", () => {
  it("prints users × sources as a table and as JSON", async () => {
    const t = await runCliAsync(["matrix", SEED]);
    // A row per data source (streamed as each is done), a column per user.
    expect(t).toEqual({ stdout: "source \\ user  2\n16             2m all\n", stderr: "", code: 0 });
    const j = await runCliAsync(["matrix", SEED, "--format", "json", "--workers", "2"]);
    // NDJSON: one cell per line, then a summary line.
    expect(
      j.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([{ user: 2, dataSource: 16, masked: 2, rows: "all" }, { summary: { users: 1, dataSources: 1, cells: 1, groups: 1 } }]);
  });

  it("reports an unknown user as an error, and needs the async runner", async () => {
    const bad = await runCliAsync(["matrix", SEED, "--users", "99"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: user: unknown user `99`/);
    expect(runCli(["matrix", SEED]).stderr).toBe("error: matrix and diff run on worker threads: call runCliAsync\n");
  });
});

describe("veil diff", () => {
  it("exits 0 with no change and 1 with the changes listed", async () => {
    expect(await runCliAsync(["diff", SEED, SEED])).toEqual({ stdout: "no change\n0 of 1 (user, source) cells changed\n", stderr: "", code: 0 });
    const d = await runCliAsync(["diff", SEED, seedWithException()]);
    expect(d.code).toBe(1);
    expect(d.stdout).toBe(
      [
        "user  source  what                 change           policies",
        "2     16      WS_SOLD_DATE_SK      Nullify → clear  Data Policy",
        "2     16      WS_BILL_CUSTOMER_SK  Nullify → clear  Data Policy",
        "1 of 1 (user, source) cells changed",
        "",
      ].join("\n"),
    );
    const lines = (await runCliAsync(["diff", SEED, seedWithException(), "--format", "json"])).stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ user: 2, dataSource: 16, change: "changed", policies: ["Data Policy"] });
    expect(lines[0].masked.WS_SOLD_DATE_SK).toEqual([{ type: "Consistent Value", metadata: { constant: null }, actionType: "Nullify" }, null]);
    const summary = lines.at(-1).summary;
    expect([summary.changedCells, summary.kinds]).toEqual([1, { unmasked: 2 }]);
  });
});
