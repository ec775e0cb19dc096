/**
 * One process group of engines, one N × C cell, in its own process (Cedar's wasm must
 * not share a process with the other engines). Usage:
 *   node --import tsx bench/peer-worker.ts <engine[,engine…]> <N> <C> [sources]
 * Computes every decision (64 users × all sources, in a shuffled order), reports their
 * sha256 digest, then times them (engines of the group in rounds). The last stdout line
 * is the group's WorkerReports as a JSON array.
 */
import { createHash } from "node:crypto";
import { peerWorkload, shuffledPairs } from "./peer-workload.js";
import { makeRunner } from "./peers/engines.js";
import { timeRunners } from "./peers/timing.js";
import { isEngine, type EngineName, type Runner, type WorkerReport } from "./peers/types.js";

/** Peers whose correctness pass covers every SUBSET-th decision only. */
const SLOW: ReadonlySet<EngineName> = new Set(["jsonlogic-percolumn"]);
const SUBSET = 8;

async function main(): Promise<void> {
  const [list, nArg, cArg, sArg] = process.argv.slice(2);
  const engines = (list ?? "").split(",").filter((e) => e !== "");
  if (engines.length === 0 || !engines.every(isEngine) || !nArg || !cArg) throw new Error("usage: peer-worker <engine[,engine…]> <N> <C> [sources]");
  const group = engines as EngineName[];
  const n = Number(nArg);
  const c = Number(cArg);
  const w = peerWorkload(n, c, sArg ? Number(sArg) : 8);
  const pairs = shuffledPairs(w);

  const runners: Runner[] = [];
  const bindMs: number[] = [];
  for (const e of group) {
    const b0 = performance.now();
    runners.push(await makeRunner(e, w));
    bindMs.push(performance.now() - b0);
  }

  // Correctness pass: every decision, as one JSON line each, digested in (source, user)
  // order (sha256); also the digest of every SUBSET-th of them, which the slowest peer
  // alone computes (its full pass took longer than the rest of the benchmark). Only those
  // lines are kept, and only until digested: a heap holding every decision measurably
  // slowed the allocation-heavy engines in the timed samples.
  const digests: (string | null)[] = [];
  const subsetDigests: string[] = [];
  const firstPassMs: number[] = [];
  for (const [i, runner] of runners.entries()) {
    const partial = SLOW.has(group[i]!);
    const lines = new Array<string>(w.sources.length * w.users.length);
    const p0 = performance.now();
    for (const [s, u] of pairs) {
      const k = s * w.users.length + u;
      if (!partial || k % SUBSET === 0) lines[k] = JSON.stringify(runner.decide(s, u));
    }
    // A partial pass stands for a full one in the sampler's budget.
    firstPassMs.push((performance.now() - p0) * (partial ? SUBSET : 1));
    const all = createHash("sha256");
    const some = createHash("sha256");
    lines.forEach((line, k) => {
      if (!partial) all.update(`${line}\n`);
      if (k % SUBSET === 0) some.update(`${line}\n`);
    });
    digests.push(partial ? null : all.digest("hex"));
    subsetDigests.push(some.digest("hex"));
  }

  const timings = timeRunners(runners, pairs, firstPassMs);
  const reports: WorkerReport[] = group.map((engine, i) => ({
    ...(runners[i]!.notes ? { notes: runners[i]!.notes!() } : {}),
    engine,
    n,
    c,
    kind: runners[i]!.kind,
    digest: digests[i]!,
    subsetDigest: subsetDigests[i]!,
    decisions: pairs.length,
    bindMs: bindMs[i]!,
    firstPassMs: firstPassMs[i]!,
    ...timings[i]!,
    group,
  }));
  process.stdout.write(`${JSON.stringify(reports)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
