/**
 * The hand-written baseline: a tag index built once, then per (user, source) a plain
 * loop. What a careful engineer writes for exactly this workload and nothing else.
 * Per column it falls through the winning tag's chain until a rule does not except
 * the user, as Veil does; the user's Sets are built on every call (a fresh profile).
 */
import { REGIONS, columnChain, type MaskRule, type PeerDecision, type PeerUser, type PeerWorkload } from "./peer-workload.js";

export interface ClosureEngine {
  decide(sourceIndex: number, user: PeerUser): PeerDecision;
}

export function closureEngine(w: PeerWorkload): ClosureEngine {
  // Bind time: per column the chain of rules that decides it (null: no rule reaches it).
  const chains: (readonly MaskRule[] | null)[][] = w.sources.map((s) => s.columns.map((c) => columnChain(w, c)?.map((i) => w.maskRules[i]!) ?? null));
  return {
    decide(sourceIndex, user) {
      const groups = new Set(user.groups);
      const depts = new Set(user.depts);
      const columns = chains[sourceIndex]!.map((chain) => {
        if (chain === null) return -1;
        for (const r of chain) if (!(groups.has(r.exceptGroup) || depts.has(r.exceptDept))) return r.i;
        return -1;
      });
      const filtered = w.rowRules.some((r) => !(groups.has(r.waiveGroup) || depts.has(r.waiveDept)));
      if (!filtered) return { columns, regions: null };
      const userRegions = new Set(user.regions);
      return { columns, regions: REGIONS.filter((r) => userRegions.has(r)) };
    },
  };
}
