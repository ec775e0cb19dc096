/**
 * The closure baseline as a Runner, and its JSON counterpart: the closure's decision
 * rendered as an Immuta-like policyInfo (same keys, order and mask metadata as Veil's).
 */
import { closureEngine } from "../peer-closure.js";
import type { MaskRule, PeerDecision, PeerWorkload } from "../peer-workload.js";
import type { Runner } from "./types.js";

interface MaskTemplate {
  readonly type: string;
  readonly metadata: Record<string, unknown>;
  readonly actionType: string;
}

/** How Immuta reports each of the workload's mask types in policyInfo `masked`. */
const MASKED: Record<MaskRule["mask"], MaskTemplate> = {
  hash: { type: "Consistent Value", metadata: {}, actionType: "Hashing" },
  null: { type: "Consistent Value", metadata: { constant: null }, actionType: "Nullify" },
  constant: { type: "Consistent Value", metadata: { constant: "X" }, actionType: "Constant" },
  regex: { type: "Regular Expression", metadata: { regex: ".", replacement: "*" }, actionType: "Regex" },
};

export function closureRunner(w: PeerWorkload): Runner {
  const engine = closureEngine(w);
  return { kind: "decision", decide: (s, u) => engine.decide(s, w.users[u]!) };
}

/** policyInfo from a closure decision: visibilities, visibilityRuleApplies, masked, additionalFilters. */
export function renderClosurePolicyInfo(w: PeerWorkload, sourceIndex: number, d: PeerDecision): unknown {
  const cols = w.sources[sourceIndex]!.columns;
  const masked: unknown[] = [];
  for (let k = 0; k < d.columns.length; k++) {
    const i = d.columns[k]!;
    if (i === -1) continue;
    const t = MASKED[w.maskRules[i]!.mask];
    masked.push({ type: t.type, metadata: { ...t.metadata }, name: cols[k]!.name, actionType: t.actionType });
  }
  return {
    visibilities: d.regions ? d.regions.map((region) => ({ region })) : [],
    visibilityRuleApplies: d.regions !== null,
    masked,
    additionalFilters: {},
  };
}

export function closureJsonRunner(w: PeerWorkload): Runner {
  const engine = closureEngine(w);
  return { kind: "json", decide: (s, u) => JSON.stringify(renderClosurePolicyInfo(w, s, engine.decide(s, w.users[u]!))) };
}
