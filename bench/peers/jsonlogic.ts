/**
 * json-logic-js peers. Exceptions and waivers are JSON Logic rules run with
 * jsonLogic.apply over the user's attributes (arrays, as a JSON payload carries them).
 *  - indexed: a tag → chain index (built once) gives each column's candidate chains;
 *    the first ruled tag wins, then its rules' exceptions are applied until one does not except.
 *  - percolumn: no index; per column one JSON Logic rule per mask rule, in priority
 *    order (tag, then rank), until one matches the column's tags; then on through that
 *    tag's rules while the user is excepted.
 */
import jsonLogic from "json-logic-js";
import type { RulesLogic } from "json-logic-js";
import { REGIONS, TAGS, type PeerUser, type PeerWorkload } from "../peer-workload.js";
import type { Runner } from "./types.js";

type Logic = RulesLogic;

/** Member of the group, or holds the department. */
const exempt = (group: string, dept: string): Logic => ({ or: [{ in: [group, { var: "groups" }] }, { in: [dept, { var: "depts" }] }] }) as Logic;

interface UserData {
  readonly groups: readonly string[];
  readonly depts: readonly string[];
}

function prepared(w: PeerWorkload) {
  const users: UserData[] = w.users.map((u) => ({ groups: u.groups, depts: u.depts }));
  const waivers = w.rowRules.map((r) => exempt(r.waiveGroup, r.waiveDept));
  /** Regions exactly as the closure computes them, once any row rule is not waived. */
  const regions = (data: UserData, user: PeerUser): string[] | null => {
    const filtered = waivers.some((rule) => !jsonLogic.apply(rule, data));
    if (!filtered) return null;
    const mine = new Set(user.regions);
    return REGIONS.filter((r) => mine.has(r));
  };
  return { users, regions };
}

export function jsonLogicIndexedRunner(w: PeerWorkload): Runner {
  // Tag → (priority, chain); priority is the tag's position (its policy's authoring order).
  const index = new Map<string, { readonly priority: number; readonly chain: readonly number[] }>();
  for (const [tag, chain] of w.chains) index.set(tag, { priority: TAGS.indexOf(tag), chain });
  const exceptions = [...w.maskRules, ...w.unreachableRules].map((r) => exempt(r.exceptGroup, r.exceptDept));
  const { users, regions } = prepared(w);
  return {
    kind: "decision",
    decide(s, u) {
      const data = users[u]!;
      const columns = w.sources[s]!.columns.map((c) => {
        let best: { readonly priority: number; readonly chain: readonly number[] } | undefined;
        for (const t of c.tags) {
          const e = index.get(t);
          if (e && (!best || e.priority < best.priority)) best = e;
        }
        if (best) for (const i of best.chain) if (!jsonLogic.apply(exceptions[i]!, data)) return i;
        return -1;
      });
      return { columns, regions: regions(data, w.users[u]!) };
    },
  };
}

export function jsonLogicPerColumnRunner(w: PeerWorkload): Runner {
  // Rules in priority order. Rule i on a column: null when its tag is absent, else -1 when the user is excepted, else i.
  const ordered = [...w.maskRules].sort((a, b) => TAGS.indexOf(a.tag) - TAGS.indexOf(b.tag) || a.rank - b.rank);
  const rules = ordered.map((r) => ({ if: [{ in: [r.tag, { var: "tags" }] }, { if: [exempt(r.exceptGroup, r.exceptDept), -1, r.i] }, null] }) as Logic);
  const { users, regions } = prepared(w);
  return {
    kind: "decision",
    decide(s, u) {
      const user = users[u]!;
      const columns = w.sources[s]!.columns.map((c) => {
        const data = { tags: c.tags, groups: user.groups, depts: user.depts };
        let tag: string | null = null;
        for (let k = 0; k < rules.length; k++) {
          if (tag !== null && ordered[k]!.tag !== tag) return -1; // the winning tag's chain is exhausted
          const out: unknown = jsonLogic.apply(rules[k]!, data);
          if (out === null) continue;
          if (out !== -1) return out as number;
          tag = ordered[k]!.tag;
        }
        return -1;
      });
      return { columns, regions: regions(user, w.users[u]!) };
    },
  };
}
