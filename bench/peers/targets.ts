/** The issue's targets, checked against the workers' samples. */
import { median } from "./timing.js";
import type { WorkerReport } from "./types.js";

export interface TargetCheck {
  readonly target: string;
  readonly n: number;
  readonly c: number;
  readonly value: number;
  readonly pass: boolean;
}

const find = (rs: readonly WorkerReport[], engine: string, n: number, c: number): WorkerReport | undefined =>
  rs.find((r) => r.engine === engine && r.n === n && r.c === c);

const sameProcess = (x: WorkerReport, y: WorkerReport): boolean => x.group.join() === y.group.join();

/**
 * a / b for one cell: when b ran in a's process, the median of their per-round ratios
 * (a drift in machine speed cancels out); otherwise the ratio of their medians.
 */
export function ratio(reports: readonly WorkerReport[], a: string, b: string, n: number, c: number): number | null {
  const x = find(reports, a, n, c);
  if (!x) return null;
  const y = reports.find((r) => r.engine === b && r.n === n && r.c === c && sameProcess(r, x)) ?? find(reports, b, n, c);
  if (!y) return null;
  if (sameProcess(x, y) && x.samplesNs.length === y.samplesNs.length) return median(x.samplesNs.map((s, k) => s / y.samplesNs[k]!));
  return x.medianNs / y.medianNs;
}

export function checkTargets(reports: readonly WorkerReport[], cells: readonly (readonly [number, number])[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  const push = (target: string, n: number, c: number, v: number | null, pass: (v: number) => boolean) => {
    if (v !== null) out.push({ target, n, c, value: v, pass: pass(v) });
  };
  for (const [n, c] of cells) push("1. veil ≤ 1.5× closure (fresh user)", n, c, ratio(reports, "veil", "closure", n, c), (v) => v <= 1.5);
  for (const [n, c] of cells) push("2. +10k unreachable ≤ 1.05× veil", n, c, ratio(reports, "veil-unreachable", "veil", n, c), (v) => v <= 1.05);
  for (const [n, c] of cells) push("veil+json ≤ 2× closure+json", n, c, ratio(reports, "veil+json", "closure+json", n, c), (v) => v <= 2);
  push("cedar ≥ 200× veil", 1000, 200, ratio(reports, "cedar", "veil", 1000, 200), (v) => v >= 200);
  push("jsonlogic-indexed ≥ 4× veil", 1000, 200, ratio(reports, "jsonlogic-indexed", "veil", 1000, 200), (v) => v >= 4);
  return out;
}
