import type { DataSourceModel } from "../model/bundle.js";
import type { RowRule } from "../model/policy.js";

/** v1 rule type names for each row kind (handler `ruleType` values). */
const V1_RULE_TYPE = {
  entitlements: "visibility",
  customWhere: "customWhere",
  never: "showRowsNever",
  time: "time",
  minimization: "minimization",
  purpose: "prerequisite",
} as const;

/** The handler policy type of a bound row action [ours for mixed actions: rowOrObjectRestriction]. */
export function rowPolicyType(rules: readonly RowRule[]): string {
  const kinds = new Set(rules.map((r) => r.rowKind));
  if (kinds.size === 1) {
    const only = rules[0]!.rowKind;
    if (only === "time" || only === "minimization") return only;
    if (only === "purpose") return "prerequisite";
  }
  return "rowOrObjectRestriction";
}

function rowConfig(rule: RowRule, matchColumns: readonly string[], ds: DataSourceModel): Record<string, unknown> {
  switch (rule.rowKind) {
    case "entitlements":
      return {
        qualifications: {
          operator: rule.operator === "all" ? "and" : "or",
          conditions: rule.matches.map((m, i) => {
            const field = matchColumns[i]!;
            if (m.type === "group") return { type: "groups", field };
            if (m.type === "attribute") return { type: "authorizations", authorization: { auth: m.attribute }, field };
            return { type: "purposes", field };
          }),
        },
      };
    case "customWhere":
      return { ...rule.config };
    case "never":
      return {};
    case "time":
      return { time: rule.seconds, isOlderOrNewer: rule.direction, eventTimeColumn: ds.eventTime ?? null };
    case "minimization":
      return { percent: rule.percent, hashPhrase: ds.highCardinality ?? null };
    case "purpose":
      return { operator: rule.operator === "all" ? "and" : "or", conditions: rule.purposes.map((value) => ({ type: "purposes", value })) };
  }
}

/** A bound row rule in Immuta's v1 handler form: `{type, config, exceptions[, inclusions]}` [ours: no seed shows one]. */
export function renderRowRule(rule: RowRule, matchColumns: readonly string[], ds: DataSourceModel): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: V1_RULE_TYPE[rule.rowKind],
    config: rowConfig(rule, matchColumns, ds),
    exceptions: rule.exceptions ? rule.exceptions.report : null,
  };
  if (rule.inclusions) out["inclusions"] = rule.inclusions.report;
  return out;
}
