import type { PolicySet } from "../compile/policy-set.js";
import { firstApplyingIndex } from "../evaluate/audience.js";
import { rowDecision } from "../evaluate/rows.js";
import type { PreparedUser } from "../evaluate/subject.js";
import { comboVisible, holdsId, type PlanKernel } from "./kernel.js";

/*
 * Keys for what a cell's access view reads of the user on one plan. Two users with equal
 * keys on a plan see the same (test/unit/bulk/view-key.test.ts holds the keys to
 * `accessView`), so diff renders each half of a view once per distinct key, not once per
 * user. Keys cover access only; who is responsible (the row policies that apply) is
 * looked up for the cells that changed.
 */

/** Which rule of each masked column's winner applies. */
export function maskKey(set: PolicySet, k: PlanKernel, u: PreparedUser): string {
  let key = "";
  const ex = k.simpleExceptions;
  for (let i = 0; i < ex.length; i++) {
    const id = ex[i]!;
    key += id < 0 || !holdsId(set, u, id) ? "1" : "0";
  }
  // Chains: the position of the rule that applies (or none).
  const starts = k.chainStart;
  const ids = k.chainIds;
  for (let c = 0; c + 1 < starts.length; c++) {
    let at = -1;
    for (let i = starts[c]!; i < starts[c + 1]!; i++) {
      const id = ids[i]!;
      if (id < 0 || !holdsId(set, u, id)) {
        at = i - starts[c]!;
        break;
      }
    }
    key += String.fromCharCode(66 + at);
  }
  for (const c of k.generalColumns) key += String.fromCharCode(66 + firstApplyingIndex(c.winner.rules, u));
  return key;
}

/**
 * The row decision as far as access goes. One-rule policies (the kernel's flat rows): which
 * entitlement checks and which other rules apply, and the visibilities that pass every
 * applying check. Anything else (several rules, inclusions, purposes, custom WHERE, whose
 * residual carries the user's values): the decision itself.
 */
export function rowKey(set: PolicySet, k: PlanKernel, u: PreparedUser): string {
  if (k.rowsGeneral || k.rowWhere) return generalRowKey(k, u);
  let key = "";
  const checkApplied = new Uint8Array(k.checks.length);
  for (let i = 0; i < k.rowKinds.length; i++) {
    const c = k.rowChecks[i]!;
    if (c >= 0 && checkApplied[c] === 1) continue;
    const id = k.rowExceptions[i]!;
    const applies = id < 0 || !holdsId(set, u, id);
    if (c >= 0) checkApplied[c] = applies ? 1 : 0;
    else key += applies ? "1" : "0";
  }
  key += "|";
  let any = false;
  for (let c = 0; c < checkApplied.length; c++) {
    key += checkApplied[c] === 1 ? "1" : "0";
    any ||= checkApplied[c] === 1;
  }
  if (!any) return key;
  key += "|";
  for (const combo of k.plan.visibilities) key += comboVisible(k, u, checkApplied, combo) ? "1" : "0";
  return key;
}

function generalRowKey(k: PlanKernel, u: PreparedUser): string {
  const r = rowDecision(k.plan, u);
  return JSON.stringify([r.visibility === null ? null : r.visibility.visible, r.predicates, r.time, r.minimization, r.never, r.denied, r.problems]);
}
