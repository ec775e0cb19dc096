import type { CompiledCondition, Plan } from "../compile/plan.js";
import type { PolicySet } from "../compile/policy-set.js";
import { firstApplyingIndex } from "../evaluate/audience.js";
import { rowDecision } from "../evaluate/rows.js";
import { rowAccess } from "./cell.js";
import type { PreparedUser } from "../evaluate/subject.js";

const ROW_CODES = { all: 0, filtered: 1, none: 2 } as const;

/**
 * A plan flattened for bulk counting. Most masked columns are won by a one-rule
 * policy that masks everyone but its exceptions: those become one condition id each
 * in a typed array (-1: no exception, always masked), so a cell is a tight loop over
 * memoised condition outcomes. Anything else takes the general path.
 */
export interface PlanKernel {
  readonly plan: Plan;
  readonly simpleExceptions: Int32Array;
  /**
   * Columns won by a chain of exceptions-only rules (the first rule whose exception does not
   * hold masks): each chain's exception ids (-1: none, the rule always applies) between
   * `chainStart[k]` and `chainStart[k + 1]`.
   */
  readonly chainStart: Int32Array;
  readonly chainIds: Int32Array;
  readonly generalColumns: readonly Plan["columns"][number][];
  /** One-rule, exceptions-only row policies: exception id (-1 none), kind, and for entitlements the distinct check. */
  readonly rowExceptions: Int32Array;
  readonly rowKinds: Uint8Array;
  readonly rowChecks: Int32Array;
  /** For each row, the index just past the run of rows with the same check (a group). */
  readonly rowGroupEnd: Int32Array;
  /** Distinct entitlement checks: operator and, per match, the row column index and what the user brings. */
  readonly checks: readonly {
    readonly all: boolean;
    readonly matches: readonly { readonly index: number; readonly type: string; readonly attribute: string | null }[];
  }[];
  /** Whether any row policy needs the general path (several rules, inclusions, purposes). */
  readonly rowsGeneral: boolean;
  /** Whether a custom WHERE policy binds (its residual depends on the user's values). */
  readonly rowWhere: boolean;
}

const KIND = { entitlements: 0, customWhere: 1, newer: 2, older: 3, minimization: 4, never: 5 } as const;

function isSimple(rules: readonly { exceptions: CompiledCondition | null; inclusions: CompiledCondition | null }[]): boolean {
  return rules.length === 1 && rules[0]!.inclusions === null && (rules[0]!.exceptions === null || rules[0]!.exceptions.id >= 0);
}

// A plan is immutable: its kernel is made once and kept as long as the plan is (weakly).
const kernels = new WeakMap<Plan, PlanKernel>();

/** Flattens a plan, once per plan. */
export function planKernel(plan: Plan): PlanKernel {
  let k = kernels.get(plan);
  if (!k) kernels.set(plan, (k = flatten(plan)));
  return k;
}

function flatten(plan: Plan): PlanKernel {
  const simple: number[] = [];
  const chainStart: number[] = [0];
  const chainIds: number[] = [];
  const general: Plan["columns"][number][] = [];
  for (const c of plan.columns) {
    if (isSimple(c.winner.rules)) simple.push(c.winner.rules[0]!.exceptions?.id ?? -1);
    else if (c.winner.rules.every((r) => r.inclusions === null && (r.exceptions === null || r.exceptions.id >= 0))) {
      for (const r of c.winner.rules) chainIds.push(r.exceptions?.id ?? -1);
      chainStart.push(chainIds.length);
    } else general.push(c);
  }
  const rowExceptions: number[] = [];
  const rowKinds: number[] = [];
  const rowChecks: number[] = [];
  const checks: PlanKernel["checks"][number][] = [];
  const checkIndex = new Map<string, number>();
  let rowsGeneral = false;
  // Entitlement rows first, grouped by check, so a group is left as soon as one of its rows applies.
  const ordered = [...plan.rowEvaluation.entitlementGroups.flatMap((g) => g.map((rule) => ({ rules: [rule] }))), ...plan.rowEvaluation.others];
  for (const p of ordered) {
    const r = p.rules[0]!;
    // A custom WHERE that cannot be applied here shows no rows: the full evaluation says so, with why.
    if (!isSimple(p.rules) || r.rule.rowKind === "purpose" || (r.rule.rowKind === "customWhere" && r.where?.status !== "bound")) {
      rowsGeneral = true;
      continue;
    }
    const rule = r.rule;
    rowExceptions.push(r.exceptions?.id ?? -1);
    rowKinds.push(rule.rowKind === "time" ? KIND[rule.direction] : KIND[rule.rowKind]);
    if (rule.rowKind === "entitlements") {
      let c = checkIndex.get(r.signature);
      if (c === undefined) {
        checkIndex.set(r.signature, (c = checks.length));
        checks.push({
          all: rule.operator === "all",
          matches: rule.matches.map((m, i) => ({ index: plan.rowColumns.indexOf(r.matchColumns[i]!), type: m.type, attribute: m.attribute })),
        });
      }
      rowChecks.push(c);
    } else rowChecks.push(-1);
  }
  const rowGroupEnd = new Int32Array(rowChecks.length);
  for (let i = rowChecks.length - 1; i >= 0; i--)
    rowGroupEnd[i] = rowChecks[i]! >= 0 && i + 1 < rowChecks.length && rowChecks[i + 1] === rowChecks[i] ? rowGroupEnd[i + 1]! : i + 1;
  return {
    plan,
    rowGroupEnd,
    simpleExceptions: Int32Array.from(simple),
    chainStart: Int32Array.from(chainStart),
    chainIds: Int32Array.from(chainIds),
    generalColumns: general,
    rowExceptions: Int32Array.from(rowExceptions),
    rowKinds: Uint8Array.from(rowKinds),
    rowChecks: Int32Array.from(rowChecks),
    checks,
    rowsGeneral,
    rowWhere: rowKinds.includes(KIND.customWhere),
  };
}

/** Whether condition `id` holds for the user, memoised in the user's table. */
export function holdsId(set: PolicySet, u: PreparedUser, id: number): boolean {
  const m = u.memo[id]!;
  if (m !== 0) return m === 2;
  const test = set.conditions[id]!.test;
  // A broken condition never excepts: the mask applies (fail closed).
  const v = test === null ? false : test(u.subject);
  u.memo[id] = v ? 2 : 1;
  return v;
}

/** `holdsId` on a memo table and condition list read once per cell (the hot loop's form). */
function held(memo: Uint8Array, conditions: PolicySet["conditions"], u: PreparedUser, id: number): boolean {
  const m = memo[id]!;
  if (m !== 0) return m === 2;
  const test = conditions[id]!.test;
  // A broken condition never excepts: the mask applies (fail closed).
  const v = test === null ? false : test(u.subject);
  memo[id] = v ? 2 : 1;
  return v;
}

/** Masked-column count of one cell. */
export function maskedCount(set: PolicySet, k: PlanKernel, u: PreparedUser): number {
  // The plan's condition ids are all below the memo's length: they were registered when it was bound.
  const memo = u.memo;
  const conditions = set.conditions;
  let n = 0;
  const ex = k.simpleExceptions;
  for (let i = 0; i < ex.length; i++) {
    const id = ex[i]!;
    if (id < 0 || !held(memo, conditions, u, id)) n++;
  }
  const starts = k.chainStart;
  const ids = k.chainIds;
  for (let c = 0; c + 1 < starts.length; c++) {
    for (let i = starts[c]!; i < starts[c + 1]!; i++) {
      const id = ids[i]!;
      if (id < 0 || !held(memo, conditions, u, id)) {
        n++;
        break;
      }
    }
  }
  for (const c of k.generalColumns) if (firstApplyingIndex(c.winner.rules, u) >= 0) n++;
  return n;
}

/** Row access code of one cell (0 all, 1 filtered, 2 none); `applied` is scratch space. */
export function rowCode(set: PolicySet, k: PlanKernel, u: PreparedUser, applied: Uint8Array): number {
  // Several-rule chains, inclusions and purposes take the full row evaluation.
  if (k.rowsGeneral) return ROW_CODES[rowAccess(rowDecision(k.plan, u))];
  if (k.rowKinds.length === 0) return 0;
  const ds = k.plan.dataSource;
  const memo = u.memo;
  const conditions = set.conditions;
  applied.fill(0, 0, k.checks.length);
  let filtered = false;
  let newer = false;
  let older = false;
  let anyCheck = false;
  for (let i = 0; i < k.rowKinds.length; i++) {
    // An entitlement check already applied cannot apply more: skip its exceptions.
    if (k.rowKinds[i] === KIND.entitlements && applied[k.rowChecks[i]!] === 1) continue;
    const id = k.rowExceptions[i]!;
    if (id >= 0 && held(memo, conditions, u, id)) continue;
    switch (k.rowKinds[i]) {
      case KIND.never:
        return 2;
      case KIND.entitlements:
        applied[k.rowChecks[i]!] = 1;
        anyCheck = filtered = true;
        i = k.rowGroupEnd[i]! - 1; // the rest of the group cannot add anything
        break;
      case KIND.newer:
      case KIND.older:
        if (ds.eventTime === undefined) return 2;
        if (k.rowKinds[i] === KIND.newer) newer = true;
        else older = true;
        filtered = true;
        break;
      case KIND.minimization:
        if (ds.highCardinality === undefined) return 2;
        filtered = true;
        break;
      default:
        filtered = true;
    }
  }
  if (newer && older) return 2;
  if (anyCheck && !anyVisible(k, u, applied)) return 2;
  return filtered ? 1 : 0;
}

/** Whether some visibility passes every applied entitlement check. */
function anyVisible(k: PlanKernel, u: PreparedUser, applied: Uint8Array): boolean {
  for (const combo of k.plan.visibilities) if (comboVisible(k, u, applied, combo)) return true;
  return false;
}

/** Whether one visibility passes every entitlement check marked in `applied` (a null value matches nothing). */
export function comboVisible(k: PlanKernel, u: PreparedUser, applied: Uint8Array, combo: readonly (string | null)[]): boolean {
  for (let c = 0; c < k.checks.length; c++) {
    if (applied[c] === 0) continue;
    const check = k.checks[c]!;
    let hits = 0;
    for (const m of check.matches) {
      const v = combo[m.index];
      const values = m.type === "group" ? u.subject.groups : m.type === "purpose" ? u.subject.purposes : u.subject.attributes.get(m.attribute ?? "");
      if (v !== null && v !== undefined && values !== undefined && values.has(v)) hits++;
    }
    if (check.all ? hits !== check.matches.length : hits === 0) return false;
  }
  return true;
}
