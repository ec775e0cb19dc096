/**
 * The same evaluation under two host time zones gives byte-identical reports: every
 * instant is read by parseInstant (offset required) and written by toISOString, so
 * nothing depends on `TZ`. Each zone runs in a child process (`node --import tsx`).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const SCRIPT = join(ROOT, "test/helpers/tz-evaluate.ts");

function evaluateIn(tz: string): { stdout: string; offset: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", SCRIPT], { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`TZ=${tz}: exit ${r.status}\n${r.stderr}`);
  return { stdout: r.stdout, offset: r.stderr.trim() };
}

describe("evaluation does not depend on the host's time zone", { timeout: 120_000 }, () => {
  it("gives byte-identical reports under TZ=UTC and TZ=Asia/Tokyo", () => {
    const utc = evaluateIn("UTC");
    const tokyo = evaluateIn("Asia/Tokyo");
    // The zones took effect in the children.
    expect(utc.offset).toBe("offset 0");
    expect(tokyo.offset).toBe("offset -540");
    expect(tokyo.stdout).toBe(utc.stdout);
    // And the reports say what the instants mean.
    const reports = JSON.parse(utc.stdout) as Record<
      string,
      { ok: boolean; value: { masked: { name: string; actionType: string }[]; additionalFilters: Record<string, unknown> } }
    >;
    const info = (key: string) => reports[`${key}/policyInfo`]!;
    for (const [key, r] of Object.entries(reports)) expect(r.ok, key).toBe(!key.startsWith("offsetless"));
    const issuePath = (key: string) => (reports[key] as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path);
    expect(issuePath("offsetless createdAt")).toEqual([["dataSources", 0, "createdAt"]]);
    expect(issuePath("offsetless now")).toEqual([["now"]]);
    const masked = (key: string) => info(key).value.masked.map((m) => `${m.name}: ${m.actionType}`);
    expect(masked("Early/1/2024-07-01T09:00:00+09:00")).toEqual(["EVENT_ID: Nullify", "EVENT_TS: Constant", "NOTE: Nullify"]);
    // On Late the hash applies and, authored first as an instant, wins over the null (a bigint cannot hold a hash).
    expect(masked("Late/1/2024-07-01T09:00:00+09:00")).toEqual(["EVENT_ID: Nullify", "EVENT_TS: Constant", "NOTE: Hashing"]);
    expect(masked("Undated/1/2024-07-01T09:00:00+09:00")).toEqual(["EVENT_ID: Nullify", "EVENT_TS: Constant", "NOTE: Nullify"]);
    expect(info("Late/1/2024-07-01T09:00:00+09:00").value.additionalFilters).toEqual({
      eventTimeColumn: "EVENT_TS",
      time: "2024-06-01T00:00:00.000Z",
      filterSeconds: 2592000,
      isOlderOrNewer: "newer",
    });
    expect(info("Late/1/2024-03-10T02:30:00-08:00").value.additionalFilters["time"]).toBe("2024-02-09T10:30:00.000Z");
    expect(info("Late/2/2024-07-01T09:00:00+09:00").value.additionalFilters).toEqual({});
  });
});
