/** The issue's targets, checked against the workers' medians. */
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

export function checkTargets(reports: readonly WorkerReport[], cells: readonly (readonly [number, number])[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  const ratio = (a: string, b: string, n: number, c: number): number | null => {
    const x = find(reports, a, n, c);
    const y = find(reports, b, n, c);
    return x && y ? x.medianNs / y.medianNs : null;
  };
  for (const [n, c] of cells) {
    const v = ratio("veil", "closure", n, c);
    if (v !== null) out.push({ target: "veil ≤ 1.5× closure (decision)", n, c, value: v, pass: v <= 1.5 });
    const j = ratio("veil+json", "closure+json", n, c);
    if (j !== null) out.push({ target: "veil+json ≤ 2× closure+json", n, c, value: j, pass: j <= 2 });
  }
  const cedar = ratio("cedar", "veil", 1000, 200);
  if (cedar !== null) out.push({ target: "cedar ≥ 200× veil", n: 1000, c: 200, value: cedar, pass: cedar >= 200 });
  const jl = ratio("jsonlogic-indexed", "veil", 1000, 200);
  if (jl !== null) out.push({ target: "jsonlogic-indexed ≥ 4× veil", n: 1000, c: 200, value: jl, pass: jl >= 4 });
  return out;
}
