/**
 * Masking conflicts: columns several policies reach, and who wins (`column-conflict`);
 * staged policies that would join such a conflict once activated (`staged-conflict`).
 */
import { bindColumn } from "../compile/bind-mask.js";
import { compareMaskingPriority } from "../compile/conflicts.js";
import { compilePolicySet, skipReason, type PolicySet } from "../compile/index.js";
import { LOCAL_DEPTH, ruleReachesColumn } from "../compile/fields.js";
import type { BoundMaskingPolicy, ColumnPlan } from "../compile/plan.js";
import type { Bundle, DataSourceModel } from "../model/bundle.js";
import type { Policy } from "../model/policy.js";
import type { Finding } from "./finding.js";
import { finding, q, type LintContext } from "./context.js";

const through = (b: BoundMaskingPolicy) => (b.depth === LOCAL_DEPTH ? "names the column" : b.tag === null ? "untagged selector" : `tag ${q(b.tag)}`);

/** Why `w` beats `l` on a column, in the order conflicts are decided (compile/conflicts.ts). */
export function whyWins(w: BoundMaskingPolicy, l: BoundMaskingPolicy): string {
  if (w.depth !== l.depth) {
    if (w.depth === LOCAL_DEPTH) return "a local policy outranks any tag";
    return w.tag === null ? "deeper match" : l.tag === null ? `a tag (${q(w.tag)}) outranks an untagged selector` : `deeper tag: ${q(w.tag)} over ${q(l.tag)}`;
  }
  if (w.policy === l.policy) return `same policy: action ${w.actionIndex} comes before action ${l.actionIndex}`;
  const [a, b] = [w.policy.lifecycle, l.policy.lifecycle];
  if (a.createdAtMs !== b.createdAtMs)
    return b.createdAt === null
      ? `authored first: created ${a.createdAt}, the other has no createdAt`
      : `authored first: created ${a.createdAt}, before ${b.createdAt}`;
  if (w.policy.id !== l.policy.id) return `authored first: same creation time, lower id (${w.policy.id ?? "none"} before ${l.policy.id ?? "none"})`;
  return "authored first: earlier in the bundle";
}

const who = (b: BoundMaskingPolicy) => `${q(b.policy.name)} (${through(b)})`;

/** At most this many losers are named in a message (a catalog column can be reached by dozens). */
const NAMED_LOSERS = 3;

/** The losers, each with why it lost: the first `NAMED_LOSERS`, then how many more. */
function beaten(w: BoundMaskingPolicy, losers: readonly BoundMaskingPolicy[]): string {
  const named = losers.slice(0, NAMED_LOSERS).map((l) => `${who(l)}: ${whyWins(w, l)}`);
  return losers.length > NAMED_LOSERS ? `${named.join("; ")}; and ${losers.length - NAMED_LOSERS} more` : named.join("; ");
}

function conflictMessage(c: ColumnPlan, ds: DataSourceModel): string {
  const w = c.winner;
  const beats = beaten(w, c.losers);
  return `${c.losers.length + 1} masking policies reach column ${q(c.column)} of ${q(ds.name)}; ${who(w)} wins over ${beats}`;
}

export function columnConflicts(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const plan of ctx.plans) {
    const ds = plan.dataSource;
    for (const c of plan.columns) {
      if (c.losers.length === 0) continue;
      out.push(
        finding("column-conflict", ["dataSources", ctx.sourceIndex(ds), "columns", c.columnIndex], conflictMessage(c, ds), {
          policy: c.winner.policy,
          dataSource: ds,
        }),
      );
    }
  }
  return out;
}

/**
 * The staged policy's bound candidate on one column, as if it were live: its action that
 * would rank first there (deeper tag, then the earlier action), or undefined when none
 * of its masking rules reaches the column.
 */
function candidateOn(set: PolicySet, ds: DataSourceModel, live: Policy, columnIndex: number): BoundMaskingPolicy | undefined {
  let best: BoundMaskingPolicy | undefined;
  live.actions.forEach((action, ai) => {
    const ruleIndices = action.rules.flatMap((r, ri) => (r.kind === "masking" && ruleReachesColumn(r, ds.columns[columnIndex]!) ? [ri] : []));
    const bound = ruleIndices.length > 0 ? bindColumn(set, ds, live, ai, columnIndex, ruleIndices) : undefined;
    if (bound && (!best || compareMaskingPriority(bound, best) < 0)) best = bound;
  });
  return best;
}

/** How one contested column would turn out. */
function outcome(c: ColumnPlan, mine: BoundMaskingPolicy): string {
  if (compareMaskingPriority(mine, c.winner) < 0) return `${q(c.column)}, where it would win over ${beaten(mine, [c.winner, ...c.losers])}`;
  return `${q(c.column)}, where ${who(c.winner)} would keep it (${whyWins(c.winner, mine)})`;
}

/** At most this many contested columns are described per data source. */
const NAMED_COLUMNS = 3;

/**
 * Each staged (not deleted) policy, taken as live on its own: on each data source it
 * would bind to (compile's own `skipReason`), every column it would reach that a live
 * policy masks now is a conflict it would join, with who would win. One finding per
 * (policy, data source). Conflicts with other staged policies are not reported: they
 * stay staged.
 */
export function stagedConflicts(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const staged of ctx.bundle.globalPolicies) {
    if (!staged.staged || staged.deleted) continue;
    const live: Policy = { ...staged, staged: false };
    const bundle: Bundle = { ...ctx.bundle, globalPolicies: ctx.bundle.globalPolicies.map((p) => (p === staged ? live : p)) };
    const set = compilePolicySet(bundle);
    for (const plan of ctx.plans) {
      const ds = plan.dataSource;
      if (plan.columns.length === 0 || skipReason(live, ds, ctx.facts(ds), bundle) !== undefined) continue;
      const contested: string[] = [];
      for (const c of plan.columns) {
        const mine = candidateOn(set, ds, live, c.columnIndex);
        if (mine) contested.push(outcome(c, mine));
      }
      if (contested.length === 0) continue;
      const more = contested.length > NAMED_COLUMNS ? `; and ${contested.length - NAMED_COLUMNS} more` : "";
      const what = contested.length === 1 ? "a column" : `${contested.length} columns`;
      out.push(
        finding(
          "staged-conflict",
          ctx.policyPath(staged),
          `once activated, ${q(staged.name)} would reach ${what} of ${q(ds.name)} that live policies mask: ${contested.slice(0, NAMED_COLUMNS).join("; ")}${more}`,
          { policy: staged, dataSource: ds },
        ),
      );
    }
  }
  return out;
}
