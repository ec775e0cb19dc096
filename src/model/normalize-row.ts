import type { VeilIssue } from "../errors.js";
import type { EntitlementMatch, PredicateSource, RowSpec } from "./policy.js";
import type { V1RowRule, V1VisibilityCondition } from "./row-rule-v1.js";
import type { V2Rule } from "./policy-v2.js";

type Path = (string | number)[];

/** A custom WHERE predicate; `parseBundle` parses it for each dialect its sources speak (a bad one is a validation issue). */
function customWhere(config: { predicate: string; column?: unknown; invert?: unknown; values?: unknown }, path: Path): RowSpec {
  return { rowKind: "customWhere", predicate: predicateSource(config.predicate, [...path, "config", "predicate"]), config: { ...config } };
}

/** A predicate waiting to be parsed per dialect. */
export function predicateSource(source: string, path: Path): PredicateSource {
  return { source, path, templates: new Map() };
}

/** A V2 row rule's config → RowSpec. */
export function rowSpecFromV2(r: Exclude<V2Rule, { type: "Masking" }>, path: Path, issues: VeilIssue[]): RowSpec {
  switch (r.type) {
    case "Row Restriction by Custom Where Clause":
      return customWhere(r.config, path);
    case "Row Restriction by User Entitlements":
      r.config.matches.forEach((m, i) => {
        if (m.type === "attribute" && !m.attribute)
          issues.push({
            code: "invalid_input",
            path: [...path, "config", "matches", i, "attribute"],
            message: "an `attribute` match needs the attribute name",
          });
      });
      return {
        rowKind: "entitlements",
        operator: r.config.operator ?? "any",
        matches: r.config.matches.map((m): EntitlementMatch => ({ type: m.type, attribute: m.attribute ?? null, target: { tag: m.tag } })),
      };
    case "Time Restriction":
      return { rowKind: "time", seconds: r.config.time, direction: r.config.direction ?? "newer" };
    case "Minimization":
      return { rowKind: "minimization", percent: r.config.percent };
    case "Purpose Restriction":
      return { rowKind: "purpose", purposes: r.config.purposes, operator: "any" };
    case "Row Restriction by Never":
      return { rowKind: "never" };
  }
}

function matchFromV1(c: V1VisibilityCondition): EntitlementMatch {
  const target = c.field;
  if (c.type === "groups") return { type: "group", attribute: null, target };
  if (c.type === "authorizations") return { type: "attribute", attribute: c.authorization.auth, target };
  return { type: "purpose", attribute: null, target };
}

/** A v1 row rule → RowSpec; v1 `or`/`and` become `any`/`all`. */
export function rowSpecFromV1(r: V1RowRule, path: Path, issues: VeilIssue[]): RowSpec {
  switch (r.type) {
    case "visibility": {
      const q = r.config?.qualifications ?? { operator: r.operator, conditions: r.conditions ?? [] };
      return { rowKind: "entitlements", operator: q.operator === "and" ? "all" : "any", matches: q.conditions.map(matchFromV1) };
    }
    case "customWhere":
      return customWhere(r.config, path);
    case "showRowsNever":
      return { rowKind: "never" };
    case "time":
      return { rowKind: "time", seconds: r.config.time, direction: r.config.isOlderOrNewer ?? r.config.direction ?? "newer" };
    case "minimization":
      return { rowKind: "minimization", percent: r.config.percent };
    case "prerequisite":
      return {
        rowKind: "purpose",
        purposes: r.config?.purposes ?? (r.conditions ?? []).map((c) => c.value),
        operator: r.operator === "and" ? "all" : "any",
      };
  }
}
