/**
 * The hand-written baseline: a tag index built once, then per (user, source) a plain
 * loop. What a careful engineer writes for exactly this workload and nothing else.
 */
import { REGIONS, type PeerDecision, type PeerUser, type PeerWorkload } from "./peer-workload.js";

export interface ClosureEngine {
  decide(sourceIndex: number, user: PeerUser): PeerDecision;
}

export function closureEngine(w: PeerWorkload): ClosureEngine {
  // Bind time: per column the winning rule (lowest i among rules on its tags).
  const winners = w.sources.map((s) =>
    s.columns.map((c) => {
      let best = -1;
      for (const r of w.maskRules) if (c.tags.includes(r.tag) && (best === -1 || r.i < best)) best = r.i;
      return best;
    }),
  );
  return {
    decide(sourceIndex, user) {
      const groups = new Set(user.groups);
      const depts = new Set(user.depts);
      const columns = winners[sourceIndex]!.map((i) => {
        if (i === -1) return -1;
        const r = w.maskRules[i]!;
        return groups.has(r.exceptGroup) || depts.has(r.exceptDept) ? -1 : i;
      });
      const filtered = w.rowRules.some((r) => !(groups.has(r.waiveGroup) || depts.has(r.waiveDept)));
      const userRegions = new Set(user.regions);
      return { columns, regions: filtered ? REGIONS.filter((r) => userRegions.has(r)) : null };
    },
  };
}
