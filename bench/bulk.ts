/**
 * Bulk speed (issue 12): matrix over 1,000 distinct users × 50 sources of the peer
 * workload (N = 1,000 rules), C = 20 and C = 200 columns, on the built library.
 *
 * Reported per C, each the median of rounds, in one process:
 * - `kernel`: a precomputed closure kernel — per column its rule chain, per user its sets,
 *   built before timing — counting masked columns and row access for every cell;
 * - `veil-1t` / `veil-2t`: `matrix(bundle, {workers})`, warm (the engine, its plans and the
 *   worker pool already made by an earlier call, as in a server or a CI job that runs
 *   several simulations), and `veil-1t-cold`: the first call on a fresh bundle, binding included;
 * - ratios: veil-1t ÷ kernel and veil-2t ÷ veil-1t.
 * Each mode runs in blocks of its own rounds (three blocks each), medians over all rounds.
 * Targets: ≥ 1.5M decisions/s (C = 20) and ≥ 300k/s (C = 200) on one thread; 2 threads ≥ 1.6×.
 * Writes bench/results/bulk-latest.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { columnChain, peerWorkload, type PeerUser, type PeerWorkload } from "./peer-workload.js";
import { peerBundle } from "./peer-veil.js";

type Veil = typeof import("../src/node.js");
const veil = (await import(new URL(process.env["VEIL_FROM_SOURCE"] ? "../src/node.ts" : "../dist/node.js", import.meta.url).href)) as Veil;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const USERS = 1000;
const SOURCES = 50;
const ROUNDS = Number(process.env["BULK_ROUNDS"] ?? 15);
const WARMUP = 8;

/** 1,000 distinct users: variants of the 64 peer users, each dropping a different number of groups. */
function distinctUsers(w: PeerWorkload): PeerUser[] {
  const out: PeerUser[] = [];
  for (let k = 0; out.length < USERS; k++) for (const u of w.users) if (out.length < USERS) out.push({ ...u, id: u.id + 64 * k, groups: u.groups.slice(k) });
  return out;
}

/** The closure kernel: everything but the cell loop precomputed. Returns a checksum so the work is not optimised away. */
function kernelRun(w: PeerWorkload, users: readonly PeerUser[]): number {
  let sum = 0;
  for (let s = 0; s < chainsOf(w).length; s++) {
    const chains = chainsOf(w)[s]!;
    for (const u of prepared(users)) {
      let masked = 0;
      for (const chain of chains) {
        if (chain === null) continue;
        for (const r of chain)
          if (!(u.groups.has(r.g) || u.depts.has(r.d))) {
            masked++;
            break;
          }
      }
      let filtered = false;
      for (const r of w.rowRules)
        if (!(u.groups.has(r.waiveGroup) || u.depts.has(r.waiveDept))) {
          filtered = true;
          break;
        }
      sum += masked + (filtered ? (u.regions.size === 0 ? 2 : 1) : 0);
    }
  }
  return sum;
}
const chainCache = new WeakMap<PeerWorkload, ({ g: string; d: string }[] | null)[][]>();
function chainsOf(w: PeerWorkload) {
  let c = chainCache.get(w);
  if (!c) {
    c = w.sources.map((s) =>
      s.columns.map((col) => columnChain(w, col)?.map((i) => ({ g: w.maskRules[i]!.exceptGroup, d: w.maskRules[i]!.exceptDept })) ?? null),
    );
    chainCache.set(w, c);
  }
  return c;
}
const prepCache = new WeakMap<readonly PeerUser[], { groups: Set<string>; depts: Set<string>; regions: Set<string> }[]>();
function prepared(users: readonly PeerUser[]) {
  let p = prepCache.get(users);
  if (!p) {
    p = users.map((u) => ({ groups: new Set(u.groups), depts: new Set(u.depts), regions: new Set(u.regions) }));
    prepCache.set(users, p);
  }
  return p;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(f: () => unknown | Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

const results: Record<string, unknown>[] = [];
for (const c of [20, 200]) {
  const w0 = peerWorkload(1000, c, SOURCES);
  const users = distinctUsers(w0);
  const w = { ...w0, users };
  const parse = () => {
    const b = veil.parseBundle(peerBundle(w));
    if (!b.ok) throw new Error(b.issues.map((i) => i.message).join("; "));
    return b.value;
  };
  const cells = USERS * SOURCES;
  chainsOf(w);
  prepared(users);
  const cold = await time(async () => void (await veil.matrix(parse(), { workers: 1 })));
  const bundle = parse();
  const check = veil.matrix(bundle, { workers: 1 });
  const groups = (await check).ok ? ((await check) as { value: { groups: number } }).value.groups : -1;
  // Warm: the engine's plans and prepared users, the pool holding the bundle, and the JIT in every thread.
  for (let i = 0; i < WARMUP; i++) {
    await veil.matrix(bundle, { workers: 1 });
    await veil.matrix(bundle, { workers: 2 });
    kernelRun(w, users);
  }
  const kernel: number[] = [];
  const one: number[] = [];
  const two: number[] = [];
  // Each mode in a block of its own rounds (a 2-thread call right after a 1-thread one pays for
  // the other's garbage and for workers gone cold), the blocks repeated so drift shows in all three.
  for (let block = 0; block < 3; block++) {
    for (let r = 0; r < ROUNDS; r++) kernel.push(await time(() => kernelRun(w, users)));
    for (let r = 0; r < ROUNDS; r++) one.push(await time(() => veil.matrix(bundle, { workers: 1 })));
    for (let r = 0; r < ROUNDS; r++) two.push(await time(() => veil.matrix(bundle, { workers: 2 })));
  }
  if (process.env["BULK_DEBUG"]) console.log(c, { one: one.map((x) => (x * 1000).toFixed(1)).join(" "), two: two.map((x) => (x * 1000).toFixed(1)).join(" ") });
  const rate = (s: number) => Math.round(cells / s);
  const row = {
    c,
    cells,
    groups,
    kernel: rate(median(kernel)),
    "veil-1t": rate(median(one)),
    "veil-2t": rate(median(two)),
    "veil-1t-cold": rate(cold),
    "1t/kernel": median(kernel) / median(one),
    "2t/1t": median(one) / median(two),
    target1t: c === 20 ? 1_500_000 : 300_000,
  };
  results.push(row);
  console.log(
    `C=${String(c).padEnd(3)}  kernel ${row.kernel.toLocaleString("en")}/s  veil 1 thread ${row["veil-1t"].toLocaleString("en")}/s (${row["1t/kernel"].toFixed(2)}× kernel; cold ${row["veil-1t-cold"].toLocaleString("en")}/s)  2 threads ${row["veil-2t"].toLocaleString("en")}/s (${row["2t/1t"].toFixed(2)}× 1 thread)  groups ${groups}`,
  );
}
const machine = { node: process.version, cpus: cpus().length, parallelism: availableParallelism(), model: cpus()[0]?.model ?? "", load: loadavg() };
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(
  join(root, "bench", "results", "bulk-latest.json"),
  `${JSON.stringify({ machine, users: USERS, sources: SOURCES, rounds: ROUNDS, results }, null, 2)}\n`,
);
