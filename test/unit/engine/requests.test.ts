/**
 * The engine as an API server embeds it: users given as profiles, prepared users tied to
 * their policy set, and no exported function that throws on bad arguments.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine, diff, evaluateMasking, evaluateRows, loadBundleTexts, matrix } from "../../../src/index.js";
import { matrix as threadedMatrix } from "../../../src/node.js";
import { loadBundleFile } from "../../../src/io/load.js";
import type { Bundle } from "../../../src/model/bundle.js";
import { unwrap } from "../../../src/errors.js";

const ROOT = join(import.meta.dirname, "../../..");
const seed = unwrap(loadBundleFile(join(ROOT, "fixtures/seed/bundle.yaml")));
const golden = JSON.parse(readFileSync(join(ROOT, "fixtures/seed/jane.policyInfo.json"), "utf8"));

/** A scenario's bundle (`bundle.yaml`, or the V2 twin `bundle-v2.yaml`). */
function scenario(name: string): Bundle {
  const dir = join(ROOT, "fixtures/scenarios", name);
  return unwrap(loadBundleFile(join(dir, existsSync(join(dir, "bundle.yaml")) ? "bundle.yaml" : "bundle-v2.yaml")));
}

describe("users as input", () => {
  it("a profile object gets the same answer as the identical bundle user", () => {
    for (const name of [
      "exceptions-by-group",
      "exceptions-by-attribute",
      "rows-custom-where-functions",
      "rows-entitlements-attribute",
      "exceptions-by-purpose",
    ]) {
      const b = scenario(name);
      const engine = createEngine(b);
      for (const ds of b.dataSources)
        for (const u of b.users) {
          const { profileId: _id, ...profile } = u;
          const byRef = engine.policyInfo({ dataSource: ds.id, user: u.profileId, now: "2024-06-01T00:00:00Z" });
          const byProfile = engine.policyInfo({ dataSource: ds.id, user: profile, now: "2024-06-01T00:00:00Z" });
          expect(byProfile, `${name}: ${u.name} on ${ds.name}`).toEqual(byRef);
        }
    }
  });

  it("the seed's Jane, as a profile from an identity provider", () => {
    const jane = seed.users.find((u) => u.profileId === 2)!;
    const info = createEngine(seed).policyInfo({
      dataSource: "Web Sales",
      user: { name: jane.name, groups: jane.groups ?? [], authorizations: jane.authorizations ?? {} },
    });
    expect(info.ok && info.value).toEqual(golden);
  });

  it("a profile is validated like a bundle user, with paths", () => {
    const r = createEngine(seed).policyInfo({ dataSource: 16, user: { groups: "HR", nick: "x" } as never });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ["user", "groups"],
        ["user", "nick"],
      ]),
    );
  });

  it("a profile's currentProject must exist", () => {
    const r = createEngine(seed).policyInfo({ dataSource: 16, user: { currentProject: 999 } });
    expect(!r.ok && r.issues[0]!.message).toContain("unknown project `999`");
  });
});

describe("prepared users are tied to their policy set", () => {
  it("evaluating a user prepared on another set is an error, never an answer", () => {
    const a = createEngine(seed);
    const other = unwrap(loadBundleFile(join(ROOT, "fixtures/scenarios/mask-kinds/bundle.yaml")));
    const b = createEngine(other);
    const plan = unwrap(a.planFor(16));
    const mine = unwrap(a.prepare(2));
    const foreign = unwrap(b.prepare(other.users[0]!.profileId));
    expect(evaluateMasking(plan, mine).ok).toBe(true);
    expect(evaluateRows(plan, mine).ok).toBe(true);
    for (const r of [evaluateMasking(plan, foreign), evaluateRows(plan, foreign)]) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.issues[0]!.message).toContain("prepared on another policy set");
    }
  });
});

describe("no throws on bad arguments", () => {
  it("engine methods answer undefined, null and wrong types with issues", () => {
    const e = createEngine(seed);
    for (const bad of [undefined, null, 42, "x", {}, { dataSource: {}, user: 2 }, { dataSource: 16, user: null }, { dataSource: 16, user: 2, now: 5 }]) {
      for (const call of [e.policyInfo, e.visibilityReport, e.currentUserVisibilityReport, e.decide]) {
        const r = call(bad as never);
        expect(r.ok, JSON.stringify(bad)).toBe(false);
        expect(!r.ok && r.issues.length).toBeGreaterThan(0);
      }
    }
    expect(e.planFor(undefined as never).ok).toBe(false);
    expect(e.prepare(undefined as never).ok).toBe(false);
  });

  it("an engine over something that is not a bundle answers every request with the reason", () => {
    for (const bad of [undefined, null, {}, { dataSources: "x" }]) {
      const e = createEngine(bad as never);
      const r = e.policyInfo({ dataSource: 1, user: 1 });
      expect(!r.ok && r.issues[0]!.path).toEqual(["bundle"]);
    }
  });

  it("instants are ISO-8601 with Z or an offset; anything else is an issue at `now`", () => {
    const e = createEngine(seed);
    for (const now of ["2024-06-01T00:00:00", "1", "June 1, 2024", "-271821-04-20T00:00:00Z"]) {
      const r = e.policyInfo({ dataSource: 16, user: 2, now });
      expect(!r.ok && r.issues[0]!.path, now).toEqual(["now"]);
    }
    expect(e.policyInfo({ dataSource: 16, user: 2, now: "2024-06-01T09:00:00+09:00" }).ok).toBe(true);
  });

  it("a time window that starts outside the representable range is an issue, not a crash", () => {
    const dir = join(ROOT, "fixtures/scenarios/rows-time-newer");
    const text = readFileSync(join(dir, "bundle-v2.yaml"), "utf8").replace("time: 2592000", "time: 10000000000000");
    const b = unwrap(loadBundleTexts([{ file: "bundle-v2.yaml", text }]));
    const e = createEngine(b);
    for (const u of b.users) {
      const r = e.policyInfo({ dataSource: b.dataSources[0]!.id, user: u.profileId, now: "2024-06-01T00:00:00Z" });
      // Users the time rule does not apply to get their answer; the others an issue at `now`.
      if (!r.ok) expect(r.issues[0]!.path).toEqual(["now"]);
    }
    expect(b.users.some((u) => !e.policyInfo({ dataSource: b.dataSources[0]!.id, user: u.profileId, now: "2024-06-01T00:00:00Z" }).ok)).toBe(true);
  });

  it("matrix and diff return issues, never a plain Error", async () => {
    const m = await matrix(seed, { users: ["nobody"] });
    expect(!m.ok && m.issues[0]!.message).toContain("unknown user `nobody`");
    const d = await diff(seed, seed, { dataSources: [999] });
    expect(!d.ok && d.issues[0]!.message).toContain("unknown data source `999`");
    const n = await matrix(seed, { now: "tomorrow" });
    expect(!n.ok && n.issues[0]!.path).toEqual(["options", "now"]);
    const w = await threadedMatrix(seed, { workers: 0 });
    expect(!w.ok && w.issues[0]!.path).toEqual(["options", "workers"]);
    const notBundle = await matrix(undefined as never);
    expect(!notBundle.ok && notBundle.issues[0]!.path).toEqual(["bundle"]);
  });
});
