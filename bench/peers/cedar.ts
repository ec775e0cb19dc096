/**
 * Cedar (cedar-wasm) peer. One permit per mask rule ("the mask applies": the source
 * carries its tag and the user is not excepted) and one per row rule ("the filter
 * applies": not waived). The policy set is preparsed once; entities are prepared once
 * per (user, source); each decision is ONE statefulIsAuthorized call whose
 * determining policies (diagnostics.reason; all policies are permits) are mapped back
 * to columns through the per-column chain computed at bind time: the first rule of the
 * chain whose permit is satisfied (the user is not excepted) masks the column.
 */
import { preparsePolicySet, statefulIsAuthorized, type EntityJson, type StatefulAuthorizationCall } from "@cedar-policy/cedar-wasm/nodejs";
import { REGIONS, columnChain, type PeerWorkload } from "../peer-workload.js";
import type { Runner } from "./types.js";

const PSET = "peers";
const ACTION = { type: "Action", id: "mask" };
const q = (s: string): string => JSON.stringify(s);

/** The Cedar policy text per id: `m<i>` for mask rules, `r<j>` for row rules. */
export function cedarPolicies(w: PeerWorkload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of [...w.maskRules, ...w.unreachableRules]) {
    out[`m${r.i}`] =
      `permit(principal, action == Action::"mask", resource) when { resource.tags.contains(${q(r.tag)}) } ` +
      `unless { principal in Group::${q(r.exceptGroup)} || principal.dept.contains(${q(r.exceptDept)}) };`;
  }
  for (const r of w.rowRules) {
    out[`r${r.j}`] =
      `permit(principal, action == Action::"mask", resource) unless { principal in Group::${q(r.waiveGroup)} || principal.dept.contains(${q(r.waiveDept)}) };`;
  }
  return out;
}

export function cedarRunner(w: PeerWorkload): Runner {
  const parsed = preparsePolicySet(PSET, { staticPolicies: cedarPolicies(w) });
  if (parsed.type !== "success") throw new Error(`cedar: policy set does not parse: ${parsed.errors[0]?.message}`);

  // Bind time: per column its chain, as rule indices and policy ids (empty: no rule reaches it).
  const chains = w.sources.map((s) => s.columns.map((c) => columnChain(w, c) ?? []));
  const chainIds = chains.map((cs) => cs.map((chain) => chain.map((i) => `m${i}`)));

  // Entities, once: the user (Group parents, dept set) and the source (tags of all its columns).
  const userEntities: EntityJson[] = w.users.map((u) => ({
    uid: { type: "User", id: String(u.id) },
    attrs: { dept: [...u.depts] },
    parents: u.groups.map((g) => ({ type: "Group", id: g })),
  }));
  const sourceEntities: EntityJson[] = w.sources.map((s) => ({
    uid: { type: "Source", id: String(s.id) },
    attrs: { tags: [...new Set(s.columns.flatMap((c) => c.tags))] },
    parents: [],
  }));
  const calls: StatefulAuthorizationCall[][] = w.sources.map((_, si) =>
    w.users.map((_, ui) => ({
      principal: userEntities[ui]!.uid,
      action: ACTION,
      resource: sourceEntities[si]!.uid,
      context: {},
      preparsedPolicySetId: PSET,
      entities: [userEntities[ui]!, sourceEntities[si]!],
    })),
  );

  return {
    kind: "decision",
    decide(s, u) {
      const answer = statefulIsAuthorized(calls[s]![u]!);
      if (answer.type !== "success") throw new Error(`cedar: ${answer.errors[0]?.message}`);
      const { reason, errors } = answer.response.diagnostics;
      if (errors.length > 0) throw new Error(`cedar: policy ${errors[0]!.policyId}: ${errors[0]!.error.message}`);
      const satisfied = new Set(reason);
      const cs = chains[s]!;
      const ids = chainIds[s]!;
      const columns = cs.map((chain, k) => {
        const idsK = ids[k]!;
        for (let x = 0; x < chain.length; x++) if (satisfied.has(idsK[x]!)) return chain[x]!;
        return -1;
      });
      let filtered = false;
      for (const id of reason) if (id.charCodeAt(0) === 114 /* "r" */) filtered = true;
      if (!filtered) return { columns, regions: null };
      const mine = new Set(w.users[u]!.regions);
      return { columns, regions: REGIONS.filter((r) => mine.has(r)) };
    },
  };
}
