/**
 * `type-fallback`: a winning mask that cannot produce its column's type, so binding
 * applies Nullify instead (`changedOnApply: ["dataTypeMismatch"]`, semantics §4).
 * Only winners: a losing policy's mask is never applied.
 */
import { actionTypeOf } from "../compile/fallback.js";
import type { MaskSpec } from "../model/policy.js";
import type { Finding } from "./finding.js";
import { finding, q, type LintContext } from "./context.js";

function maskLabel(m: MaskSpec): string {
  const t = actionTypeOf(m);
  return t === "Constant" ? `Constant ${q(String(m.metadata["constant"]))}` : t;
}

export function typeFallbacks(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const plan of ctx.plans) {
    const ds = plan.dataSource;
    for (const c of plan.columns) {
      const w = c.winner;
      for (const r of w.rules) {
        if (!r.changedOnApply) continue;
        const dataType = ds.columns[c.columnIndex]!.dataType;
        out.push(
          finding(
            "type-fallback",
            ctx.rulePath(w.policy, w.actionIndex, r.ruleIndex),
            `on column ${q(c.column)} (${q(dataType)}) of ${q(ds.name)}, the mask ${maskLabel(r.rule.mask)} cannot produce the column's type: binding applies Nullify instead`,
            { policy: w.policy, dataSource: ds },
          ),
        );
      }
    }
  }
  return out;
}
