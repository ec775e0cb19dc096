import fc from "fast-check";
import { bundleArb, type BundleObject } from "./bundle.js";
import { rowActionArb } from "./rows.js";

/** Generated bundles with three sources, row policies and more users, so groups form. */
export const catalogArb = fc
  .tuple(
    bundleArb,
    fc.array(rowActionArb, { maxLength: 4 }),
    fc.array(fc.record({ groups: fc.subarray(["g1", "g2", "ops", "EU"]), regions: fc.subarray(["EU", "US"]) }), { minLength: 4, maxLength: 8 }),
  )
  .map(([b, rows, extra]) => {
    const base = b.dataSources[0]!;
    const sources = [0, 1, 2].map((k) => ({
      ...structuredClone(base),
      id: k + 1,
      name: `DS${k}`,
      eventTime: "ts",
      columns: [
        ...base.columns.slice(k),
        { name: "region", dataType: "text", tags: ["Geo.Region"] },
        { name: "ts", dataType: "timestamp", tags: [] as string[] },
      ],
      visibilities: [{ region: "EU" }, { region: "US" }],
    }));
    const users = [
      ...b.users,
      ...extra.map((u, i) => ({ profileId: 100 + i, name: `x${i}`, groups: u.groups, authorizations: { Region: u.regions }, currentProject: null })),
    ];
    return {
      ...b,
      dataSources: sources,
      users,
      globalPolicies: [...b.globalPolicies, ...rows.map((a, i) => ({ id: 700 + i, name: `rows ${i}`, type: "data", actions: [a] }))],
    } as unknown as BundleObject;
  });
