import { actionTypeOf } from "../compile/fallback.js";
import type { Decisions } from "../engine/engine.js";
import type { RowDecision } from "../evaluate/rows.js";
import { renderAdditionalFilters } from "../report/policy-info.js";

/** What a user gets on a source, in the few fields bulk reports compare. */
export interface CellSummary {
  /** Masked columns → Immuta actionType, in dictionary order. */
  readonly masked: Readonly<Record<string, string>>;
  /** `all`: no row restriction; `filtered`: some rows; `none`: no rows (never, denial, fail-closed). */
  readonly rows: "all" | "filtered" | "none";
  /** Visible visibilities when an entitlement rule applies, else null. */
  readonly visibilities: number | null;
  /** `additionalFilters` as JSON (time windows render against `now`). */
  readonly filters: string;
  readonly denied: string | null;
}

/** Row access: the verdict's (one place decides it, `evaluate/verdict.ts`). */
export function rowAccess(r: RowDecision): CellSummary["rows"] {
  return r.access;
}

/** Summarises decisions for matrix and diff. */
export function summarize(d: Decisions): CellSummary {
  const masked: Record<string, string> = Object.create(null);
  for (const m of d.masks) if (m.applied) masked[m.column] = actionTypeOf(m.applied.mask);
  const r = d.rows;
  return {
    masked,
    rows: rowAccess(r),
    visibilities: r.visibility ? r.visibility.visible.length : null,
    filters: JSON.stringify(renderAdditionalFilters(r, d.nowMs)),
    denied: r.denied,
  };
}
