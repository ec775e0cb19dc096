/**
 * One engine, one N × C cell, in its own process (Cedar's wasm must not share a
 * process with the other engines). Usage: node --import tsx bench/peer-worker.ts <engine> <N> <C> [sources]
 * Computes every decision (64 users × all sources), reports their sha256 digest, then
 * times them. The last stdout line is the WorkerReport as JSON.
 */
import { createHash } from "node:crypto";
import { peerWorkload } from "./peer-workload.js";
import { makeRunner } from "./peers/engines.js";
import { timeRunner } from "./peers/timing.js";
import { isEngine, type WorkerReport } from "./peers/types.js";

async function main(): Promise<void> {
  const [engine, nArg, cArg, sArg] = process.argv.slice(2);
  if (!engine || !isEngine(engine) || !nArg || !cArg) throw new Error("usage: peer-worker <engine> <N> <C> [sources]");
  const n = Number(nArg);
  const c = Number(cArg);
  const w = peerWorkload(n, c, sArg ? Number(sArg) : 8);

  const b0 = performance.now();
  const runner = await makeRunner(engine, w);
  const bindMs = performance.now() - b0;

  const pairs: (readonly [number, number])[] = [];
  for (let s = 0; s < w.sources.length; s++) for (let u = 0; u < w.users.length; u++) pairs.push([s, u]);

  // Correctness pass: every decision, digested as it comes (sha256 over one JSON line
  // per decision). Nothing is retained: a heap holding every decision measurably slowed
  // the allocation-heavy engines in the timed samples that follow.
  const hash = createHash("sha256");
  const p0 = performance.now();
  for (const [s, u] of pairs) hash.update(`${JSON.stringify(runner.decide(s, u))}\n`);
  const firstPassMs = performance.now() - p0;
  const digest = hash.digest("hex");

  const t = timeRunner(runner, pairs, firstPassMs);
  const report: WorkerReport = { engine, n, c, kind: runner.kind, digest, decisions: pairs.length, bindMs, firstPassMs, ...t };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
