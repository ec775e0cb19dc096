/** What every peer engine exposes to the worker: one decision per (source, user) pair. */
import type { PeerDecision } from "../peer-workload.js";

export const ENGINES = [
  "closure",
  "veil",
  "veil-profile",
  "veil-unreachable",
  "veil-cached-user",
  "jsonlogic-indexed",
  "jsonlogic-percolumn",
  "cedar",
  "closure+json",
  "veil+json",
] as const;
export type EngineName = (typeof ENGINES)[number];

/**
 * The engines that share a worker process, sampled in rounds. The closure and the fair
 * Veil runners (their ratios are the targets) share one; the informational Veil runners
 * another, with the closure again (in one process with `veil` they would skew its type
 * feedback, as no real server mixes them); the JSON pair one. The allocation-heavy
 * json-logic peers and Cedar's wasm run apart.
 */
export const PROCESS_GROUPS: readonly (readonly EngineName[])[] = [
  ["closure", "veil", "veil-unreachable"],
  ["closure", "veil-profile", "veil-cached-user"],
  ["jsonlogic-indexed", "jsonlogic-percolumn"],
  ["cedar"],
  ["closure+json", "veil+json"],
];

/** `decision`: returns the shared PeerDecision; `json`: returns an Immuta policyInfo JSON string. */
export type RunnerKind = "decision" | "json";

export interface Runner {
  readonly kind: RunnerKind;
  /** Everything user- and source-independent is done before this is called (untimed). */
  decide(sourceIndex: number, userIndex: number): PeerDecision | string;
  /** Read after timing. */
  notes?(): Readonly<Record<string, number>>;
}

/** One engine's report; a worker prints one line with the reports of its group. */
export interface WorkerReport {
  readonly engine: EngineName;
  readonly n: number;
  readonly c: number;
  readonly kind: RunnerKind;
  /** sha256 over every decision; null for a peer checked on the subset only. */
  readonly digest: string | null;
  /** sha256 over every 8th decision (in (source, user) order). */
  readonly subsetDigest: string;
  readonly decisions: number;
  readonly bindMs: number;
  readonly firstPassMs: number;
  /** Decisions timed per sample (a full pass times `reps`, or a strided subset for slow engines). */
  readonly perSample: number;
  /** In round order: sample k of engines of one process was taken in round k. */
  readonly samplesNs: readonly number[];
  readonly medianNs: number;
  readonly minNs: number;
  readonly sink: number;
  /** The engines sampled in rounds with this one (its process group). */
  readonly group: readonly EngineName[];
  /** What the runner reports of itself (Veil: how many conditions got an id, of how many). */
  readonly notes?: Readonly<Record<string, number>>;
}

export const isEngine = (s: string): s is EngineName => (ENGINES as readonly string[]).includes(s);
