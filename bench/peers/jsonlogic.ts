/**
 * json-logic-js peers. Exceptions and waivers are JSON Logic rules run with
 * jsonLogic.apply over the user's attributes (arrays, as a JSON payload carries them).
 *  - indexed: a tag → rule index (built once) gives each column's candidate rules;
 *    the lowest candidate wins, then its exception rule is applied.
 *  - percolumn: no index; per column one JSON Logic rule per mask rule, in rule
 *    order, until one matches the column's tags.
 */
import jsonLogic from "json-logic-js";
import type { RulesLogic } from "json-logic-js";
import { REGIONS, type PeerUser, type PeerWorkload } from "../peer-workload.js";
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
  const index = new Map<string, number[]>();
  for (const r of w.maskRules) {
    const list = index.get(r.tag);
    if (list) list.push(r.i);
    else index.set(r.tag, [r.i]);
  }
  const exceptions = w.maskRules.map((r) => exempt(r.exceptGroup, r.exceptDept));
  const { users, regions } = prepared(w);
  return {
    kind: "decision",
    decide(s, u) {
      const data = users[u]!;
      const columns = w.sources[s]!.columns.map((c) => {
        let best = -1;
        for (const t of c.tags) {
          const candidates = index.get(t);
          if (candidates) for (const i of candidates) if (best === -1 || i < best) best = i;
        }
        return best === -1 || jsonLogic.apply(exceptions[best]!, data) ? -1 : best;
      });
      return { columns, regions: regions(data, w.users[u]!) };
    },
  };
}

export function jsonLogicPerColumnRunner(w: PeerWorkload): Runner {
  // Rule i on a column: null when its tag is absent, else -1 when the user is excepted, else i.
  const rules = w.maskRules.map((r) => ({ if: [{ in: [r.tag, { var: "tags" }] }, { if: [exempt(r.exceptGroup, r.exceptDept), -1, r.i] }, null] }) as Logic);
  const { users, regions } = prepared(w);
  return {
    kind: "decision",
    decide(s, u) {
      const user = users[u]!;
      const columns = w.sources[s]!.columns.map((c) => {
        const data = { tags: c.tags, groups: user.groups, depts: user.depts };
        for (const rule of rules) {
          const out: unknown = jsonLogic.apply(rule, data);
          if (out !== null) return out as number;
        }
        return -1;
      });
      return { columns, regions: regions(user, w.users[u]!) };
    },
  };
}
