import { compilePlan } from "./compile/index.js";
import type { Plan } from "./compile/plan.js";
import { compilePolicySet, type PolicySet } from "./compile/policy-set.js";
import { fail, ok, type Result } from "./errors.js";
import { evaluateMasking, type MaskDecision } from "./evaluate/masking.js";
import { prepareUser, type PreparedUser } from "./evaluate/subject.js";
import type { Bundle, DataSourceModel } from "./model/bundle.js";
import type { User } from "./model/user.js";
import { renderPolicyInfo, type PolicyInfo } from "./report/policy-info.js";

/** What to evaluate: a data source and a user, by id or name. */
export interface EvaluationRequest {
  readonly dataSource: number | string;
  readonly user: number | string;
  /** Evaluate under this project's purposes (policyInfo's `projectId`). */
  readonly projectId?: number | null;
  /** The instant time-based policies are evaluated at (ISO-8601); never read from the clock. */
  readonly now?: string;
}

/** Every decision for one (user, data source), with provenance for explain. */
export interface Decisions {
  readonly plan: Plan;
  readonly user: PreparedUser;
  readonly masks: readonly MaskDecision[];
}

/** An engine over one bundle: plans cached per data source, users prepared once. */
export interface Engine {
  readonly policySet: PolicySet;
  planFor(dataSource: number | string): Result<Plan>;
  prepare(user: number | string, projectId?: number | null): Result<PreparedUser>;
  decide(request: EvaluationRequest): Result<Decisions>;
  policyInfo(request: EvaluationRequest): Result<PolicyInfo>;
}

/** Finds a data source by id, or by name when not an id. */
export function findDataSource(bundle: Bundle, ref: number | string): Result<DataSourceModel> {
  const asId = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
  const found = bundle.dataSources.find((d) => d.id === asId) ?? bundle.dataSources.find((d) => d.name === String(ref));
  if (found) return ok(found);
  const known = bundle.dataSources.map((d) => `${d.id} (${d.name})`).join(", ");
  return fail([{ code: "unknown_reference", path: ["dataSource"], message: `unknown data source \`${ref}\`; known: ${known || "none"}` }]);
}

/** Finds a user by profile id, or by name when not an id. */
export function findUser(bundle: Bundle, ref: number | string): Result<User> {
  const asId = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
  const found = bundle.users.find((u) => u.profileId === asId) ?? bundle.users.find((u) => u.name === String(ref));
  if (found) return ok(found);
  const known = bundle.users.map((u) => `${u.profileId} (${u.name})`).join(", ");
  return fail([{ code: "unknown_reference", path: ["user"], message: `unknown user \`${ref}\`; known: ${known || "none"}` }]);
}

/**
 * Row policies arrive with the next stage; until then a source they bind to is
 * refused rather than reported without its row filters [fail closed].
 */
function refuseRowPolicies(plan: Plan): Result<Plan> {
  const first = plan.rowRules[0];
  if (!first) return ok(plan);
  return fail([{ code: "unsupported", path: first.path, message: `row policies are not supported yet: policy \`${first.policy.name}\` has a row rule that binds to data source \`${plan.dataSource.name}\`` }]);
}

/** Creates an engine. Compiling the policy set happens here, once. */
export function createEngine(bundle: Bundle): Engine {
  const policySet = compilePolicySet(bundle);
  const plans = new Map<number, Plan>();
  const planFor = (ref: number | string): Result<Plan> => {
    const ds = findDataSource(bundle, ref);
    if (!ds.ok) return ds;
    let plan = plans.get(ds.value.id);
    if (!plan) plans.set(ds.value.id, (plan = compilePlan(policySet, ds.value)));
    return ok(plan);
  };
  const prepare = (ref: number | string, projectId?: number | null): Result<PreparedUser> => {
    const user = findUser(bundle, ref);
    return user.ok ? prepareUser(policySet, user.value, projectId) : user;
  };
  const decide = (req: EvaluationRequest): Result<Decisions> => {
    if (req.now !== undefined && Number.isNaN(Date.parse(req.now))) return fail([{ code: "invalid_input", path: ["now"], message: `expected an ISO-8601 instant, got \`${req.now}\`` }]);
    const plan = planFor(req.dataSource);
    if (!plan.ok) return plan;
    const user = prepare(req.user, req.projectId);
    if (!user.ok) return user;
    const checked = refuseRowPolicies(plan.value);
    if (!checked.ok) return checked;
    return ok({ plan: plan.value, user: user.value, masks: evaluateMasking(plan.value, user.value) });
  };
  return {
    policySet,
    planFor,
    prepare,
    decide,
    policyInfo: (req) => {
      const d = decide(req);
      return d.ok ? ok(renderPolicyInfo(d.value.masks)) : d;
    },
  };
}

/** One-shot policyInfo (`GET /dataSource/{id}/users/{profileId}/policyInfo`). */
export function policyInfo(bundle: Bundle, request: EvaluationRequest): Result<PolicyInfo> {
  return createEngine(bundle).policyInfo(request);
}
