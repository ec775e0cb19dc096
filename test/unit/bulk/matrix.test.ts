import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { summarize } from "../../../src/bulk/cell.js";
import { diff, matrix } from "../../../src/node.js";
import { createEngine } from "../../../src/engine/engine.js";
import { parseBundle, type Bundle } from "../../../src/model/bundle.js";
import { catalogArb as arb } from "../../arbitraries/catalog.js";
import { unwrap } from "../../../src/errors.js";
import { accessKey, accessView } from "../../../src/bulk/view.js";

function parsed(obj: unknown): Bundle {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  return b.value;
}

const NOW = "2024-06-01T00:00:00Z";

function naive(bundle: Bundle) {
  const e = createEngine(bundle);
  return bundle.users.map((u) =>
    bundle.dataSources.map((ds) => {
      const d = e.decide({ dataSource: ds.id, user: u.profileId, now: NOW });
      if (!d.ok) throw new Error(d.issues[0]!.message);
      return summarize(d.value);
    }),
  );
}

describe("matrix", () => {
  it("equals evaluating every user on every source, with users grouped by signature", async () => {
    await fc.assert(
      fc.asyncProperty(arb, async (obj) => {
        const bundle = parsed(obj);
        const m = unwrap(await matrix(bundle, { workers: 1, now: NOW }));
        const expected = naive(bundle);
        expect(m.groups).toBeLessThanOrEqual(bundle.users.length);
        bundle.users.forEach((_, i) =>
          bundle.dataSources.forEach((_, j) => {
            const s = expected[i]![j]!;
            expect([m.masked[i * bundle.dataSources.length + j], m.rows[i * bundle.dataSources.length + j]]).toEqual([
              Object.keys(s.masked).length,
              { all: 0, filtered: 1, none: 2 }[s.rows],
            ]);
          }),
        );
      }),
      { numRuns: 80 },
    );
  });

  it("gives the same result on two worker threads", async () => {
    const [obj] = fc.sample(arb, { seed: 3, numRuns: 1 });
    const bundle = parsed(obj);
    const one = unwrap(await matrix(bundle, { workers: 1, now: NOW }));
    const two = unwrap(await matrix(bundle, { workers: 2, now: NOW }));
    expect([...two.masked]).toEqual([...one.masked]);
    expect([...two.rows]).toEqual([...one.rows]);
  });
});

/** Every cell's access key, evaluated one by one: the oracle for diff. */
function naiveAccess(bundle: Bundle): string[][] {
  const e = createEngine(bundle);
  return bundle.users.map((u) => bundle.dataSources.map((ds) => accessKey(accessView(unwrap(e.decide({ dataSource: ds.id, user: u.profileId, now: NOW }))))));
}

describe("diff", () => {
  it("reports exactly the cells whose access changed", async () => {
    await fc.assert(
      fc.asyncProperty(arb, arb, async (a, b) => {
        // Same users and sources, different policies: the after bundle takes b's policies.
        const before = parsed(a);
        const after = parsed({ ...(a as object), globalPolicies: (b as { globalPolicies: unknown[] }).globalPolicies });
        const d = unwrap(await diff(before, after, { workers: 1, now: NOW }));
        const x = naiveAccess(before);
        const y = naiveAccess(after);
        const expected = before.users.flatMap((u, i) => before.dataSources.flatMap((ds, j) => (x[i]![j] !== y[i]![j] ? [`${u.profileId}/${ds.id}`] : [])));
        expect(d.changes.map((c) => `${c.user}/${c.dataSource}`).sort()).toEqual(expected.sort());
        expect(d.changedCells).toBe(expected.length);
        const summary = unwrap(await diff(before, after, { workers: 1, now: NOW, detail: "summary" }));
        expect([summary.changes.length, summary.changedCells, summary.kinds]).toEqual([0, d.changedCells, d.kinds]);
      }),
      { numRuns: 40 },
    );
  });
});

describe("matrix kernel", () => {
  it("keeps evaluating the other row policies after an entitlement check applies", async () => {
    const bundle = parsed({
      dataSources: [{ id: 1, name: "T", columns: [{ name: "region", dataType: "text", tags: ["Geo"] }], visibilities: [{ region: "EU" }] }],
      globalPolicies: [
        {
          id: 1,
          name: "by region",
          type: "data",
          actions: [
            {
              rules: [
                {
                  type: "Row Restriction by User Entitlements",
                  exceptions: { groups: ["ops"] },
                  config: { matches: [{ type: "attribute", attribute: "Region", tag: "Geo" }] },
                },
              ],
            },
          ],
        },
        {
          id: 2,
          name: "by region again",
          type: "data",
          actions: [
            { rules: [{ type: "Row Restriction by User Entitlements", config: { matches: [{ type: "attribute", attribute: "Region", tag: "Geo" }] } }] },
          ],
        },
        { id: 3, name: "never", type: "data", actions: [{ rules: [{ type: "Row Restriction by Never", exceptions: { groups: ["eu-team"] } }] }] },
      ],
      users: [
        { profileId: 1, name: "plain", authorizations: { Region: ["EU"] } },
        { profileId: 2, name: "eu", groups: ["eu-team"], authorizations: { Region: ["EU"] } },
      ],
    });
    const m = unwrap(await matrix(bundle, { workers: 1 }));
    expect([...m.rows]).toEqual([2, 1]);
  });
});
