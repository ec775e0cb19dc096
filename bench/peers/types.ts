/** What every peer engine exposes to the worker: one decision per (source, user) pair. */
import type { PeerDecision } from "../peer-workload.js";

export const ENGINES = ["closure", "veil", "veil-fresh-user", "jsonlogic-indexed", "jsonlogic-percolumn", "cedar", "closure+json", "veil+json"] as const;
export type EngineName = (typeof ENGINES)[number];

/** `decision`: returns the shared PeerDecision; `json`: returns an Immuta policyInfo JSON string. */
export type RunnerKind = "decision" | "json";

export interface Runner {
  readonly kind: RunnerKind;
  /** Everything user- and source-independent is done before this is called (untimed). */
  decide(sourceIndex: number, userIndex: number): PeerDecision | string;
}

/** One worker's report, printed as the last stdout line. */
export interface WorkerReport {
  readonly engine: EngineName;
  readonly n: number;
  readonly c: number;
  readonly kind: RunnerKind;
  readonly digest: string;
  readonly decisions: number;
  readonly bindMs: number;
  readonly firstPassMs: number;
  /** Decisions timed per sample (a full pass times `reps`, or a strided subset for slow engines). */
  readonly perSample: number;
  readonly samplesNs: readonly number[];
  readonly medianNs: number;
  readonly minNs: number;
  readonly sink: number;
}

export const isEngine = (s: string): s is EngineName => (ENGINES as readonly string[]).includes(s);
