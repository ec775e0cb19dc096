/**
 * Policies that do not bind to the source, and why: the lifecycle state, the owner
 * restriction, the tag or column that is missing, or each circumstance with whether it holds.
 */
import { circumstanceHolds, sourceFacts } from "../compile/circumstances.js";
import type { Plan } from "../compile/plan.js";
import type { Circumstance } from "../model/policy.js";
import type { CircumstanceExplanation, SkippedExplanation } from "./types.js";

/** A circumstance in words. */
export function describeCircumstance(c: Circumstance): string {
  switch (c.kind) {
    case "tags":
      return `the data source is tagged \`${c.tag}\``;
    case "columnTags":
      return `a column is tagged \`${c.tag}\``;
    case "columnRegex":
      return `a column name matches /${c.regex}/${c.caseInsensitive ? "i" : ""}`;
    case "anyTag":
      return "the data source or a column has a tag";
    case "noTags":
      return "neither the data source nor a column has a tag";
    case "server":
      return `the server is \`${c.server}\``;
    case "time":
      return `the data source was created ${c.startDate === null ? "" : `from ${c.startDate} `}${c.endDate === null ? "" : `until ${c.endDate}`}`.trimEnd();
    case "domains":
      return `the data source is in domain ${c.domains.map((d) => `\`${d.name ?? d.id}\``).join(" or ")}`;
  }
}

/** Every policy (or action) that does not bind to the plan's source, with the circumstance that failed. */
export function explainSkipped(plan: Plan): SkippedExplanation[] {
  const ds = plan.dataSource;
  const facts = sourceFacts(ds);
  return plan.skipped.map((s) => {
    const base: SkippedExplanation = {
      name: s.policy.name,
      id: s.policy.id,
      reason: s.reason,
      ...(s.actionIndex !== undefined ? { actionIndex: s.actionIndex } : {}),
      ...(s.detail !== undefined ? { detail: s.detail } : {}),
    };
    if (s.reason !== "circumstances") return base;
    const circumstances: CircumstanceExplanation[] = s.policy.circumstances.map((j) => ({
      join: j.join,
      circumstance: describeCircumstance(j.circumstance),
      holds: circumstanceHolds(j.circumstance, ds, facts),
    }));
    return { ...base, circumstances };
  });
}
