/**
 * The diff cases that once reported "no change" while access changed: user-only edits,
 * dictionary edits, users and sources on one side only; and a policy-text-only change,
 * which is reported apart from access changes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { diff } from "../../../src/bulk/diff.js";
import { unwrap } from "../../../src/errors.js";
import { parseBundle } from "../../../src/model/bundle.js";

const ROOT = join(import.meta.dirname, "../../..");
type Obj = Record<string, any>;
const load = (rel: string): Obj => parseYaml(readFileSync(join(ROOT, rel), "utf8"));
const seed = () => load("fixtures/seed/bundle.yaml");
const rows = () => load("fixtures/scenarios/rows-entitlements-group/bundle-v2.yaml");

async function changes(before: Obj, after: Obj) {
  const d = unwrap(await diff(unwrap(parseBundle(before)), unwrap(parseBundle(after))));
  return d;
}

describe("diff sees user-only changes", () => {
  it("a user joins a group that is an exception: two columns unmasked", async () => {
    const before = seed();
    before.globalPolicies[0].actions[0].rules[0].exceptions = { operator: "or", conditions: [{ type: "groups", group: { name: "Auditors" } }] };
    const after = structuredClone(before);
    after.users[0].groups.push("Auditors");
    const d = await changes(before, after);
    expect(d.changedCells).toBe(1);
    expect(d.kinds).toEqual({ unmasked: 2 });
    expect(d.changes[0]).toMatchObject({ user: 2, dataSource: 16, change: "changed", policies: ["Data Policy"] });
  });

  it("a user loses a group: their visibilities fall from 2 to 1", async () => {
    const before = rows();
    const after = structuredClone(before);
    after.users[0].groups = ["US", "Sales"];
    const d = await changes(before, after);
    expect(d.changes).toHaveLength(1);
    const c = d.changes[0]!;
    expect(c.user).toBe(2101);
    expect(c.visibilities).toEqual({ gained: [], lost: ['{"REGION":"EU"}'] });
    expect(c.report).toEqual({ userVisibilitiesCount: [2, 1] });
    expect(c.policies).toEqual(["Rows by region group"]);
  });
});

describe("diff sees dictionary changes", () => {
  it("a tag moved from one column to another", async () => {
    const before = seed();
    const after = structuredClone(before);
    after.dataSources[0].columns[0].tags = [];
    after.dataSources[0].columns[1].tags = ["Confidential"];
    const d = await changes(before, after);
    expect(Object.keys(d.changes[0]!.masked!).sort()).toEqual(["WS_ITEM_SK", "WS_SOLD_DATE_SK"]);
    expect(d.kinds).toEqual({ masked: 1, unmasked: 1 });
  });

  it("a new column that carries a masked tag", async () => {
    const before = seed();
    const after = structuredClone(before);
    after.dataSources[0].columns.push({ name: "WS_EMAIL", dataType: "text", tags: ["Confidential"] });
    const d = await changes(before, after);
    expect(d.changes[0]!.masked).toEqual({ WS_EMAIL: [null, JSON.stringify({ type: "Consistent Value", metadata: {}, actionType: "Hashing" })] });
  });

  it("the same mask kind with other metadata", async () => {
    const before = seed();
    before.dataSources[0].columns.push({ name: "WS_NOTE", dataType: "text", tags: ["Confidential"] });
    before.globalPolicies[0].actions[0].rules[0].config.maskingConfig = { type: "Consistent Value", metadata: { constant: "A" } };
    const after = structuredClone(before);
    after.globalPolicies[0].actions[0].rules[0].config.maskingConfig = { type: "Consistent Value", metadata: { constant: "B" } };
    const d = await changes(before, after);
    expect(d.kinds).toEqual({ maskChanged: 1 });
  });
});

describe("diff sees users and sources on one side only", () => {
  it("a new unprotected data source is added, with what each user sees", async () => {
    const before = seed();
    const after = structuredClone(before);
    after.dataSources.push({ id: 17, name: "Open", columns: [{ name: "id", dataType: "integer" }] });
    const d = await changes(before, after);
    expect(d.changes).toEqual([{ user: 2, dataSource: 17, change: "added", after: { masked: [], rows: "all", visibilities: 0, denied: null } }]);
    expect(d.kinds).toEqual({ added: 1 });
  });

  it("a new user who sees everything is added; a user who leaves is removed", async () => {
    const before = seed();
    const after = structuredClone(before);
    after.users.push({ profileId: 3, name: "Root" });
    const added = await changes(before, after);
    expect(added.changes.map((c) => [c.user, c.change])).toEqual([[3, "added"]]);
    const removed = await changes(after, before);
    expect(removed.changes.map((c) => [c.user, c.change, c.before?.masked.length])).toEqual([[3, "removed", 2]]);
  });
});

describe("policy text alone is a policy change, not an access change", () => {
  it("a new description changes policySet but not what anyone sees", async () => {
    const before = seed();
    const after = structuredClone(before);
    after.globalPolicies[0].actions[0].description = "Hash confidential keys";
    const d = await changes(before, after);
    expect([d.changedCells, d.changes]).toEqual([0, []]);
    expect(d.policyChangedCells).toBe(1);
    expect(d.policyChanges).toEqual([{ user: 2, dataSource: 16 }]);
  });
});

describe("progress", () => {
  it("matrix and diff report finished sources, up to the total", async () => {
    const { matrix } = await import("../../../src/bulk/matrix.js");
    const b = unwrap(parseBundle(load("fixtures/scenarios/circumstance-operators/bundle.yaml")));
    const seen: [number, number][] = [];
    unwrap(await matrix(b, { onProgress: (done, total) => seen.push([done, total]) }));
    expect(seen.at(-1)).toEqual([b.dataSources.length, b.dataSources.length]);
    const diffSeen: [number, number][] = [];
    unwrap(await diff(b, b, { onProgress: (done, total) => diffSeen.push([done, total]) }));
    // Reported as chunks of sources finish: increasing, ending at the total.
    expect(diffSeen.at(-1)).toEqual([b.dataSources.length, b.dataSources.length]);
    expect(diffSeen.every(([d], i) => i === 0 || d > diffSeen[i - 1]![0])).toBe(true);
  });
});

describe("prototype-like column names are ordinary names in diff", () => {
  it.each(["__proto__", "constructor", "toString"])("a mask removed from a column named %s is reported", async (name) => {
    const before = {
      dataSources: [{ id: 1, name: "S", columns: [{ name, dataType: "text", tags: ["T"] }] }],
      globalPolicies: [
        {
          id: 1,
          name: "Mask T",
          type: "data",
          actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: "T" }], maskingConfig: { type: "Null" } } }] }],
        },
      ],
      users: [{ profileId: 1, name: "U" }],
    };
    const after = { ...before, globalPolicies: [] };
    const d = await changes(before, after);
    expect(d.kinds).toEqual({ unmasked: 1 });
    expect(Object.keys(d.changes[0]!.masked!)).toEqual([name]);
    expect(d.changes[0]!.policies).toEqual(["Mask T"]);
  });
});
