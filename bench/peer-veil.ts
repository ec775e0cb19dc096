/** The peer workload as a Veil bundle, and Veil's decision in the shared shape. */
import type { MaskDecision } from "../src/evaluate/masking.js";
import type { RowDecision } from "../src/evaluate/rows.js";
import type { BundleInput } from "../src/model/bundle.js";
import { REGIONS, REGION_TAG, TAGS, ruleAt, type PeerDecision, type PeerUser, type PeerWorkload } from "./peer-workload.js";

const MASKS = {
  hash: { type: "Hash" },
  null: { type: "Null" },
  constant: { type: "Constant", constant: "X" },
  regex: { type: "Regex", regex: ".", replacement: "*" },
} as const;

/** Policy ids: tag k's policy is k + 1 (so tag order is authoring order); unreachable rule k's is 50,000 + k; row rule j's is 100,000 + j. */
const UNREACHABLE_ID = 50_000;

/** One global policy per tag, its rules in chain order (a first-match chain); one per unreachable rule; one per row rule. */
export function peerBundle(w: PeerWorkload): BundleInput {
  const policy = (id: number, tag: string, chain: readonly number[]) => ({
    id,
    name: `mask ${tag}`,
    type: "data",
    actions: [
      {
        rules: chain.map((i) => {
          const r = ruleAt(w, i);
          return {
            type: "Masking",
            exceptions: { operator: "any", groups: [r.exceptGroup], attributes: [{ name: "Dept", value: r.exceptDept }] },
            config: { fields: [{ type: "columnTags", columnTag: r.tag }], maskingConfig: MASKS[r.mask] },
          };
        }),
      },
    ],
  });
  const masking = TAGS.slice(0, w.tagCount).map((tag, k) => policy(k + 1, tag, w.chains.get(tag)!));
  const unreachable = w.unreachableRules.map((r, k) => policy(UNREACHABLE_ID + k, r.tag, [r.i]));
  const rows = w.rowRules.map((r) => ({
    id: 100_000 + r.j,
    name: `rows ${r.j}`,
    type: "data",
    actions: [
      {
        rules: [
          {
            type: "Row Restriction by User Entitlements",
            exceptions: { operator: "any", groups: [r.waiveGroup], attributes: [{ name: "Dept", value: r.waiveDept }] },
            config: { matches: [{ type: "attribute", attribute: "Region", tag: REGION_TAG }] },
          },
        ],
      },
    ],
  }));
  return {
    dataSources: w.sources.map((s) => ({
      id: s.id,
      name: `source ${s.id}`,
      columns: s.columns.map((c) => ({ name: c.name, dataType: "text", tags: [...c.tags] })),
      visibilities: REGIONS.map((region) => ({ region })),
    })),
    globalPolicies: [...masking, ...unreachable, ...rows],
    users: w.users.map((u) => ({ profileId: u.id, name: `user ${u.id}`, ...peerProfile(u) })),
  };
}

/** A user as an identity provider hands it to a server: groups and attributes, no profile id. */
export function peerProfile(u: PeerUser) {
  return { groups: [...u.groups], authorizations: { Dept: [...u.depts], Region: [...u.regions] } };
}

/** Per workload and source, a row of -1s as long as its columns (copied for each decision). */
const clear = new WeakMap<PeerWorkload, number[][]>();

/** Veil's decisions for one (user, source) in the shared shape: applied rule per column, allowed regions. */
export function peerDecisionOf(w: PeerWorkload, sourceIndex: number, masks: readonly MaskDecision[], rows: RowDecision): PeerDecision {
  let rowsOfW = clear.get(w);
  if (!rowsOfW) clear.set(w, (rowsOfW = w.sources.map((s) => s.columns.map(() => -1))));
  const columns = rowsOfW[sourceIndex]!.slice();
  for (const m of masks) {
    const a = m.applied;
    // Tag k's policy is k + 1, and its rule of rank r is rule r · tagCount + k.
    if (a) columns[m.columnIndex] = a.ruleIndex * w.tagCount + ((m.policy.policy.id as number) - 1);
  }
  const v = rows.visibility;
  return { columns, regions: v ? v.visible.map((combo) => combo[0]!) : null };
}
