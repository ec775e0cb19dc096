/**
 * The peer workload of issue 5, defined exactly: tags, groups, departments and
 * regions; N mask rules and max(1, N/10) row rules; sources of C columns; 64 users.
 * Every engine is fed from this one description.
 */
import { distinct, intBelow, mulberry32, pad } from "./rng.js";

export const TAGS = Array.from({ length: 100 }, (_, i) => `tag.${pad(i, 3)}`);
export const GROUPS = Array.from({ length: 1000 }, (_, i) => `grp.${pad(i, 4)}`);
export const DEPTS = Array.from({ length: 20 }, (_, i) => `dept.${pad(i, 2)}`);
export const REGIONS = Array.from({ length: 12 }, (_, i) => `region.${pad(i, 2)}`);
/** The tag on column 0 that entitlement rules read. */
export const REGION_TAG = "geo.region";
export const MASK_TYPES = ["hash", "null", "constant", "regex"] as const;

export interface MaskRule {
  readonly i: number;
  readonly tag: string;
  readonly exceptGroup: string;
  readonly exceptDept: string;
  readonly mask: (typeof MASK_TYPES)[number];
}
export interface RowRule {
  readonly j: number;
  readonly waiveGroup: string;
  readonly waiveDept: string;
}
export interface PeerColumn {
  readonly name: string;
  readonly tags: readonly string[];
}
export interface PeerUser {
  readonly id: number;
  readonly groups: readonly string[];
  readonly depts: readonly string[];
  readonly regions: readonly string[];
}
export interface PeerWorkload {
  readonly n: number;
  readonly c: number;
  readonly maskRules: readonly MaskRule[];
  readonly rowRules: readonly RowRule[];
  readonly sources: readonly { readonly id: number; readonly columns: readonly PeerColumn[] }[];
  readonly users: readonly PeerUser[];
}

/** Per column the winning rule index (or -1), and the allowed regions (or null: no filter). */
export interface PeerDecision {
  readonly columns: readonly number[];
  readonly regions: readonly string[] | null;
}

export function maskRules(n: number): MaskRule[] {
  return Array.from({ length: n }, (_, i) => ({
    i,
    tag: TAGS[i % 100]!,
    exceptGroup: GROUPS[(7 * i + 3) % 1000]!,
    exceptDept: DEPTS[(3 * i + 1) % 20]!,
    mask: MASK_TYPES[i % 4]!,
  }));
}

export function rowRules(n: number): RowRule[] {
  return Array.from({ length: Math.max(1, Math.floor(n / 10)) }, (_, j) => ({
    j,
    waiveGroup: GROUPS[(13 * j + 5) % 1000]!,
    waiveDept: DEPTS[(7 * j + 2) % 20]!,
  }));
}

/** The workload for N rules and C columns; `sources` data sources, seeded. */
export function peerWorkload(n: number, c: number, sources = 8, seed = 20261125): PeerWorkload {
  const rnd = mulberry32(seed);
  const srcs = Array.from({ length: sources }, (_, s) => ({
    id: s + 1,
    columns: Array.from(
      { length: c },
      (_, k): PeerColumn =>
        k === 0 ? { name: "region", tags: [REGION_TAG] } : { name: `col_${pad(k, 3)}`, tags: distinct(rnd, 100, intBelow(rnd, 4)).map((t) => TAGS[t]!) },
    ),
  }));
  const users = Array.from(
    { length: 64 },
    (_, u): PeerUser => ({
      id: u + 1,
      groups: distinct(rnd, 1000, intBelow(rnd, 201)).map((g) => GROUPS[g]!),
      depts: distinct(rnd, 20, 1 + intBelow(rnd, 2)).map((d) => DEPTS[d]!),
      regions: distinct(rnd, 12, intBelow(rnd, 5)).map((r) => REGIONS[r]!),
    }),
  );
  return { n, c, maskRules: maskRules(n), rowRules: rowRules(n), sources: srcs, users };
}
