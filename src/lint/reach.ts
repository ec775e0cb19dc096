/**
 * Policies and selectors that reach nothing: `policy-reaches-nothing` (a live policy
 * binds no column and no rows on any data source, with why per source) and
 * `dead-selector` (a field selector, or a tag or regex circumstance, that matches no
 * column or source of the bundle: a dead tag, a regex that matches nothing).
 */
import { circumstanceHolds } from "../compile/circumstances.js";
import { matchesName } from "../lang/regex.js";
import type { Plan, SkippedPolicy } from "../compile/plan.js";
import type { Column } from "../model/data-source.js";
import type { DataSourceModel } from "../model/bundle.js";
import type { Circumstance, FieldSelector, Policy } from "../model/policy.js";
import type { Finding } from "./finding.js";
import { finding, lintedPolicies, listed, q, type LintContext } from "./context.js";

const live = (p: Policy) => !p.staged && !p.deleted;

/** Every policy some plan binds: to a column (won or lost) or as a row action; one pass over the plans. */
function boundPolicies(plans: readonly Plan[]): Set<Policy> {
  const out = new Set<Policy>();
  for (const plan of plans) {
    for (const r of plan.rowPolicies) out.add(r.policy);
    for (const c of plan.columns) {
      out.add(c.winner.policy);
      for (const l of c.losers) out.add(l.policy);
    }
  }
  return out;
}

const REASONS: Readonly<Record<SkippedPolicy["reason"], string>> = {
  staged: "it is staged",
  deleted: "it is deleted",
  disabled: "it is disabled on",
  circumstances: "its circumstances do not hold on",
  ownerRestrictions: "its owner restrictions exclude",
  untaggedColumn: "a `@columnTagged` tag of its conditional mask is absent from",
};

function whyNothing(p: Policy, plans: readonly Plan[]): string {
  if (plans.length === 0) return "the bundle has no data sources";
  const byReason = new Map<string, string[]>();
  const bound: string[] = [];
  const details = new Set<string>();
  for (const plan of plans) {
    const skip = plan.skipped.find((s) => s.policy === p && s.actionIndex === undefined);
    if (!skip) {
      bound.push(plan.dataSource.name);
      for (const s of plan.skipped) if (s.policy === p && s.detail) details.add(s.detail);
    } else {
      const r = REASONS[skip.reason];
      byReason.set(r, [...(byReason.get(r) ?? []), plan.dataSource.name]);
    }
  }
  const parts = [...byReason].map(([r, names]) => `${r} ${listed(names)}`);
  const why = details.size > 0 ? ` (${[...details].join("; ")})` : "";
  if (bound.length > 0) parts.push(`it binds to ${listed(bound)} but none of its rules reaches a column or binds rows there${why}`);
  return parts.join("; ");
}

function reachesNothing(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  const bound = boundPolicies(ctx.plans);
  for (const p of lintedPolicies(ctx.bundle)) {
    if (!live(p) || bound.has(p)) continue;
    // A local policy binds only to its own source.
    const plans = p.scope === "local" ? ctx.plans.filter((pl) => pl.dataSource.localPolicies.includes(p)) : ctx.plans;
    out.push(finding("policy-reaches-nothing", ctx.policyPath(p), `${q(p.name)} reaches no column of any data source: ${whyNothing(p, plans)}`, { policy: p }));
  }
  return out;
}

function selectorLabel(f: FieldSelector, sources: readonly DataSourceModel[]): string {
  switch (f.kind) {
    case "columnTags":
      return `no column of any data source carries the tag ${q(f.tag)} or a tag under it`;
    case "columnRegex":
      return `the regex ${q(f.regex)} matches no column name of any data source`;
    case "columnName":
      return `${listed(sources.map((d) => d.name))} has no column ${q(f.column)}`;
    case "anyTag":
      return "no column of any data source carries a tag";
    case "noTags":
      return "every column of every data source carries a tag";
    case "allColumns":
      return "no data source has a column";
  }
}

/**
 * What field selectors can match among some columns, gathered once: the tags carried
 * (with their ancestors, as a tag reaches its descendants), and the distinct column names.
 */
class ColumnPool {
  readonly tags = new Set<string>();
  readonly names = new Set<string>();
  tagged = false;
  untagged = false;
  readonly #regex = new Map<string, boolean>();
  constructor(columns: readonly Column[], ancestors: (tag: string) => readonly string[]) {
    for (const c of columns) {
      this.names.add(c.name);
      const tags = c.tags ?? [];
      if (tags.length > 0) this.tagged = true;
      else this.untagged = true;
      for (const t of tags) for (const a of ancestors(t)) this.tags.add(a);
    }
  }
  /** Whether the selector matches some column of the pool (the checks of compile/fields.ts, over the whole pool). */
  matches(f: FieldSelector): boolean {
    switch (f.kind) {
      case "columnTags":
        return this.tags.has(f.tag);
      case "columnName":
        return this.names.has(f.column);
      case "anyTag":
        return this.tagged;
      case "noTags":
        return this.untagged;
      case "allColumns":
        return this.names.size > 0;
      case "columnRegex": {
        const key = JSON.stringify([f.regex, f.caseInsensitive]);
        let hit = this.#regex.get(key);
        if (hit === undefined) {
          hit = [...this.names].some((name) => matchesName(f, name));
          this.#regex.set(key, hit);
        }
        return hit;
      }
    }
  }
}

function deadFields(ctx: LintContext, p: Policy, sources: readonly DataSourceModel[], pool: ColumnPool): Finding[] {
  const out: Finding[] = [];
  p.actions.forEach((action, ai) =>
    action.rules.forEach((r, ri) => {
      if (r.kind !== "masking") return;
      r.fields.forEach((f, fi) => {
        if (pool.matches(f)) return;
        const path = [...ctx.rulePath(p, ai, ri), "config", "fields", fi];
        out.push(finding("dead-selector", path, `rules[${ri}] fields[${fi}]: ${selectorLabel(f, sources)}`, { policy: p }));
      });
    }),
  );
  return out;
}

const CHECKED_CIRCUMSTANCES = new Set<Circumstance["kind"]>(["tags", "columnTags", "columnRegex"]);

function circumstanceLabel(c: Circumstance): string {
  if (c.kind === "tags") return `no data source carries the tag ${q(c.tag)} or a tag under it`;
  if (c.kind === "columnTags") return `no column of any data source carries the tag ${q(c.tag)} or a tag under it`;
  return `the regex ${q((c as { regex: string }).regex)} matches no column name of any data source`;
}

function deadCircumstances(ctx: LintContext, p: Policy): Finding[] {
  const out: Finding[] = [];
  p.circumstances.forEach(({ circumstance: c }, k) => {
    if (!CHECKED_CIRCUMSTANCES.has(c.kind)) return;
    if (ctx.bundle.dataSources.some((ds) => circumstanceHolds(c, ds, ctx.facts(ds)))) return;
    out.push(finding("dead-selector", [...ctx.policyPath(p), "circumstances", k], `circumstances[${k}]: ${circumstanceLabel(c)}`, { policy: p }));
  });
  return out;
}

function deadSelectors(ctx: LintContext): Finding[] {
  // With no data sources at all, everything is dead: `policy-reaches-nothing` says it once per policy.
  if (ctx.bundle.dataSources.length === 0) return [];
  const ancestors = ctx.set.index.ancestors;
  const everywhere = new ColumnPool(
    ctx.bundle.dataSources.flatMap((d) => d.columns),
    ancestors,
  );
  return lintedPolicies(ctx.bundle)
    .filter(live)
    .flatMap((p) => {
      if (p.scope === "global") return [...deadFields(ctx, p, ctx.bundle.dataSources, everywhere), ...deadCircumstances(ctx, p)];
      // A local policy names columns of its own source.
      const own = ctx.bundle.dataSources.filter((d) => d.localPolicies.includes(p));
      return deadFields(
        ctx,
        p,
        own,
        new ColumnPool(
          own.flatMap((d) => d.columns),
          ancestors,
        ),
      );
    });
}

export function reach(ctx: LintContext): Finding[] {
  return [...reachesNothing(ctx), ...deadSelectors(ctx)];
}
