/**
 * The peer workload, defined exactly: tags, groups, departments and regions; N mask
 * rules, several on each tag, and max(1, N/10) row rules; sources of C columns; 64 users.
 * Every engine is fed from this one description.
 *
 * The mask rules of one tag form a first-match chain (in Veil: one policy per tag, its
 * rules in order): a user excepted from one rule falls through to the next, and the
 * column is clear only when every rule of the chain excepts them. A column's chain is
 * that of its first tag (in tag order) that has rules: the policy authored first wins.
 * `unreachable` adds rules on tags no column carries (each with its own exception), so
 * a policy set can grow without any column reaching the growth.
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
  /** Position of the rule in its tag's chain. */
  readonly rank: number;
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
  /** Tags that carry rules: TAGS[0 .. tagCount). Rule i is on TAGS[i % tagCount], rank ⌊i / tagCount⌋. */
  readonly tagCount: number;
  readonly maskRules: readonly MaskRule[];
  /** Rules on tags no column carries (`unreached.NNNNN`), one per tag; indices continue after the mask rules. */
  readonly unreachableRules: readonly MaskRule[];
  /** Per tag its chain: rule indices in rank order (reachable and unreachable tags). */
  readonly chains: ReadonlyMap<string, readonly number[]>;
  readonly rowRules: readonly RowRule[];
  readonly sources: readonly { readonly id: number; readonly columns: readonly PeerColumn[] }[];
  readonly users: readonly PeerUser[];
}

/** Per column the rule that masks it for the user (or -1: clear), and the allowed regions (or null: no filter). */
export interface PeerDecision {
  readonly columns: readonly number[];
  readonly regions: readonly string[] | null;
}

/** Rules per tag: at least 4, so every cell has chains to fall through. */
export const rulesPerTag = (n: number): number => Math.max(4, Math.ceil(n / TAGS.length));
export const tagCount = (n: number): number => Math.min(TAGS.length, Math.ceil(n / rulesPerTag(n)));

export function maskRules(n: number): MaskRule[] {
  const t = tagCount(n);
  return Array.from({ length: n }, (_, i) => ({
    i,
    tag: TAGS[i % t]!,
    rank: Math.floor(i / t),
    exceptGroup: GROUPS[(7 * i + 3) % 1000]!,
    exceptDept: DEPTS[(3 * i + 1) % 20]!,
    mask: MASK_TYPES[i % 4]!,
  }));
}

function unreachableRules(n: number, count: number): MaskRule[] {
  return Array.from({ length: count }, (_, k) => ({
    i: n + k,
    tag: `unreached.${pad(k, 5)}`,
    rank: 0,
    exceptGroup: `unreached-grp.${pad(k, 5)}`,
    exceptDept: DEPTS[k % 20]!,
    mask: MASK_TYPES[k % 4]!,
  }));
}

export function rowRules(n: number): RowRule[] {
  return Array.from({ length: Math.max(1, Math.floor(n / 10)) }, (_, j) => ({
    j,
    waiveGroup: GROUPS[(13 * j + 5) % 1000]!,
    waiveDept: DEPTS[(7 * j + 2) % 20]!,
  }));
}

/** The chain of rules that decides a column (that of its first ruled tag), or null: no rule reaches it. */
export function columnChain(w: PeerWorkload, column: PeerColumn): readonly number[] | null {
  let best = -1;
  for (const t of column.tags) {
    const k = TAGS.indexOf(t);
    if (k !== -1 && k < w.tagCount && (best === -1 || k < best)) best = k;
  }
  return best === -1 ? null : w.chains.get(TAGS[best]!)!;
}

/** The workload for N rules and C columns; `sources` data sources, `unreachable` extra rules, seeded. */
export function peerWorkload(n: number, c: number, sources = 8, unreachable = 0, seed = 20261125): PeerWorkload {
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
  const mask = maskRules(n);
  const extra = unreachableRules(n, unreachable);
  const chains = new Map<string, number[]>();
  for (const r of [...mask, ...extra]) {
    const chain = chains.get(r.tag);
    if (chain) chain.push(r.i);
    else chains.set(r.tag, [r.i]);
  }
  return { n, c, tagCount: tagCount(n), maskRules: mask, unreachableRules: extra, chains, rowRules: rowRules(n), sources: srcs, users };
}

/** Every (source, user) pair once, shuffled (seeded): consecutive decisions do not share a source or a user. */
export function shuffledPairs(w: PeerWorkload, seed = 97): (readonly [number, number])[] {
  const pairs: (readonly [number, number])[] = [];
  for (let s = 0; s < w.sources.length; s++) for (let u = 0; u < w.users.length; u++) pairs.push([s, u]);
  const rnd = mulberry32(seed);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = intBelow(rnd, i + 1);
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  return pairs;
}

/** Rule `i` of the workload (mask or unreachable). */
export const ruleAt = (w: PeerWorkload, i: number): MaskRule => (i < w.n ? w.maskRules[i]! : w.unreachableRules[i - w.n]!);
