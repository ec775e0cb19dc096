/** The peer workload as a Veil bundle, and Veil's decision in the shared shape. */
import type { Engine } from "../src/engine/engine.js";
import type { BundleInput } from "../src/model/bundle.js";
import { REGIONS, REGION_TAG, type PeerDecision, type PeerWorkload } from "./peer-workload.js";

const MASKS = {
  hash: { type: "Hash" },
  null: { type: "Null" },
  constant: { type: "Constant", constant: "X" },
  regex: { type: "Regex", regex: ".", replacement: "*" },
} as const;

/** One global policy per rule; ids follow rule order, so lower i is authored first. */
export function peerBundle(w: PeerWorkload): BundleInput {
  const masking = w.maskRules.map((r) => ({
    id: r.i + 1,
    name: `mask ${r.i}`,
    type: "data",
    actions: [
      {
        rules: [
          {
            type: "Masking",
            exceptions: { operator: "any", groups: [r.exceptGroup], attributes: [{ name: "Dept", value: r.exceptDept }] },
            config: { fields: [{ type: "columnTags", columnTag: r.tag }], maskingConfig: MASKS[r.mask] },
          },
        ],
      },
    ],
  }));
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
    globalPolicies: [...masking, ...rows],
    users: w.users.map((u) => ({
      profileId: u.id,
      name: `user ${u.id}`,
      groups: [...u.groups],
      authorizations: { Dept: [...u.depts], Region: [...u.regions] },
    })),
  };
}

/** Veil's decision for one (user, source) in the shared shape: rule index per column, allowed regions. */
export function veilDecision(engine: Engine, w: PeerWorkload, sourceIndex: number, userId: number): PeerDecision {
  const d = engine.decide({ dataSource: w.sources[sourceIndex]!.id, user: userId });
  if (!d.ok) throw new Error(d.issues[0]!.message);
  const columns = w.sources[sourceIndex]!.columns.map(() => -1);
  for (const m of d.value.masks) if (m.applied) columns[m.columnIndex] = (m.policy.policy.id as number) - 1;
  const v = d.value.rows.visibility;
  return { columns, regions: v ? v.visible.map((combo) => combo[0]!) : null };
}
