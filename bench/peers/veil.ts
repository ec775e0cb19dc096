/**
 * Veil as a Runner: bundle parsed and engine created once (untimed); decisions or
 * policyInfo JSON per pair. `veil-fresh-user` is informational: the same decision, but
 * the user is prepared afresh on every call (no prepared-user cache, no condition memo
 * carried across calls), which is what the closure baseline does with its Sets.
 */
import { createEngine } from "../../src/engine/engine.js";
import { maskDecisions } from "../../src/evaluate/masking.js";
import { rowDecision } from "../../src/evaluate/rows.js";
import { prepareUser } from "../../src/evaluate/subject.js";
import { parseBundle } from "../../src/model/bundle.js";
import { peerBundle, veilDecision } from "../peer-veil.js";
import type { PeerWorkload } from "../peer-workload.js";
import type { Runner } from "./types.js";

function parsed(w: PeerWorkload) {
  const b = parseBundle(peerBundle(w));
  if (!b.ok) throw new Error(`peer bundle does not parse: ${b.issues[0]?.message}`);
  return b.value;
}

export function veilRunner(w: PeerWorkload): Runner {
  const engine = createEngine(parsed(w));
  return { kind: "decision", decide: (s, u) => veilDecision(engine, w, s, w.users[u]!.id) };
}

export function veilJsonRunner(w: PeerWorkload): Runner {
  const engine = createEngine(parsed(w));
  const sourceIds = w.sources.map((s) => s.id);
  const userIds = w.users.map((u) => u.id);
  return {
    kind: "json",
    decide: (s, u) => {
      const r = engine.policyInfo({ dataSource: sourceIds[s]!, user: userIds[u]! });
      if (!r.ok) throw new Error(r.issues[0]!.message);
      return JSON.stringify(r.value);
    },
  };
}

export function veilFreshUserRunner(w: PeerWorkload): Runner {
  const bundle = parsed(w);
  const engine = createEngine(bundle);
  const users = w.users.map((pu) => bundle.users.find((u) => u.profileId === pu.id)!);
  const plans = w.sources.map((s) => {
    const p = engine.planFor(s.id);
    if (!p.ok) throw new Error(p.issues[0]!.message);
    return p.value;
  });
  return {
    kind: "decision",
    decide(s, u) {
      const plan = plans[s]!;
      const user = prepareUser(engine.policySet, users[u]!, null);
      const columns = w.sources[s]!.columns.map(() => -1);
      for (const m of maskDecisions(plan, user)) if (m.applied) columns[m.columnIndex] = (m.policy.policy.id as number) - 1;
      const v = rowDecision(plan, user).visibility;
      return { columns, regions: v ? v.visible.map((combo) => combo[0]!) : null };
    },
  };
}
