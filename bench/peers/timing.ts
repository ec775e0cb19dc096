/** Sampling: per-decision time as the median of several timed samples, time-boxed per engine-cell. */
import type { Runner } from "./types.js";

export interface TimingPlan {
  /** Wall-clock budget for warm-up plus samples, in ms. */
  readonly budgetMs: number;
  readonly maxSamples: number;
  /** A sample should last at least this long (fast engines repeat the pass). */
  readonly minSampleMs: number;
  /** Fast engines run full passes for this long first; the last one calibrates the sample size. */
  readonly warmupMs: number;
}

export const DEFAULT_PLAN: TimingPlan = { budgetMs: 3000, maxSamples: 7, minSampleMs: 100, warmupMs: 400 };

export interface Timing {
  readonly perSample: number;
  readonly samplesNs: number[];
  readonly medianNs: number;
  readonly minNs: number;
  readonly sink: number;
}

const nowNs = (): bigint => process.hrtime.bigint();

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * `pairs` are (source, user) pairs in a fixed order; `firstPassMs` is the correctness
 * pass (cold). A sample is `reps` full passes, or — when a pass exceeds the budget
 * share of one sample — a strided subset of the pairs (rotating offset), so slow engines
 * still yield several samples inside the time box.
 */
export function timeRunner(runner: Runner, pairs: readonly (readonly [number, number])[], firstPassMs: number, plan = DEFAULT_PLAN): Timing {
  let sink = 0;
  const consume = (d: unknown): void => {
    sink = (sink + (typeof d === "string" ? d.length : (d as { columns: readonly number[] }).columns.length)) | 0;
  };
  // The correctness pass also pays one-off costs (lazy plans, JIT); a short probe
  // estimates the steady pass time. Fast engines then warm up with full passes for
  // warmupMs, the fastest calibrating the pass time; slow ones are already warm.
  const probe = pairs.slice(0, Math.min(pairs.length, 16));
  const p0 = performance.now();
  for (const [s, u] of probe) consume(runner.decide(s, u));
  let passMs = Math.min(firstPassMs, ((performance.now() - p0) / probe.length) * pairs.length);
  if (passMs < plan.budgetMs / 4) {
    const w0 = performance.now();
    let passes = 0;
    passMs = Infinity;
    while (passes < 2 || performance.now() - w0 < plan.warmupMs) {
      const t0 = performance.now();
      for (const [s, u] of pairs) consume(runner.decide(s, u));
      passMs = Math.min(passMs, performance.now() - t0);
      passes++;
    }
  }
  if (process.env["PEERS_DEBUG"]) process.stderr.write(`${process.argv[2]}: first ${firstPassMs.toFixed(2)} ms, calibrated ${passMs.toFixed(2)} ms\n`);
  const perPairMs = passMs / pairs.length;
  const sampleMs = Math.max(plan.minSampleMs, Math.min(plan.budgetMs / (plan.maxSamples + 1), passMs));
  const count = Math.max(1, Math.min(pairs.length, Math.round(sampleMs / perPairMs)));
  const reps = count < pairs.length ? 1 : Math.max(1, Math.round(sampleMs / passMs));
  const stride = Math.max(1, Math.floor(pairs.length / count));
  const subset = (offset: number): (readonly [number, number])[] => {
    if (count >= pairs.length) return [...pairs];
    const out: (readonly [number, number])[] = [];
    for (let j = 0; j < count; j++) out.push(pairs[(offset + j * stride) % pairs.length]!);
    return out;
  };
  const run = (ps: readonly (readonly [number, number])[]): number => {
    const t0 = nowNs();
    for (let r = 0; r < reps; r++) for (const [s, u] of ps) consume(runner.decide(s, u));
    return Number(nowNs() - t0);
  };
  const samplesNs: number[] = [];
  const start = performance.now();
  for (let k = 0; k < plan.maxSamples; k++) {
    const ps = subset(k);
    samplesNs.push(run(ps) / (ps.length * reps));
    if (performance.now() - start > plan.budgetMs) break;
  }
  return { perSample: count * reps, samplesNs, medianNs: median(samplesNs), minNs: Math.min(...samplesNs), sink };
}
