import { compilePlan } from "../compile/index.js";
import type { Plan } from "../compile/plan.js";
import type { PlanCache } from "../compile/plan-cache.js";
import { compilePolicySet, type PolicySet } from "../compile/policy-set.js";
import { fail, ok, type Result } from "../errors.js";
import { maskDecisions, type MaskDecision } from "../evaluate/masking.js";
import { prepareReusedUser, prepareUser, projectFor, type PreparedUser } from "../evaluate/subject.js";
import type { Bundle, DataSourceModel } from "../model/bundle.js";
import type { User } from "../model/user.js";
import { EvaluationRequestSchema, UserProfileSchema, type UserProfile } from "../model/request.js";
import { fromZod } from "../model/zod-issues.js";
import { parseInstant, windowStart } from "../lang/instant.js";
import { renderPolicyInfo, type PolicyInfo } from "../report/policy-info.js";
import { renderVisibilityReport, type VisibilityReport } from "../report/visibility-report.js";
import { rowDecision, type RowDecision } from "../evaluate/rows.js";

/** What to evaluate: a data source by id or name, and a user by profile id, name or `userid`, or a profile object. */
export interface EvaluationRequest {
  readonly dataSource: number | string;
  /** A bundle user's profile id, name or `userid`; or a profile (`{groups, authorizations, …}`) from an identity provider. */
  readonly user: number | string | UserProfile;
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
  readonly rows: RowDecision;
  /** The evaluation instant in epoch milliseconds, when given. */
  readonly nowMs: number | null;
}

/** An engine over one bundle: plans cached per data source, users prepared once. */
export interface Engine {
  readonly policySet: PolicySet;
  planFor(dataSource: number | string): Result<Plan>;
  /** A user (bundle reference or profile) prepared on this engine's policy set, acting under `projectId` or their current project. */
  prepare(user: number | string | UserProfile, projectId?: number | null): Result<PreparedUser>;
  decide(request: EvaluationRequest): Result<Decisions>;
  policyInfo(request: EvaluationRequest): Result<PolicyInfo>;
  /** `GET /dataSource/{id}/users/{profileId}/visibilityReport`. */
  visibilityReport(request: EvaluationRequest): Result<VisibilityReport>;
  /** `GET /dataSource/{id}/visibilityReport` as the given user: their current project, no override. */
  currentUserVisibilityReport(request: Omit<EvaluationRequest, "projectId">): Result<VisibilityReport>;
}

/** Indexes a bundle's data sources and users by every name a request may use. */
function indexBundle(bundle: Bundle) {
  const byKey = <T>(items: readonly T[], ...keys: ((t: T) => string | number | undefined)[]) => {
    const maps = keys.map((key) => new Map(items.flatMap((t) => (key(t) === undefined ? [] : [[key(t)!, t] as const])).reverse()));
    return (ref: number | string): T | undefined => {
      const asId = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
      return (asId !== undefined ? maps[0]!.get(asId) : undefined) ?? maps.slice(1).reduce<T | undefined>((found, m) => found ?? m.get(String(ref)), undefined);
    };
  };
  return {
    dataSource: byKey(
      bundle.dataSources,
      (d) => d.id,
      (d) => d.name,
    ),
    user: byKey(
      bundle.users,
      (u) => u.profileId,
      (u) => u.name,
      (u) => u.userid,
    ),
  };
}

/** Finds a data source by id, or by name when not an id. */
export function findDataSource(bundle: Bundle, ref: number | string, found = indexBundle(bundle).dataSource(ref)): Result<DataSourceModel> {
  if (found) return ok(found);
  const known = bundle.dataSources.map((d) => `${d.id} (${d.name})`).join(", ");
  return fail([{ code: "unknown_reference", path: ["dataSource"], message: `unknown data source \`${ref}\`; known: ${known || "none"}` }]);
}

/** Finds a user by profile id, else by name, else by `userid` (login). */
export function findUser(bundle: Bundle, ref: number | string, found = indexBundle(bundle).user(ref)): Result<User> {
  if (found) return ok(found);
  const known = bundle.users.map((u) => `${u.profileId} (${u.name})`).join(", ");
  return fail([{ code: "unknown_reference", path: ["user"], message: `unknown user \`${ref}\`; known: ${known || "none"}` }]);
}

/** A caller's profile as a user: the same fields as a bundle user; no profile id or name means nobody in particular. */
function userFromProfile(profile: UserProfile): Result<User> {
  const parsed = UserProfileSchema.safeParse(profile);
  if (!parsed.success) return fail(fromZod(parsed.error, ["user"]));
  return ok(profileUser(parsed.data));
}

/** A validated profile as a user. */
function profileUser(profile: UserProfile): User {
  const { profileId, name, ...rest } = profile;
  return { ...rest, profileId: profileId ?? -1, name: name ?? rest.userid ?? "" };
}

const EMPTY_BUNDLE: Bundle = { dataSources: [], globalPolicies: [], subscriptionPolicies: [], projects: [], users: [], purposes: [], access: [] };

/** Whether a value has the shape `parseBundle` returns (a caller may hand us anything). */
export function isBundle(b: unknown): b is Bundle {
  if (!b || typeof b !== "object") return false;
  const x = b as Record<string, unknown>;
  return (
    ["dataSources", "globalPolicies", "subscriptionPolicies", "projects", "users", "purposes", "access"].every((k) => Array.isArray(x[k])) &&
    (x["dataSources"] as unknown[]).every((d) => d !== null && typeof d === "object" && Array.isArray((d as { columnTypes?: unknown }).columnTypes))
  );
}

/** Engine options. */
export interface EngineOptions {
  /** Share compiled policy sets and plans by content with other engines (e.g. before/after simulations). */
  readonly cache?: PlanCache;
  /**
   * Keep at most this many compiled plans, the least recently used dropped first (default:
   * all). Bulk work over a catalog keeps memory bounded by this, not by the catalog.
   */
  readonly maxPlans?: number;
}

/** Creates an engine. Compiling the policy set happens here, once. */
export function createEngine(input: Bundle, options: EngineOptions = {}): Engine {
  // Not a bundle from parseBundle: an engine that answers every request with the reason.
  const invalid = isBundle(input)
    ? null
    : fail<never>([{ code: "invalid_input", path: ["bundle"], message: "expected a bundle returned by parseBundle (or a loader)" }]);
  const bundle = invalid ? EMPTY_BUNDLE : input;
  const cache = options?.cache;
  const policySet = cache ? cache.policySet(bundle) : compilePolicySet(bundle);
  // Built on the first lookup: creating an engine does no work proportional to the catalog.
  let indexed: ReturnType<typeof indexBundle> | undefined;
  const index = {
    dataSource: (ref: number | string) => (indexed ??= indexBundle(bundle)).dataSource(ref),
    user: (ref: number | string) => (indexed ??= indexBundle(bundle)).user(ref),
  };
  // Caches live in this closure: plans per data source, prepared users per (user, project).
  const plans = new Map<number, Plan>();
  const maxPlans = options?.maxPlans ?? Infinity;
  const prepared = new Map<string, PreparedUser>();
  const planFor = (ref: number | string): Result<Plan> => {
    if (invalid) return invalid;
    if (typeof ref !== "number" && typeof ref !== "string")
      return fail([{ code: "invalid_input", path: ["dataSource"], message: "expected a data source id or name" }]);
    const ds = findDataSource(bundle, ref, index.dataSource(ref));
    if (!ds.ok) return ds;
    let plan = plans.get(ds.value.id);
    if (!plan) {
      const source = ds.value;
      plan = cache ? cache.plan(policySet, source, () => compilePlan(policySet, source)) : compilePlan(policySet, source);
      plans.set(source.id, plan);
      if (plans.size > maxPlans) plans.delete(plans.keys().next().value!);
    } else if (maxPlans !== Infinity) {
      // Most recently used last: a Map iterates in insertion order.
      plans.delete(ds.value.id);
      plans.set(ds.value.id, plan);
    }
    return ok(plan);
  };
  /** A profile from the caller, validated: prepared fresh (it has no identity to cache by). */
  const prepareProfile = (user: User, projectId?: number | null): Result<PreparedUser> => {
    const project = projectFor(policySet, user, projectId);
    return project.ok ? ok(prepareUser(policySet, user, project.value)) : project;
  };
  const prepare = (ref: number | string | UserProfile, projectId?: number | null, validated = false): Result<PreparedUser> => {
    if (invalid) return invalid;
    if (typeof ref === "object" && ref !== null) {
      // Validated like a bundle user, unless the request it came in was (decide validates the whole request).
      if (validated) return prepareProfile(profileUser(ref), projectId);
      const profile = userFromProfile(ref);
      return profile.ok ? prepareProfile(profile.value, projectId) : profile;
    }
    if (typeof ref !== "number" && typeof ref !== "string")
      return fail([{ code: "invalid_input", path: ["user"], message: "expected a profile id, a name or a profile object" }]);
    const user = findUser(bundle, ref, index.user(ref));
    if (!user.ok) return user;
    const key = `${user.value.profileId}|${projectId ?? ""}`;
    const hit = prepared.get(key);
    if (hit) return ok(hit);
    const project = projectFor(policySet, user.value, projectId);
    if (!project.ok) return project;
    const u = prepareReusedUser(policySet, user.value, project.value);
    prepared.set(key, u);
    return ok(u);
  };
  const decide = (raw: EvaluationRequest): Result<Decisions> => {
    if (invalid) return invalid;
    const parsed = EvaluationRequestSchema.safeParse(raw);
    if (!parsed.success) return fail(fromZod(parsed.error, []));
    const req = parsed.data as EvaluationRequest;
    let nowMs: number | null = null;
    if (req.now !== undefined) {
      const now = parseInstant(req.now, ["now"]);
      if (!now.ok) return now;
      nowMs = now.value;
    }
    const plan = planFor(req.dataSource);
    if (!plan.ok) return plan;
    const user = prepare(req.user, req.projectId, true);
    if (!user.ok) return user;
    const rows = rowDecision(plan.value, user.value);
    if (rows.time && nowMs === null) {
      return fail([
        {
          code: "invalid_input",
          path: ["now"],
          message: `a time policy applies to data source \`${plan.value.dataSource.name}\`: pass \`now\` (ISO-8601); Veil never reads the clock`,
        },
      ]);
    }
    if (rows.time && nowMs !== null) {
      const start = windowStart(nowMs, rows.time.seconds, ["now"]);
      if (!start.ok) return start;
    }
    return ok({ plan: plan.value, user: user.value, masks: maskDecisions(plan.value, user.value), rows, nowMs });
  };
  const visibilityReport = (req: EvaluationRequest): Result<VisibilityReport> => {
    const d = decide(req);
    return d.ok ? ok(renderVisibilityReport(d.value.plan, d.value.masks, d.value.rows, d.value.user.project, d.value.nowMs)) : d;
  };
  return {
    policySet,
    planFor,
    prepare: (user, projectId) => prepare(user, projectId),
    decide,
    policyInfo: (req) => {
      const d = decide(req);
      return d.ok ? ok(renderPolicyInfo(d.value.plan, d.value.masks, d.value.rows, d.value.nowMs)) : d;
    },
    visibilityReport,
    currentUserVisibilityReport: (req) => visibilityReport({ ...req, projectId: null }),
  };
}

/** One-shot policyInfo (`GET /dataSource/{id}/users/{profileId}/policyInfo`). */
export function policyInfo(bundle: Bundle, request: EvaluationRequest): Result<PolicyInfo> {
  return createEngine(bundle).policyInfo(request);
}

/** One-shot visibilityReport for a user. */
export function visibilityReport(bundle: Bundle, request: EvaluationRequest): Result<VisibilityReport> {
  return createEngine(bundle).visibilityReport(request);
}
