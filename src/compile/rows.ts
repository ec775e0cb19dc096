import type { DataSourceModel } from "../model/bundle.js";
import type { MaskingRule, Policy, RowRule } from "../model/policy.js";
import type { BoundRowPolicy, BoundRowRule, SkippedPolicy } from "./plan.js";
import type { PolicySet } from "./policy-set.js";
import { sourceFacts, type SourceFacts } from "./circumstances.js";
import { bindWhere, type BoundWhere } from "./where.js";
import { rowOriginalId, rowPolicyType } from "./policy-ids.js";
import { tagReaches } from "./tags.js";

/**
 * The first column, in dictionary order, carrying `tag` or a descendant [ours: one
 * column per tag; Immuta's documentation speaks of "the column tagged"].
 */
export function columnForTag(ds: DataSourceModel, tag: string): string | undefined {
  return ds.columns.find((c) => (c.tags ?? []).some((t) => tagReaches(tag, t)))?.name;
}

/** What an entitlement rule needs of the source: the column each match reads, or what is missing. */
function entitlementColumns(
  rule: Extract<RowRule, { rowKind: "entitlements" }>,
  ds: DataSourceModel,
  facts: SourceFacts,
): { columns: string[]; missing: string[] } {
  const has = (name: string) => ds.columns.some((c) => c.name === name);
  const columns: string[] = [];
  const missing: string[] = [];
  for (const m of rule.matches) {
    const col = "tag" in m.target ? facts.firstColumn.get(m.target.tag) : has(m.target.column) ? m.target.column : undefined;
    if (col === undefined) missing.push("tag" in m.target ? `no column is tagged \`${m.target.tag}\`` : `no column \`${m.target.column}\``);
    else columns.push(col);
  }
  return { columns, missing };
}

/**
 * Binds one action's row rules. A rule naming a tag (entitlements, `@columnTagged`)
 * or column the source lacks makes the whole action not apply here [spec for
 * `@columnTagged`; ours for entitlements]; it is reported as skipped.
 */
export function bindRowAction(
  set: PolicySet,
  ds: DataSourceModel,
  facts: SourceFacts,
  policy: Policy,
  actionIndex: number,
): { bound?: BoundRowPolicy; skipped?: SkippedPolicy } {
  const action = policy.actions[actionIndex]!;
  const resolved: { rule: RowRule; ruleIndex: number; columns: string[]; where: BoundWhere | null }[] = [];
  for (const [ruleIndex, rule] of action.rules.entries()) {
    if (rule.kind !== "row") continue;
    if (rule.rowKind === "entitlements") {
      const { columns, missing } = entitlementColumns(rule, ds, facts);
      if (missing.length > 0) return { skipped: { policy, reason: "untaggedColumn", actionIndex, detail: missing.join("; ") } };
      resolved.push({ rule, ruleIndex, columns, where: null });
    } else if (rule.rowKind === "customWhere") {
      const where = bindWhere(rule.predicate, ds, (tag) => facts.firstColumn.get(tag));
      if (where.status === "notApplicable") return { skipped: { policy, reason: "untaggedColumn", actionIndex, detail: where.reason } };
      resolved.push({ rule, ruleIndex, columns: [], where });
    } else resolved.push({ rule, ruleIndex, columns: [], where: null });
  }
  if (resolved.length === 0) return {};
  // Bound rules depend only on the policy and what binding resolved: sources that resolve alike share them.
  let key = String(actionIndex);
  for (const r of resolved) key += `|${r.columns.join("\u0000")}|${r.where ? JSON.stringify(r.where) : ""}`;
  let perPolicy = set.rowRuleMemo.get(policy);
  if (!perPolicy) set.rowRuleMemo.set(policy, (perPolicy = new Map()));
  let shared = perPolicy.get(key);
  if (!shared) {
    const rules: BoundRowRule[] = resolved.map(({ rule, ruleIndex, columns, where }) => ({
      rule,
      ruleIndex,
      where,
      exceptions: rule.exceptions ? set.compiledOf(rule.exceptions) : null,
      inclusions: rule.inclusions ? set.compiledOf(rule.inclusions) : null,
      matchColumns: columns,
      signature:
        rule.rowKind === "entitlements" ? JSON.stringify([rule.operator, rule.matches.map((m, i) => [m.type, m.attribute, columns[i]])]) : `${ruleIndex}`,
    }));
    const type = rowPolicyType(rules.map((r) => r.rule));
    shared = { rules, type, originalPolicyId: rowOriginalId(policy, actionIndex, type) };
    perPolicy.set(key, shared);
  }
  return { bound: new BoundRow(policy, actionIndex, shared.rules, shared.originalPolicyId, shared.type, ds) };
}

/** A bound row action on one source (rendered and hashed by `report/` only when a report asks). */
class BoundRow implements BoundRowPolicy {
  constructor(
    readonly policy: Policy,
    readonly actionIndex: number,
    readonly rules: readonly BoundRowRule[],
    readonly originalPolicyId: string,
    readonly type: string,
    readonly dataSource: DataSourceModel,
  ) {}
}

/**
 * The source's distinct visibilities over the row-security columns: from its
 * declared `visibilities`, else from its sample `rows` [ours: values compared as text].
 */
export function sourceVisibilities(ds: DataSourceModel, rowColumns: readonly string[]): (string | null)[][] {
  if (rowColumns.length === 0) return [];
  const records = ds.visibilities ?? ds.rows ?? [];
  const seen = new Set<string>();
  const out: (string | null)[][] = [];
  for (const rec of records) {
    const combo = rowColumns.map((c) => {
      // Own keys only: a column named `constructor` must not read Object.prototype (records may be plain objects again after a structured clone).
      const v = Object.hasOwn(rec, c) ? (rec as Record<string, unknown>)[c] : undefined;
      return v === null || v === undefined ? null : String(v);
    });
    const key = JSON.stringify(combo);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(combo);
    }
  }
  return out;
}

/**
 * A conditional mask's predicate bound to a source, the way custom WHERE predicates are
 * (`bindWhere`), or null when the rule has none. Bound per source on demand (enforcement
 * asks), not on the rule: bound mask rules are shared across sources.
 */
export function bindConditionalMask(rule: MaskingRule, ds: DataSourceModel): BoundWhere | null {
  if (!rule.conditionalTemplate) return null;
  const facts = sourceFacts(ds);
  return bindWhere(rule.conditionalTemplate, ds, (tag) => facts.firstColumn.get(tag));
}
