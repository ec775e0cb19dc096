import { actionTypeOf } from "../compile/fallback.js";
import type { Plan } from "../compile/plan.js";
import { windowStart } from "../lang/instant.js";
import type { MaskDecision } from "../evaluate/masking.js";
import type { RowDecision } from "../evaluate/rows.js";
import { DIALECTS } from "../sql/dialects/index.js";
import { renderExpr } from "../sql/render.js";

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

/**
 * `additionalFilters`: only the keys that apply, `{}` when none [seed, doc]. Custom
 * WHERE predicates AND together, each parenthesised when there are several [doc];
 * no rows at all (never, denial, a fail-closed problem) adds the predicate `false` [ours].
 */
export function renderAdditionalFilters(rows: RowDecision, nowMs: number | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const dialect = DIALECTS[rows.dialect];
  // An unrepresentable window start is rejected before rendering (at `now`); rendered anyway, it shows no rows.
  const start = rows.time && nowMs !== null ? windowStart(nowMs, rows.time.seconds) : null;
  // The verdict's "nothing at all" (a never rule, a denial, a problem); no matching visibility is said by `visibilities` alone.
  const noRows = (rows.hiddenBy !== null && rows.hiddenBy !== "visibilities") || (start !== null && !start.ok);
  const predicates = [...rows.predicates.map((p) => renderExpr(p, dialect)), ...(noRows ? ["false"] : [])];
  if (predicates.length === 1) out["customWhere"] = { predicate: predicates[0] };
  else if (predicates.length > 1) out["customWhere"] = { predicate: predicates.map((p) => `(${p})`).join(" AND ") };
  if (rows.minimization) out["minimization"] = { percent: rows.minimization.percent, hashPhrase: rows.minimization.hashPhrase };
  if (rows.time && start?.ok) {
    out["eventTimeColumn"] = rows.time.column;
    out["time"] = start.value;
    out["filterSeconds"] = rows.time.seconds;
    out["isOlderOrNewer"] = rows.time.direction;
  }
  return out;
}

/** The user's visible visibilities as objects keyed by the row-security columns; none when no rows are shown. */
export function renderVisibilities(plan: Plan, rows: RowDecision): Record<string, string>[] {
  // No rows at all (denial, never, a fail-closed problem): no visible visibilities either [ours].
  if (!rows.visibility || rows.access === "none") return [];
  return rows.visibility.visible.map((combo) => Object.fromEntries(plan.rowColumns.map((c, i) => [c, combo[i] as string])));
}

/** Renders policyInfo from the masking and row decisions. */
export function renderPolicyInfo(plan: Plan, masks: readonly MaskDecision[], rows: RowDecision, nowMs: number | null): PolicyInfo {
  return {
    visibilities: renderVisibilities(plan, rows),
    visibilityRuleApplies: rows.visibility !== null,
    masked: renderMasked(masks),
    additionalFilters: renderAdditionalFilters(rows, nowMs),
  };
}
