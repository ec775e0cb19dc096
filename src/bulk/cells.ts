import type { Engine } from "../engine/engine.js";
import { engineOf } from "./engines.js";
import type { Bundle } from "../model/bundle.js";
import { planParts, type PlanParts } from "./fingerprint.js";
import { firstApplyingIndex } from "../evaluate/audience.js";
import type { Plan } from "../compile/plan.js";
import { renderPolicyContent } from "../report/policy-json.js";
import { maskedCount, planKernel, rowCode } from "./kernel.js";
import { maskKey, rowKey } from "./view-key.js";
import {
  accessKey,
  accessView,
  maskPartOf,
  maskText,
  rowPart,
  rowPolicyNames,
  viewSummary,
  type AccessView,
  type MaskPart,
  type RowPart,
  type ViewSummary,
} from "./view.js";
import type { PreparedUser } from "../evaluate/subject.js";
import { unwrap, VeilError, type Result } from "../errors.js";
import { parseInstant } from "../lang/instant.js";
import { maskDecisions } from "../evaluate/masking.js";
import { rowDecision } from "../evaluate/rows.js";

/** One unit of bulk work: some sources × some representative users, on one or two bundles. */
export interface CellTask {
  readonly bundles: readonly Bundle[];
  /** Data source ids to evaluate (a share of the catalog). */
  readonly dataSources: readonly number[];
  /** Representative profile ids, one per signature group. */
  readonly users: readonly number[];
  readonly now?: string;
  /** Called in this thread as sources are finished (never sent to a worker). */
  readonly progress?: (sourcesDone: number) => void;
}

/** For matrix: masked-column counts and row access per (user, source), users major. */
export interface MatrixCells {
  readonly masked: Int32Array;
  /** 0 all rows, 1 filtered, 2 none. */
  readonly rows: Uint8Array;
}

/** What changed for one (user, source): only the fields that differ, and the policies responsible. */
export interface CellChange {
  readonly user: number;
  readonly dataSource: number;
  /** `changed`: the user sees something else; `added`/`removed`: the user or the source is on one side only. */
  readonly change: "changed" | "added" | "removed";
  /** Column → [mask before, after] as `{type, metadata}` JSON; null where the column is in clear. */
  readonly masked?: Readonly<Record<string, readonly [string | null, string | null]>>;
  readonly rows?: readonly [AccessView["rows"], AccessView["rows"]];
  /** Visibilities the user gained and lost (each as JSON). */
  readonly visibilities?: { readonly gained: readonly string[]; readonly lost: readonly string[] };
  readonly filters?: readonly [string, string];
  readonly denied?: readonly [string | null, string | null];
  /** visibilityReport fields that changed: counts, `noVisibilities`, `allowMaskedJoins`. */
  readonly report?: Readonly<Record<string, readonly [unknown, unknown]>>;
  /** The policies whose decisions on this cell differ (mask winners, applying row policies). */
  readonly policies?: readonly string[];
  /** For one-sided cells: what the user sees on the side that has the cell. */
  readonly before?: ViewSummary;
  readonly after?: ViewSummary;
}

/** A diff share's findings: counts weighted by how many users each representative stands for. */
export interface DiffCells {
  readonly changes: CellChange[];
  readonly changedCells: number;
  /** Change kind → cells: `masked`, `unmasked`, `maskChanged`, `rows`, `visibilities`, `filters`, `denied`, `report`, `added`, `removed`. */
  readonly kinds: Record<string, number>;
  readonly sources: number[];
  /** Cells whose access is the same but whose policy text (the rendered policySet) changed. */
  readonly policyChanges: { readonly user: number; readonly dataSource: number }[];
  readonly policyChangedCells: number;
}

/**
 * Evaluates a matrix share on the lean path: plans and prepared users are looked up
 * once, and a cell is the count of masked columns plus a row-access code, with no
 * per-cell report objects. Agrees with `summarize` (tested).
 */
export function matrixCells(task: CellTask): MatrixCells {
  const engine = engineOf(task.bundles[0]!);
  const set = engine.policySet;
  const width = task.dataSources.length;
  const masked = new Int32Array(task.users.length * width);
  const rows = new Uint8Array(masked.length);
  const users = task.users.map((id) => must(engine.prepare(id)));
  const kernels = task.dataSources.map((id) => planKernel(must(engine.planFor(id))));
  const applied = new Uint8Array(Math.max(1, ...kernels.map((k) => k.checks.length)));
  // Tiles of sources × users keep both the plans and the users' memo tables in cache.
  const TILE = 64;
  for (let j0 = 0; j0 < width; j0 += TILE) {
    for (let i = 0; i < users.length; i++) {
      const u = users[i]!;
      for (let j = j0; j < Math.min(width, j0 + TILE); j++) {
        const k = kernels[j]!;
        masked[i * width + j] = maskedCount(set, k, u);
        rows[i * width + j] = rowCode(set, k, u, applied);
      }
    }
    task.progress?.(Math.min(width, j0 + TILE));
  }
  return { masked, rows };
}

/** The value of a lookup that bulk work cannot do without; its issues travel in a `VeilError` up to `matrix`/`diff`, which return them. */
export function must<T>(r: Result<T>): T {
  return unwrap(r);
}

/** The delta in access between two views of one (user, source), or null when the user sees the same. */
export function viewDelta(user: number, dataSource: number, a: AccessView, b: AccessView, differ = false): CellChange | null {
  if (!differ && accessKey(a) === accessKey(b)) return null;
  const change: { -readonly [K in keyof CellChange]: CellChange[K] } = { user, dataSource, change: "changed" };
  const masked: Record<string, [string | null, string | null]> = Object.create(null);
  const policies = new Set<string>();
  for (const col of new Set([...Object.keys(a.masked), ...Object.keys(b.masked)])) {
    const x = Object.hasOwn(a.masked, col) ? a.masked[col]! : null;
    const y = Object.hasOwn(b.masked, col) ? b.masked[col]! : null;
    if (x === y) continue;
    masked[col] = [x, y];
    for (const p of [a.maskedBy[col], b.maskedBy[col]]) if (typeof p === "string") policies.add(p);
  }
  if (Object.keys(masked).length > 0) change.masked = masked;
  if (a.rows !== b.rows) change.rows = [a.rows, b.rows];
  const before = new Set(a.visibilities);
  const after = new Set(b.visibilities);
  const gained = b.visibilities.filter((v) => !before.has(v));
  const lost = a.visibilities.filter((v) => !after.has(v));
  if (gained.length > 0 || lost.length > 0 || a.visibilityRuleApplies !== b.visibilityRuleApplies) change.visibilities = { gained, lost };
  if (a.filters !== b.filters) change.filters = [a.filters, b.filters];
  if (a.denied !== b.denied) change.denied = [a.denied, b.denied];
  const report: Record<string, [unknown, unknown]> = Object.create(null);
  for (const k of ["dataSourceVisibilitiesCount", "userVisibilitiesCount", "allowMaskedJoins"] as const) if (a[k] !== b[k]) report[k] = [a[k], b[k]];
  if (Object.keys(report).length > 0) change.report = report;
  if (change.rows || change.visibilities || change.filters || change.denied) for (const p of [...a.rowPolicies, ...b.rowPolicies]) policies.add(p);
  change.policies = [...policies].sort();
  return change;
}

/** One cell's view, on the lean path: the plan and the prepared user looked up, no request to validate. */
function viewOf(engine: Engine, plan: Plan, user: number, nowMs: number | null): AccessView {
  const u = must(engine.prepare(user));
  const rows = rowDecision(plan, u);
  if (rows.time && nowMs === null) throw needsNow(plan);
  return accessView({ plan, user: u, masks: maskDecisions(plan, u), rows, nowMs });
}

/** One side of a cell as diff compares it: interned codes of its two halves, and the halves. */
interface SideView {
  readonly mask: number;
  readonly row: number;
  readonly joins: boolean;
  readonly user: PreparedUser;
  readonly masks: MaskPart;
  readonly rows: RowPart;
}

/**
 * The views of one plan, each half rendered once per distinct key (`maskKey`, `rowKey`):
 * users whose keys are equal see the same. Rendered halves are interned in `codes`
 * (shared by both sides of a source), so equal access is equal codes.
 */
function viewMemo(engine: Engine, plan: Plan, nowMs: number | null, codes: Map<string, number>) {
  const set = engine.policySet;
  // Flattened on first use: a source no user needs compared costs nothing here.
  let flat: ReturnType<typeof planKernel> | undefined;
  const masks = new Map<string, { code: number; part: MaskPart }>();
  const rows = new Map<string, { code: number; part: RowPart }>();
  const intern = (s: string) => {
    let c = codes.get(s);
    if (c === undefined) codes.set(s, (c = codes.size));
    return c;
  };
  return (u: PreparedUser): SideView => {
    const kernel = (flat ??= planKernel(plan));
    const mk = maskKey(set, kernel, u);
    let m = masks.get(mk);
    if (m === undefined) {
      const part = maskPartOf(plan, u);
      // Equal access on both sides is equal text: each column with its mask, in dictionary order.
      let text = "";
      for (const col in part.masked) text += `${intern(col)}:${intern(part.masked[col]!)},`;
      masks.set(mk, (m = { code: intern(text), part }));
    }
    const rk = rowKey(set, kernel, u);
    let r = rows.get(rk);
    if (r === undefined) {
      const decision = rowDecision(plan, u);
      if (decision.time && nowMs === null) throw needsNow(plan);
      const { noVisibilities: _nv, ...access } = rowPart(plan, decision, nowMs);
      rows.set(rk, (r = { code: intern(JSON.stringify(access)), part: { ...access, noVisibilities: _nv } }));
    }
    return { mask: m.code, row: r.code, joins: u.project?.allowMaskedJoins === true, user: u, masks: m.part, rows: r.part };
  };
}

/** A side's full view; row policies (attribution) are looked up only when `withRowPolicies`. */
function fullView(plan: Plan, v: SideView, withRowPolicies: boolean): AccessView {
  return { ...v.masks, ...v.rows, allowMaskedJoins: v.joins, rowPolicies: withRowPolicies ? rowPolicyNames(rowDecision(plan, v.user)) : [] };
}

/** The change between two sides of a cell, or null when the user sees the same. */
function sideDelta(user: number, ds: number, plans: readonly [Plan, Plan], a: SideView, b: SideView): CellChange | null {
  if (a.mask === b.mask && a.row === b.row && a.joins === b.joins) return null;
  const rowsDiffer = a.row !== b.row;
  return viewDelta(user, ds, fullView(plans[0], a, rowsDiffer), fullView(plans[1], b, rowsDiffer), true);
}

function needsNow(plan: Plan): VeilError {
  return new VeilError([
    {
      code: "invalid_input",
      path: ["now"],
      message: `a time policy applies to data source \`${plan.dataSource.name}\`: pass \`now\` (ISO-8601); Veil never reads the clock`,
    },
  ]);
}

/** What can differ between two plans of a source for a user whose record is unchanged. */
interface DiffScope {
  /** Masked columns whose decision may differ: [index in plan A, index in plan B]. */
  readonly columns: readonly (readonly [number, number])[];
  readonly rows: boolean;
}

/** The scope, or null when the masked columns are not the same list on both sides (then everything is compared). */
function stableDiffScope(a: Plan, b: Plan, pa: PlanParts, pb: PlanParts): DiffScope | null {
  if (pa.names.length !== pb.names.length || pa.names.some((n, i) => n !== pb.names[i])) return null;
  const columns: [number, number][] = [];
  for (let i = 0; i < pa.columns.length; i++)
    if (pa.columns[i] !== pb.columns[i] || a.columns[i]!.winner.policy.name !== b.columns[i]!.winner.policy.name) columns.push([i, i]);
  return { columns, rows: pa.rows !== pb.rows };
}

/** A column's mask text for the user, or null when it is in clear. */
function columnMask(c: Plan["columns"][number], u: PreparedUser): string | null {
  const i = firstApplyingIndex(c.winner.rules, u);
  if (i < 0) return null;
  return maskText(c, c.winner.rules[i]!);
}

/** The change for a user whose record is unchanged: only the columns (and rows) in scope are evaluated. */
function scopedDelta(
  user: number,
  ds: number,
  plans: readonly [Plan, Plan],
  scope: DiffScope,
  users: readonly [PreparedUser, PreparedUser],
  views: readonly [(u: PreparedUser) => SideView, (u: PreparedUser) => SideView],
): CellChange | null {
  const [ua, ub] = users;
  const masked: Record<string, [string | null, string | null]> = Object.create(null);
  const policies = new Set<string>();
  let anyMask = false;
  for (const [i, j] of scope.columns) {
    const ca = plans[0].columns[i]!;
    const cb = plans[1].columns[j]!;
    const x = columnMask(ca, ua);
    const y = columnMask(cb, ub);
    if (x === y) continue;
    anyMask = true;
    masked[ca.column] = [x, y];
    if (x !== null) policies.add(ca.winner.policy.name);
    if (y !== null) policies.add(cb.winner.policy.name);
  }
  let rowChange: CellChange | null = null;
  if (scope.rows) {
    const a = views[0](ua);
    const b = views[1](ub);
    if (a.row !== b.row)
      rowChange = viewDelta(user, ds, fullView(plans[0], { ...a, masks: EMPTY_MASKS }, true), fullView(plans[1], { ...b, masks: EMPTY_MASKS }, true), true);
  }
  if (!anyMask && !rowChange) return null;
  // Fields in the order viewDelta writes them: masks, then rows.
  const change: { -readonly [K in keyof CellChange]: CellChange[K] } = { user, dataSource: ds, change: "changed" };
  if (anyMask) change.masked = masked;
  if (rowChange) {
    const { user: _u, dataSource: _d, change: _c, masked: _m, policies: rowPolicies, ...rest } = rowChange;
    Object.assign(change, rest);
    for (const p of rowPolicies ?? []) policies.add(p);
  }
  change.policies = [...policies].sort();
  return change;
}

const EMPTY_MASKS: MaskPart = { masked: Object.create(null), maskedBy: Object.create(null) };

/** How the policies bound to a source are written (Immuta's JSON), whoever the user is. */
function policyText(plan: Plan): string {
  // Without the hashes: a hash is a function of the content beside it.
  return JSON.stringify([...plan.columns.map((c) => renderPolicyContent(c.winner)), ...plan.rowPolicies.map((p) => renderPolicyContent(p))]);
}

/** What a diff share needs beyond a cell task. */
export interface DiffTask extends CellTask {
  /** How many users each representative stands for. */
  readonly weights: readonly number[];
  /** Per representative: some user of its group has the same record (groups, attributes, ids, project) in both bundles. */
  readonly stable: readonly boolean[];
  /** Keep every change (false: only counts, for catalog-sized diffs). */
  readonly keep: boolean;
}

/**
 * Evaluates a diff share. A cell is skipped only when nothing it depends on changed: the
 * source's plan fingerprint is the same on both sides (it covers everything but the user)
 * and the user's record is too. Everything else is evaluated on both sides and compared as
 * access views, so a change the skip rule cannot see is still found.
 */
export function diffCells(task: DiffTask): DiffCells {
  const [before, after] = task.bundles.map(engineOf);
  const result: { -readonly [K in keyof DiffCells]: DiffCells[K] } = {
    changes: [],
    changedCells: 0,
    kinds: {},
    sources: [],
    policyChanges: [],
    policyChangedCells: 0,
  };
  const count = (kind: string, w: number) => (result.kinds[kind] = (result.kinds[kind] ?? 0) + w);
  let done = 0;
  const nowMs = task.now === undefined ? null : unwrap(parseInstant(task.now, ["now"]));
  // Prepared when a cell first needs them: a chunk whose sources are all unchanged needs none.
  const usersA: PreparedUser[] = [];
  const usersB: PreparedUser[] = [];
  for (const ds of task.dataSources) {
    const planA = must(before!.planFor(ds));
    const planB = must(after!.planFor(ds));
    const partsA = planParts(planA);
    const partsB = planParts(planB);
    const samePlan = partsA.whole === partsB.whole;
    // For a user whose record is the same on both sides, only the parts of the plan that differ can change what they see.
    const stableScope = stableDiffScope(planA, planB, partsA, partsB);
    // How the bound policies are written, per source: a policy change when it differs and access does not.
    const textChanged = policyText(planA) !== policyText(planB);
    let touched = false;
    const codes = new Map<string, number>();
    const views = [viewMemo(before!, planA, nowMs, codes), viewMemo(after!, planB, nowMs, codes)] as const;
    task.users.forEach((user, i) => {
      const w = task.weights[i]!;
      // Skip only what cannot differ: the same plan (everything but the user) and the same user.
      let d: CellChange | null = null;
      if (!task.stable[i] || !samePlan) {
        const ua = (usersA[i] ??= must(before!.prepare(user)));
        const ub = (usersB[i] ??= must(after!.prepare(user)));
        d =
          task.stable[i] && stableScope
            ? scopedDelta(user, ds, [planA, planB], stableScope, [ua, ub], views)
            : sideDelta(user, ds, [planA, planB], views[0](ua), views[1](ub));
      }
      if (!d) {
        if (textChanged) {
          result.policyChangedCells += w;
          if (task.keep) result.policyChanges.push({ user, dataSource: ds });
        }
        return;
      }
      touched = true;
      result.changedCells += w;
      countKinds(d, w, count);
      if (task.keep) result.changes.push(d);
    });
    if (touched) result.sources.push(ds);
    task.progress?.(++done);
  }
  return result;
}

/** Counts a change under each kind it has. */
export function countKinds(d: CellChange, w: number, count: (kind: string, w: number) => void): void {
  if (d.change !== "changed") return count(d.change, w);
  for (const [x, y] of Object.values(d.masked ?? {})) count(x === null ? "masked" : y === null ? "unmasked" : "maskChanged", w);
  for (const k of ["rows", "visibilities", "filters", "denied", "report"] as const) if (d[k]) count(k, w);
}

/** A cell on one side only (its user or its source is new or gone): what the user sees there. */
export function oneSidedChange(engine: Engine, change: "added" | "removed", user: number, dataSource: number, now: string | undefined): CellChange {
  const summary = viewSummary(viewOf(engine, must(engine.planFor(dataSource)), user, now === undefined ? null : unwrap(parseInstant(now, ["now"]))));
  return change === "added" ? { user, dataSource, change, after: summary } : { user, dataSource, change, before: summary };
}
