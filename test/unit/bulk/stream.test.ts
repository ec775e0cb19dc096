/**
 * matrix and diff stream: blocks and changes come one chunk of sources at a time, a
 * failure part-way is a coded issue (exit 2 from the CLI, never "changes found"), and the
 * worker pool is reused across calls: a bundle crosses to a worker once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffStream } from "../../../src/bulk/diff.js";
import { matrixStream } from "../../../src/bulk/matrix.js";
import { diff, matrix } from "../../../src/bulk/threads/bulk.js";
import { poolStats } from "../../../src/bulk/threads/parallel.js";
import { runCliAsync } from "../../../src/cli/main.js";
import { unwrap, VeilError } from "../../../src/errors.js";
import { parseBundle } from "../../../src/model/bundle.js";
import { createEngine } from "../../../src/engine/engine.js";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "veil-stream-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 130 sources (three chunks at 10k users would be more; here the chunking is by source count), the last one with a time policy. */
function catalog(timeOnLast: boolean) {
  const dataSources = Array.from({ length: 130 }, (_, i) => ({
    id: i + 1,
    name: `S${i + 1}`,
    ...(i === 129 ? { eventTime: "at" } : {}),
    columns: [
      { name: "a", dataType: "text", tags: ["PII"] },
      { name: "at", dataType: "timestamp", tags: i === 129 && timeOnLast ? ["Recent"] : [] },
    ],
  }));
  return {
    dataSources,
    globalPolicies: [
      {
        id: 1,
        name: "Mask PII",
        type: "data",
        actions: [
          {
            rules: [
              {
                type: "Masking",
                config: { fields: [{ type: "columnTags", columnTag: "PII" }], maskingConfig: { type: "Null" } },
                exceptions: { operator: "any", groups: ["ops"] },
              },
            ],
          },
        ],
      },
      ...(timeOnLast
        ? [
            {
              id: 2,
              name: "Recent",
              type: "data",
              circumstances: [{ type: "columnTags", columnTag: "Recent" }],
              actions: [{ rules: [{ type: "Time Restriction", config: { time: 60 } }] }],
            },
          ]
        : []),
    ],
    users: [
      { profileId: 1, name: "Ann", groups: ["ops"] },
      { profileId: 2, name: "Bo" },
    ],
  };
}

describe("streaming", () => {
  it("matrix yields one block per source, in order, agreeing with the collected matrix", async () => {
    const b = unwrap(parseBundle(catalog(false)));
    const s = unwrap(await matrixStream(b));
    const ids: number[] = [];
    for await (const block of s.blocks) {
      ids.push(block.dataSource);
      expect([...block.masked]).toEqual([0, 1]);
    }
    expect(ids).toEqual(b.dataSources.map((d) => d.id));
    const m = unwrap(await matrix(b, { workers: 1 }));
    expect(m.masked.length).toBe(260);
  });

  it("a failure part-way is a coded issue: the stream throws a VeilError, the collected diff returns it", async () => {
    const a = unwrap(parseBundle(catalog(false)));
    const b = unwrap(parseBundle(catalog(true)));
    // matrix only counts row access, which a time window filters whatever `now` is.
    expect(unwrap(await matrix(b, { workers: 1 })).rows.at(-1)).toBe(1);
    const d = await diff(a, b, { workers: 1 });
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.issues[0]!.message).toContain("pass `now`");
    const ds = unwrap(await diffStream(a, b));
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of ds.items) seen++;
      })(),
    ).rejects.toBeInstanceOf(VeilError);
    // Sources 1–128 were compared before the failure: nothing changed there.
    expect(seen).toBe(0);
    expect(ds.summary().compared).toBe(260);
  });

  it("the CLI reports a failure part-way with exit 2 after the lines already written, never exit 1", async () => {
    const before = join(tmp, "before.json");
    const after = join(tmp, "after.json");
    writeFileSync(before, JSON.stringify(catalog(false)));
    writeFileSync(after, JSON.stringify(catalog(true)));
    for (const format of ["table", "json"]) {
      const d = await runCliAsync(["diff", before, after, "--format", format]);
      expect(d.code).toBe(2);
      expect(d.stderr).toContain("pass `now` (ISO-8601)");
      expect(d.stdout).not.toMatch(/summary|cells changed/);
    }
    const ok = await runCliAsync(["diff", before, after, "--now", "2024-06-01T00:00:00Z", "--format", "json"]);
    expect(ok.code).toBe(1);
    expect(JSON.parse(ok.stdout.trimEnd().split("\n").at(-1)!).summary.changedCells).toBe(2);
  });

  it("reuses the worker pool across calls: each bundle crosses to a worker once", async () => {
    const seed = unwrap(parseBundle(parse(readFileSync(join(ROOT, "fixtures", "seed", "bundle.yaml"), "utf8"))));
    const b = unwrap(parseBundle(catalog(false)));
    const first = unwrap(await matrix(b, { workers: 2 }));
    const after1 = poolStats();
    const second = unwrap(await matrix(b, { workers: 2 }));
    const after2 = poolStats();
    expect([...second.masked]).toEqual([...first.masked]);
    expect(after2.bundlesSent).toBe(after1.bundlesSent);
    expect(after2.jobs).toBeGreaterThan(after1.jobs);
    expect(after2.workersStarted).toBe(after1.workersStarted);
    // A diff on two worker threads finds what one thread finds.
    const one = unwrap(await diff(seed, b, { workers: 1 }));
    const two = unwrap(await diff(seed, b, { workers: 2 }));
    expect(two).toEqual(one);
  });
});

describe("matrix row access is the verdict's", () => {
  it("a custom WHERE that cannot be applied on a source shows no rows there, as policyInfo says", async () => {
    const b = unwrap(
      parseBundle({
        dataSources: [{ id: 1, name: "S", columns: [{ name: "a", dataType: "text" }] }],
        globalPolicies: [
          {
            id: 1,
            name: "Where",
            type: "data",
            actions: [{ rules: [{ type: "Row Restriction by Custom Where Clause", config: { predicate: "@columnReference('MISSING') = 1" } }] }],
          },
        ],
        users: [{ profileId: 1, name: "Ann" }],
      }),
    );
    const m = unwrap(await matrix(b, { workers: 1 }));
    expect([...m.rows]).toEqual([2]);
    const info = unwrap(createEngine(b).policyInfo({ dataSource: 1, user: 1 }));
    expect(info.additionalFilters).toEqual({ customWhere: { predicate: "false" } });
  });
});

describe("fewer threads than asked", () => {
  it("a runner's note reaches the stream and the collected result; none, no `notes` key", async () => {
    const { matrixOn } = await import("../../../src/bulk/matrix.js");
    const { diffOn } = await import("../../../src/bulk/diff.js");
    const { inThisThread } = await import("../../../src/bulk/run.js");
    const b = unwrap(parseBundle(catalog(false)));
    const noted = { ...inThisThread, note: () => "running on one thread instead of 2" };
    const m = unwrap(await matrixOn(noted, b));
    expect(m.notes).toEqual(["running on one thread instead of 2"]);
    expect(unwrap(await diffOn(noted, b, b)).notes).toEqual(["running on one thread instead of 2"]);
    expect("notes" in unwrap(await matrixOn(inThisThread, b))).toBe(false);
  });
});
