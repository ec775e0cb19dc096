/**
 * Veil as Runners. The bundle is parsed and the engine created once (untimed); each
 * call looks its plan up in the engine (plans are cached per source, as the engine
 * caches them) and evaluates a FRESH user: nothing prepared, and no condition memo,
 * is carried from one call to the next.
 *  - `veil`: the user prepared anew on every call (`prepareUser`), then masks and rows.
 *  - `veil-profile`: a new profile object as the request's `user` in `engine.decide`,
 *    which validates the request and the profile first (what a server calls).
 *  - `veil-unreachable`: `veil` on the same workload plus 10,000 rules no column reaches.
 *  - `veil-cached-user` (labelled: not a fair figure): users by profile id, so the engine
 *    prepares each once and their memo is shared across every call.
 *  - `veil+json`: `veil`, rendered as policyInfo JSON.
 */
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { maskDecisions } from "../../src/evaluate/masking.js";
import { rowDecision } from "../../src/evaluate/rows.js";
import { prepareUser } from "../../src/evaluate/subject.js";
import { parseBundle } from "../../src/model/bundle.js";
import type { User } from "../../src/model/user.js";
import { renderPolicyInfo } from "../../src/report/policy-info.js";
import { peerBundle, peerDecisionOf, peerProfile } from "../peer-veil.js";
import { peerWorkload, type PeerWorkload } from "../peer-workload.js";
import type { Runner } from "./types.js";

/** Rules no column reaches, added for `veil-unreachable`. */
export const UNREACHABLE = 10_000;

function setup(w: PeerWorkload): { engine: Engine; users: readonly User[]; sourceIds: readonly number[] } {
  const b = parseBundle(peerBundle(w));
  if (!b.ok) throw new Error(`peer bundle does not parse: ${b.issues[0]?.message}`);
  const bundle = b.value;
  const engine = createEngine(bundle);
  const users = w.users.map((pu) => bundle.users.find((u) => u.profileId === pu.id)!);
  return { engine, users, sourceIds: w.sources.map((s) => s.id) };
}

function must<T>(r: { ok: true; value: T } | { ok: false; issues: readonly { message: string }[] }): T {
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.value;
}

/** How many conditions decisions reached (those with an id: the memo's size), of how many the set has. */
function conditionNotes(engine: Engine): () => Record<string, number> {
  return () => {
    const reached = engine.policySet.conditionCount;
    return { conditionsReached: reached, conditionsInSet: engine.policySet.conditions.length };
  };
}

export function veilRunner(w: PeerWorkload): Runner {
  const { engine, users, sourceIds } = setup(w);
  return {
    kind: "decision",
    decide(s, u) {
      const plan = must(engine.planFor(sourceIds[s]!));
      const user = prepareUser(engine.policySet, users[u]!, null);
      return peerDecisionOf(w, s, maskDecisions(plan, user), rowDecision(plan, user));
    },
    notes: conditionNotes(engine),
  };
}

export function veilUnreachableRunner(w: PeerWorkload): Runner {
  return veilRunner(peerWorkload(w.n, w.c, w.sources.length, UNREACHABLE));
}

export function veilProfileRunner(w: PeerWorkload): Runner {
  const { engine, sourceIds } = setup(w);
  const profiles = w.users.map(peerProfile);
  return {
    kind: "decision",
    decide(s, u) {
      const p = profiles[u]!;
      const d = must(engine.decide({ dataSource: sourceIds[s]!, user: { groups: p.groups, authorizations: p.authorizations } }));
      return peerDecisionOf(w, s, d.masks, d.rows);
    },
  };
}

export function veilCachedUserRunner(w: PeerWorkload): Runner {
  const { engine, sourceIds } = setup(w);
  const ids = w.users.map((u) => u.id);
  return {
    kind: "decision",
    decide(s, u) {
      const d = must(engine.decide({ dataSource: sourceIds[s]!, user: ids[u]! }));
      return peerDecisionOf(w, s, d.masks, d.rows);
    },
  };
}

export function veilJsonRunner(w: PeerWorkload): Runner {
  const { engine, users, sourceIds } = setup(w);
  return {
    kind: "json",
    decide(s, u) {
      const plan = must(engine.planFor(sourceIds[s]!));
      const user = prepareUser(engine.policySet, users[u]!, null);
      return JSON.stringify(renderPolicyInfo(plan, maskDecisions(plan, user), rowDecision(plan, user), null));
    },
  };
}
