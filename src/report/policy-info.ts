import { actionTypeOf } from "../compile/fallback.js";
import type { MaskDecision } from "../evaluate/masking.js";

/** A `masked` entry of policyInfo [seed]: `{type, metadata, name, actionType}`. */
export interface MaskedEntry {
  type: string;
  metadata: Record<string, unknown>;
  name: string;
  actionType: string;
}

/** policyInfo: exactly these four keys, in this order [seed, doc]. */
export interface PolicyInfo {
  visibilities: Record<string, string>[];
  visibilityRuleApplies: boolean;
  masked: MaskedEntry[];
  additionalFilters: Record<string, unknown>;
}

/** The `masked` entries for the columns a rule masks for the user, in dictionary order. */
export function renderMasked(decisions: readonly MaskDecision[]): MaskedEntry[] {
  const out: MaskedEntry[] = [];
  for (const d of decisions) {
    if (!d.applied) continue;
    const metadata: Record<string, unknown> = { ...d.applied.mask.metadata };
    // Conditional masking travels with the mask so enforcement can apply it per row.
    if (d.applied.rule.conditionalPredicate !== null) metadata["conditionalPredicate"] = d.applied.rule.conditionalPredicate;
    out.push({ type: d.applied.mask.type, metadata, name: d.column, actionType: actionTypeOf(d.applied.mask) });
  }
  return out;
}

/** Renders policyInfo from masking decisions (row policies are evaluated by the row stage). */
export function renderPolicyInfo(masks: readonly MaskDecision[]): PolicyInfo {
  return { visibilities: [], visibilityRuleApplies: false, masked: renderMasked(masks), additionalFilters: {} };
}
