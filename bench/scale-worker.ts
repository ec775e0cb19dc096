/**
 * One scale figure per process (so memory and JIT state are its own), measured on
 * the built library in dist/ — what users run. Prints one JSON line.
 * Usage: node --import tsx bench/scale-worker.ts <figure>
 */
import { generateBundle } from "./generate.js";
import { peerWorkload } from "./peer-workload.js";
import { peerBundle } from "./peer-veil.js";

type Veil = typeof import("../src/node.js");
const veil = (await import(new URL("../dist/node.js", import.meta.url).href)) as Veil;

function must<T>(r: { ok: true; value: T } | { ok: false; issues: readonly { message: string }[] }): T {
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("; "));
  return r.value;
}

function parse(obj: unknown) {
  const b = veil.parseBundle(obj);
  if (!b.ok) throw new Error(JSON.stringify(b.issues.slice(0, 3)));
  return b.value;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

const figures: Record<string, () => Promise<Record<string, number | string>>> = {
  async "bind-one"() {
    const b = parse(generateBundle("M", { sources: 300, users: 10 }));
    const set = veil.compilePolicySet(b);
    for (const ds of b.dataSources.slice(0, 50)) veil.compilePlan(set, ds);
    const samples = b.dataSources.slice(50).map((ds) => time(() => veil.compilePlan(set, ds)) * 1000);
    return { value: median(samples), unit: "µs/source", note: "M: 500 policies, 100 columns" };
  },
  async "bind-catalog"() {
    const b = parse(generateBundle("L", { users: 10 }));
    const set = veil.compilePolicySet(b);
    const ms = time(() => {
      for (const ds of b.dataSources) veil.compilePlan(set, ds);
    });
    return { value: ms, unit: "ms", note: "L: 2,000 global policies → 10,000 sources × 100 columns, one thread" };
  },
  async decision() {
    const b = parse(generateBundle("M", { sources: 200, users: 200 }));
    const e = veil.createEngine(b);
    const pairs = b.dataSources.flatMap((ds) => b.users.map((u) => [ds.id, u.profileId] as const));
    for (const [ds, u] of pairs) e.decide({ dataSource: ds, user: u });
    const samples = [0, 1, 2, 3, 4].map(() => (time(() => pairs.forEach(([ds, u]) => e.decide({ dataSource: ds, user: u }))) * 1000) / pairs.length);
    const json = [0, 1, 2].map(() => (time(() => pairs.forEach(([ds, u]) => JSON.stringify(e.policyInfo({ dataSource: ds, user: u })))) * 1000) / pairs.length);
    return { value: median(samples), unit: "µs/decision", json: median(json), note: "M sources and users; policyInfo + JSON in `json`" };
  },
  async "visibility-report-1m"() {
    const regions = Array.from({ length: 1000 }, (_, i) => `r${i}`);
    const teams = Array.from({ length: 1000 }, (_, i) => `t${i}`);
    const visibilities = regions.flatMap((region) => teams.map((team) => ({ region, team })));
    const b = parse({
      dataSources: [
        {
          id: 1,
          name: "Big",
          columns: [
            { name: "region", dataType: "text", tags: ["geo"] },
            { name: "team", dataType: "text", tags: ["org"] },
          ],
          visibilities,
        },
      ],
      globalPolicies: [
        {
          id: 1,
          name: "rows",
          type: "data",
          actions: [
            {
              rules: [
                {
                  type: "Row Restriction by User Entitlements",
                  config: {
                    operator: "all",
                    matches: [
                      { type: "attribute", attribute: "Region", tag: "geo" },
                      { type: "group", tag: "org" },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      users: [{ profileId: 1, name: "u", groups: teams.slice(0, 300), authorizations: { Region: regions.slice(0, 40) } }],
    });
    const e = veil.createEngine(b);
    let count = 0;
    const bind = time(() => void e.planFor(1));
    const samples = [0, 1, 2].map(() =>
      time(() => {
        const r = e.visibilityReport({ dataSource: 1, user: 1 });
        if (r.ok) count = r.value.userVisibilitiesCount;
      }),
    );
    return { value: median(samples), unit: "ms", bindMs: bind, visible: count, note: "1,000,000 visibilities, two-column entitlement rule" };
  },
  async matrix() {
    const b = parse(generateBundle("L", { sources: 1000 }));
    let groups = 0;
    const ms = await (async () => {
      const t = performance.now();
      groups = must(await veil.matrix(b, { workers: 2 })).groups;
      return performance.now() - t;
    })();
    return {
      value: ms / 1000,
      unit: "s",
      groups,
      cellsPerSecond: Math.round(10_000_000 / (ms / 1000)),
      note: "L subset: 10,000 users × 1,000 sources, 2 worker threads",
    };
  },
  async diff() {
    const obj = generateBundle("L", { sources: 1000 });
    const after = structuredClone(obj) as {
      globalPolicies: { actions: { rules: { type: string; config: { fields?: { columnTag: string }[]; maskingConfig?: unknown } }[] }[] }[];
    };
    // Edit ten leaf-tag masking policies (they win their columns): what a simulated rollout looks like.
    after.globalPolicies
      .map((p) => p.actions[0]!.rules[0]!)
      .filter((r) => r.type === "Masking" && r.config.fields![0]!.columnTag.split(".").length === 3)
      .slice(0, 10)
      .forEach((r) => (r.config.maskingConfig = { type: "Constant", constant: "CHANGED" }));
    const before = parse(obj);
    const b2 = parse(after);
    const t = performance.now();
    const d = must(await veil.diff(before, b2, { workers: 2, detail: "summary" }));
    return {
      value: (performance.now() - t) / 1000,
      unit: "s",
      changedCells: d.changedCells,
      sources: d.dataSources.length,
      groups: d.groups,
      note: "L subset, 10 leaf-tag policies edited (mask kind), 2 worker threads",
    };
  },
  async "peak-memory-l"() {
    const b = parse(generateBundle("L"));
    const e = veil.createEngine(b);
    for (const ds of b.dataSources) e.planFor(ds.id);
    for (const u of b.users.slice(0, 100)) for (const ds of b.dataSources.slice(0, 100)) e.decide({ dataSource: ds.id, user: u.profileId });
    return { value: process.resourceUsage().maxRSS / 1024, unit: "MB", note: "L loaded, every source bound, decisions made" };
  },
  async "peer-bulk-20"() {
    return peerBulk(20);
  },
  async "peer-bulk-200"() {
    return peerBulk(200);
  },
};

/** Bulk decisions/s on the peer workload (N = 1000): 1,024 users × sources, 2 threads, all setup included. */
async function peerBulk(c: number) {
  const w = peerWorkload(1000, c, c === 20 ? 2000 : 400);
  // 16 variants of the 64 peer users (each drops a few groups), so there are 1,024 distinct users.
  const users = Array.from({ length: 16 }, (_, k) => w.users.map((u) => ({ ...u, id: u.id + 64 * k, groups: u.groups.slice(k) })));
  const b = parse(peerBundle({ ...w, users: users.flat() }));
  const t = performance.now();
  const m = must(await veil.matrix(b, { workers: 2 }));
  const s = (performance.now() - t) / 1000;
  return {
    value: Math.round(m.masked.length / s),
    unit: "decisions/s",
    cells: m.masked.length,
    groups: m.groups,
    note: `peer workload N=1000 C=${c}, 2 threads, binding included`,
  };
}

const name = process.argv[2]!;
const f = figures[name];
if (!f) throw new Error(`unknown figure ${name}; known: ${Object.keys(figures).join(", ")}`);
console.log(JSON.stringify({ figure: name, ...(await f()) }));
