import type { CellChange } from "../bulk/cells.js";
import { findDataSource, findUser } from "../engine/engine.js";
import { fail, ok, type Result } from "../errors.js";
import type { Bundle } from "../model/bundle.js";

/** The kinds of change `diff` reports for a cell (DiffResult.kinds). */
export const CHANGE_KINDS = ["masked", "unmasked", "maskChanged", "rows", "visibilities", "filters", "denied", "report", "added", "removed"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * A change a diff must include: a user on a data source (ids or names), the kind, and for
 * masks the column. `from` and `to` narrow it: the actionType before and after for mask
 * kinds, the row access (`all`, `filtered`, `none`) for `rows`.
 */
export interface ExpectedChange {
  readonly user: number | string;
  readonly dataSource: number | string;
  readonly change: ChangeKind;
  readonly column?: string;
  readonly from?: string;
  readonly to?: string;
}

const actionType = (json: string | null) => (json === null ? null : ((JSON.parse(json) as { actionType?: string }).actionType ?? null));

/** The user's and the data source's ids, found in the bundle after the change, else before it. */
export function resolveCell(before: Bundle, after: Bundle, e: ExpectedChange): Result<{ user: number; dataSource: number }> {
  const user = findUser(after, e.user);
  const u = user.ok ? user : findUser(before, e.user);
  const ds = findDataSource(after, e.dataSource);
  const d = ds.ok ? ds : findDataSource(before, e.dataSource);
  if (!u.ok || !d.ok) return fail([...(u.ok ? [] : u.issues), ...(d.ok ? [] : d.issues)]);
  return ok({ user: u.value.profileId, dataSource: d.value.id });
}

/** Whether a cell's change includes the expected one (same cell assumed). */
export function includesChange(c: CellChange, e: ExpectedChange): boolean {
  if (e.change === "added" || e.change === "removed") return c.change === e.change;
  if (c.change !== "changed") return false;
  const fits = (want: string | undefined, got: string | null) => want === undefined || want === got;
  if (e.change === "masked" || e.change === "unmasked" || e.change === "maskChanged") {
    return Object.entries(c.masked ?? {}).some(([column, [x, y]]) => {
      if (e.column !== undefined && column !== e.column) return false;
      const kind = x === null ? "masked" : y === null ? "unmasked" : "maskChanged";
      return kind === e.change && fits(e.from, actionType(x)) && fits(e.to, actionType(y));
    });
  }
  if (e.change === "rows") return c.rows !== undefined && fits(e.from, c.rows[0]) && fits(e.to, c.rows[1]);
  return c[e.change] !== undefined;
}

/** A change in a few words: `WS_SOLD_DATE_SK unmasked (Nullify → clear)`, `rows all → filtered`. */
export function describeExpected(e: ExpectedChange): string {
  const span = e.from !== undefined || e.to !== undefined ? ` (${e.from ?? "…"} → ${e.to ?? "…"})` : "";
  return `user ${e.user} on ${e.dataSource}: ${e.column !== undefined ? `${e.column} ` : ""}${e.change}${span}`;
}

/** What did change on a cell, one line per part, as `veil diff` shows it. */
export function describeChange(c: CellChange): string[] {
  if (c.change !== "changed") return [`(${c.change})`];
  const label = (json: string | null) => actionType(json) ?? "clear";
  return [
    ...Object.entries(c.masked ?? {}).map(([col, [x, y]]) => `${col}: ${label(x)} → ${label(y)}`),
    ...(c.rows ? [`rows: ${c.rows[0]} → ${c.rows[1]}`] : []),
    ...(c.visibilities ? [`visibilities: +${c.visibilities.gained.length} −${c.visibilities.lost.length}`] : []),
    ...(c.filters ? [`filters: ${c.filters[0]} → ${c.filters[1]}`] : []),
    ...(c.denied ? [`denial: ${c.denied[0] ?? "none"} → ${c.denied[1] ?? "none"}`] : []),
    ...Object.entries(c.report ?? {}).map(([k, [x, y]]) => `${k}: ${String(x)} → ${String(y)}`),
  ];
}
