/**
 * Sampling: per-decision time as the median of several timed samples, time-boxed.
 * Engines that run in one process are sampled in rounds (A B C, B C A, …), so a drift in
 * the machine's speed lands on all of them alike and their per-round ratios stay meaningful.
 */
import type { Runner } from "./types.js";

export interface TimingPlan {
  /** Wall-clock budget per engine for its samples, in ms (the warm-up comes on top). */
  readonly budgetMs: number;
  readonly maxSamples: number;
  /** A sample should last at least this long (fast engines repeat the pass). */
  readonly minSampleMs: number;
  /** Fast engines run full passes for this long first; the fastest calibrates the sample size. */
  readonly warmupMs: number;
}

export const DEFAULT_PLAN: TimingPlan = { budgetMs: 650, maxSamples: 11, minSampleMs: 40, warmupMs: 200 };

export interface Timing {
  readonly perSample: number;
  readonly samplesNs: number[];
  readonly medianNs: number;
  readonly minNs: number;
  readonly sink: number;
}

type Pairs = readonly (readonly [number, number])[];

const nowNs = (): bigint => process.hrtime.bigint();

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Sampler {
  readonly perSample: number;
  /** Sample k: ns per decision. */
  sample(k: number): number;
  sink(): number;
}

/**
 * `pairs` are (source, user) pairs in a fixed (shuffled) order; `firstPassMs` is the
 * correctness pass (cold). A sample is `reps` full passes, or — when a pass exceeds the
 * budget share of one sample — a strided subset of the pairs (rotating offset), so slow
 * engines still yield several samples inside the time box.
 */
function sampler(runner: Runner, pairs: Pairs, firstPassMs: number, plan: TimingPlan): Sampler {
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
  const perPairMs = passMs / pairs.length;
  const sampleMs = Math.max(plan.minSampleMs, Math.min(plan.budgetMs / (plan.maxSamples + 1), passMs));
  const count = Math.max(1, Math.min(pairs.length, Math.round(sampleMs / perPairMs)));
  const reps = count < pairs.length ? 1 : Math.max(1, Math.round(sampleMs / passMs));
  const stride = Math.max(1, Math.floor(pairs.length / count));
  const subset = (offset: number): Pairs => {
    if (count >= pairs.length) return pairs;
    const out: (readonly [number, number])[] = [];
    for (let j = 0; j < count; j++) out.push(pairs[(offset + j * stride) % pairs.length]!);
    return out;
  };
  return {
    perSample: count * reps,
    sample(k) {
      const ps = subset(k);
      const t0 = nowNs();
      for (let r = 0; r < reps; r++) for (const [s, u] of ps) consume(runner.decide(s, u));
      return Number(nowNs() - t0) / (ps.length * reps);
    },
    sink: () => sink,
  };
}

/** Times several runners of one process in rounds; every runner gets the same number of samples. */
export function timeRunners(runners: readonly Runner[], pairs: Pairs, firstPassMs: readonly number[], plan = DEFAULT_PLAN): Timing[] {
  const samplers = runners.map((r, i) => sampler(r, pairs, firstPassMs[i]!, plan));
  const samples: number[][] = runners.map(() => []);
  const start = performance.now();
  for (let k = 0; k < plan.maxSamples; k++) {
    for (let j = 0; j < samplers.length; j++) {
      const i = (k + j) % samplers.length;
      samples[i]!.push(samplers[i]!.sample(k));
    }
    if (k >= 2 && performance.now() - start > plan.budgetMs * runners.length) break;
  }
  return samplers.map((s, i) => ({
    perSample: s.perSample,
    samplesNs: samples[i]!,
    medianNs: median(samples[i]!),
    minNs: Math.min(...samples[i]!),
    sink: s.sink(),
  }));
}
