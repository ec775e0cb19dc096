/**
 * diff is correct by construction: it reports a (user, source) exactly when what that user
 * can see of that source differs (policyInfo or the visibilityReport's counts and denial),
 * whatever changed: the policies, the users (groups, attributes, projects), the dictionary
 * (tags, columns), or the sets of users and sources. `diff(a, a)` is empty.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accessKey, accessView } from "../../src/bulk/view.js";
import { diff } from "../../src/bulk/diff.js";
import { createEngine } from "../../src/engine/engine.js";
import { unwrap } from "../../src/errors.js";
import { parseBundle, type Bundle } from "../../src/model/bundle.js";
import type { BundleObject } from "../arbitraries/bundle.js";
import { TAGS } from "../arbitraries/bundle.js";
import { catalogArb } from "../arbitraries/catalog.js";

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 60);
const NOW = "2024-06-01T00:00:00Z";

type Obj = BundleObject & { users: { profileId: number; groups?: string[]; authorizations?: Record<string, string[]>; currentProject?: number | null }[] };

/** The edits a platform team makes between two bundles. */
const editArb = fc.oneof(
  fc.record({ kind: fc.constant("policies" as const), from: catalogArb }),
  fc.record({ kind: fc.constant("userGroup" as const), user: fc.nat(), group: fc.constantFrom("g1", "g2", "g3", "i1", "i2", "ops", "EU"), add: fc.boolean() }),
  fc.record({ kind: fc.constant("userAttribute" as const), user: fc.nat(), values: fc.subarray(["EU", "US", "a", "b"]) }),
  fc.record({ kind: fc.constant("userProject" as const), user: fc.nat(), project: fc.constantFrom(null, 1, 2) }),
  fc.record({ kind: fc.constant("moveTag" as const), source: fc.nat(), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("addColumn" as const), source: fc.nat(), tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant("removeUser" as const), user: fc.nat() }),
  fc.record({ kind: fc.constant("addUser" as const), groups: fc.subarray(["g1", "i1", "EU"]) }),
  fc.record({ kind: fc.constant("removeSource" as const), source: fc.nat() }),
  fc.record({ kind: fc.constant("addSource" as const), source: fc.nat() }),
  // Same mask kind, other metadata: `Constant` with another value.
  fc.record({ kind: fc.constant("maskMetadata" as const), to: fc.constantFrom("Z", "0", "X") }),
);

function applyEdit(base: Obj, e: { kind: string } & Record<string, unknown>): Obj {
  const b = structuredClone(base) as Obj & { dataSources: { id: number; name: string; columns: { name: string; dataType: string; tags?: string[] }[] }[] };
  const pick = <T>(xs: T[], n: unknown) => xs[(n as number) % xs.length]!;
  if (e.kind === "policies") b.globalPolicies = structuredClone((e["from"] as Obj).globalPolicies);
  if (e.kind === "userGroup") {
    const u = pick(b.users, e["user"]);
    const g = e["group"] as string;
    u.groups = e["add"] ? [...new Set([...(u.groups ?? []), g])] : (u.groups ?? []).filter((x) => x !== g);
  }
  if (e.kind === "userAttribute") pick(b.users, e["user"]).authorizations = { Dept: e["values"] as string[], Region: e["values"] as string[] };
  if (e.kind === "userProject") pick(b.users, e["user"]).currentProject = e["project"] as number | null;
  if (e.kind === "moveTag") {
    const cols = pick(b.dataSources, e["source"]).columns;
    const from = pick(cols, e["from"]);
    const to = pick(cols, e["to"]);
    const tag = from.tags?.[0];
    if (tag !== undefined) {
      from.tags = from.tags!.slice(1);
      to.tags = [...new Set([...(to.tags ?? []), tag])];
    }
  }
  if (e.kind === "addColumn") pick(b.dataSources, e["source"]).columns.push({ name: "added", dataType: "text", tags: [e["tag"] as string] });
  if (e.kind === "removeUser" && b.users.length > 1) b.users.splice((e["user"] as number) % b.users.length, 1);
  if (e.kind === "addUser")
    b.users.push({ profileId: 999, name: "newcomer", groups: e["groups"] as string[], authorizations: {}, currentProject: null } as never);
  if (e.kind === "removeSource" && b.dataSources.length > 1) b.dataSources.splice((e["source"] as number) % b.dataSources.length, 1);
  if (e.kind === "maskMetadata") {
    for (const p of b.globalPolicies as { actions: { rules: { config?: { maskingConfig?: { type: string; constant?: string } } }[] }[] }[])
      for (const a of p.actions) for (const r of a.rules) if (r.config?.maskingConfig?.type === "Constant") r.config.maskingConfig.constant = e["to"] as string;
  }
  if (e.kind === "addSource") {
    const copy = structuredClone(pick(b.dataSources, e["source"]));
    b.dataSources.push({ ...copy, id: 99, name: "New source" });
  }
  return b;
}

function parsed(obj: unknown): Bundle {
  return unwrap(parseBundle(obj));
}

/** The oracle: every cell of both bundles evaluated one by one, keyed "user/source". */
function cells(bundle: Bundle): Map<string, string> {
  const e = createEngine(bundle);
  const out = new Map<string, string>();
  for (const u of bundle.users)
    for (const ds of bundle.dataSources)
      out.set(`${u.profileId}/${ds.id}`, accessKey(accessView(unwrap(e.decide({ dataSource: ds.id, user: u.profileId, now: NOW })))));
  return out;
}

describe("diff", () => {
  it("reports a cell exactly when what the user can see differs, for every kind of edit", async () => {
    await fc.assert(
      fc.asyncProperty(catalogArb, editArb, async (base, e) => {
        const beforeObj = base as Obj;
        const afterObj = applyEdit(beforeObj, e);
        const before = parsed(beforeObj);
        const after = parsed(afterObj);
        const x = cells(before);
        const y = cells(after);
        const expected = new Map<string, string>();
        for (const [k, v] of x) expected.set(k, y.has(k) ? (y.get(k) === v ? "same" : "changed") : "removed");
        for (const k of y.keys()) if (!x.has(k)) expected.set(k, "added");
        // Cells of a user on one side only and a source on the other side only exist on neither.
        const want = [...expected].filter(([, v]) => v !== "same").map(([k, v]) => `${k} ${v}`);
        const d = unwrap(await diff(before, after, { now: NOW }));
        expect(d.changes.map((c) => `${c.user}/${c.dataSource} ${c.change}`).sort()).toEqual(want.sort());
        expect(d.changedCells).toBe(want.length);
      }),
      { numRuns: RUNS },
    );
  });

  it("diff(a, a) is empty", async () => {
    await fc.assert(
      fc.asyncProperty(catalogArb, async (base) => {
        const b = parsed(base);
        const d = unwrap(await diff(b, b, { now: NOW }));
        expect([d.changes, d.changedCells, d.policyChangedCells]).toEqual([[], 0, 0]);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});
