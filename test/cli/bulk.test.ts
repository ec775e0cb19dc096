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
    expect(t).toEqual({ stdout: "user \\ source  16\n2              2m all\n", stderr: "", code: 0 });
    const j = await runCliAsync(["matrix", SEED, "--format", "json", "--workers", "2"]);
    expect(JSON.parse(j.stdout)).toEqual({ users: [2], dataSources: [16], groups: 1, cells: [[{ masked: 2, rows: "all" }]] });
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
        "user  source  column               change",
        "2     16      WS_SOLD_DATE_SK      Nullify → clear",
        "2     16      WS_BILL_CUSTOMER_SK  Nullify → clear",
        "1 of 1 (user, source) cells changed",
        "",
      ].join("\n"),
    );
    const j = JSON.parse((await runCliAsync(["diff", SEED, seedWithException(), "--format", "json"])).stdout) as { kinds: unknown; changedCells: number };
    expect([j.changedCells, j.kinds]).toEqual([1, { unmasked: 2 }]);
  });
});
