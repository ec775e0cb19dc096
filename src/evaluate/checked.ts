import type { Plan } from "../compile/plan.js";
import { fail, ok, type Result } from "../errors.js";
import { maskDecisions, type MaskDecision } from "./masking.js";
import { rowDecision, type RowDecision } from "./rows.js";
import type { PreparedUser } from "./subject.js";

/**
 * The public evaluation entry points. A prepared user's condition memo is indexed by its
 * policy set's condition ids, so evaluating it against a plan of another set would read
 * other conditions' outcomes: that is an error here, never an answer.
 */
function sameSet(plan: Plan, user: PreparedUser): Result<true> {
  if (!plan || typeof plan !== "object" || !user || typeof user !== "object" || !("policySet" in plan) || !("policySet" in user)) {
    return fail([{ code: "invalid_input", path: [], message: "expected a plan from compilePlan and a user from prepareUser" }]);
  }
  if (plan.policySet !== user.policySet) {
    return fail([
      {
        code: "invalid_input",
        path: ["user"],
        message: "the user was prepared on another policy set than the plan was bound from: prepare it with the same engine or policy set",
      },
    ]);
  }
  return ok(true);
}

/** Masking decisions for one prepared user on one plan, with provenance. */
export function evaluateMasking(plan: Plan, user: PreparedUser): Result<MaskDecision[]> {
  const check = sameSet(plan, user);
  return check.ok ? ok(maskDecisions(plan, user)) : check;
}

/** Row decisions for one prepared user on one plan, with provenance. */
export function evaluateRows(plan: Plan, user: PreparedUser): Result<RowDecision> {
  const check = sameSet(plan, user);
  return check.ok ? ok(rowDecision(plan, user)) : check;
}
