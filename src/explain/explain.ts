/**
 * `explain`: why a user sees what they see of one data source, read from the engine's
 * decisions (the masks with their provenance, the row verdict) and the plan (losers,
 * skipped policies). Nothing is decided here: every answer is the engine's.
 */
import { createEngine, type Decisions, type EvaluationRequest } from "../engine/engine.js";
import { ok, type Result } from "../errors.js";
import { formatInstant } from "../lang/instant.js";
import type { Bundle } from "../model/bundle.js";
import { explainColumns } from "./columns.js";
import { explainRows } from "./rows.js";
import { explainSkipped } from "./skipped.js";
import type { Explanation } from "./types.js";

/** The explanation of decisions already made (an engine's `decide`). */
export function explainDecisions(d: Decisions): Explanation {
  const { plan, user: u } = d;
  const ds = plan.dataSource;
  const user = u.user;
  const attributes: Record<string, string[]> = Object.create(null);
  for (const [name, values] of u.subject.attributes) attributes[name] = [...values];
  return {
    dataSource: { id: ds.id, name: ds.name, dialect: ds.dialect },
    user: {
      profileId: user.profileId,
      name: user.name,
      groups: [...u.subject.groups],
      attributes,
      purposes: [...u.subject.purposes],
      project: u.project ? { id: u.project.id, name: u.project.name } : null,
    },
    now: d.nowMs === null ? null : formatInstant(d.nowMs),
    columns: explainColumns(plan, d.masks, u),
    rows: explainRows(plan, d.rows, u, d.nowMs),
    skipped: explainSkipped(plan),
  };
}

/** Why the user sees what they see of the data source: every column, the rows, and the policies that do not bind. */
export function explain(bundle: Bundle, request: EvaluationRequest): Result<Explanation> {
  const d = createEngine(bundle).decide(request);
  return d.ok ? ok(explainDecisions(d.value)) : d;
}
