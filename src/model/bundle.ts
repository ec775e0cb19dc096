import { z } from "zod";
import { fail, ok, type Result, type VeilIssue } from "../errors.js";
import { DataSourceSchema, type DataSource } from "./data-source.js";
import { columnTypeOf, type ColumnType } from "./data-type.js";
import { normalizeLocalPolicy, normalizeV1Policy, normalizeV2Policy } from "./normalize-policy.js";
import { normalizeSubscriptionV1, normalizeSubscriptionV2 } from "./normalize-subscription.js";
import type { Policy, SubscriptionPolicy } from "./policy.js";
import { V1PolicySchema } from "./policy-v1.js";
import { V2PolicySchema } from "./policy-v2.js";
import { AccessSchema, ProjectSchema, PurposeSchema, UserSchema, type Project, type User } from "./user.js";
import { fromZod } from "./zod-issues.js";
import { checkDepth } from "./depth.js";
import { parsePredicates } from "./predicates.js";
import { dialectOfBlobHandler } from "../sql/blob-handler.js";
import type { DialectId } from "../sql/dialect.js";

/** The raw bundle: every key optional, unknown keys rejected. Policies are validated per item. */
export const BundleInputSchema = z.strictObject({
  dataSources: z.array(z.unknown()).optional(),
  globalPolicies: z.array(z.unknown()).optional(),
  projects: z.array(ProjectSchema).optional(),
  purposes: z.array(PurposeSchema).optional(),
  users: z.array(UserSchema).optional(),
  access: z.array(AccessSchema).optional(),
});
export type BundleInput = z.input<typeof BundleInputSchema>;

/** What `parseBundle` checks first: the top-level keys; the items of each list are validated one by one. */
const TopSchema = BundleInputSchema.extend({
  projects: z.array(z.unknown()).optional(),
  purposes: z.array(z.unknown()).optional(),
  users: z.array(z.unknown()).optional(),
  access: z.array(z.unknown()).optional(),
});

/** A data source with its local (handler) policies normalised. */
export interface DataSourceModel extends DataSource {
  readonly localPolicies: readonly Policy[];
  /** Each column's type family, parsed once at load (dictionary order). */
  readonly columnTypes: readonly ColumnType[];
  /** The SQL dialect its engine speaks (from `blobHandlerType`). */
  readonly dialect: DialectId;
}

/** A validated, normalised bundle. */
export interface Bundle {
  readonly dataSources: readonly DataSourceModel[];
  readonly globalPolicies: readonly Policy[];
  readonly subscriptionPolicies: readonly SubscriptionPolicy[];
  readonly projects: readonly Project[];
  readonly users: readonly User[];
  readonly purposes: readonly { name: string }[];
  readonly access: readonly z.infer<typeof AccessSchema>[];
}

/**
 * Which form a global policy item is in. V2 has `circumstanceOperator` or an object
 * `actions` (subscriptions); v1 actions carry a `type`, v1 circumstances an `operator`.
 */
const V2_SUBSCRIPTION_TYPES = ["anyone", "approval", "entitlements", "manual"] as const;

export function detectPolicyFormat(raw: unknown): "v1" | "v2" {
  if (!raw || typeof raw !== "object") return "v2";
  const p = raw as Record<string, unknown>;
  if ("circumstanceOperator" in p) return "v2";
  if (p["actions"] !== undefined && !Array.isArray(p["actions"])) return "v2";
  const has = (xs: unknown, key: string) => Array.isArray(xs) && xs.some((x) => x !== null && typeof x === "object" && Object.hasOwn(x, key));
  // A V2 subscription may list its one action: its type is a V2 subscription type, never a v1 action type.
  const v2Subscription =
    Array.isArray(p["actions"]) &&
    p["actions"].some((x) => x !== null && typeof x === "object" && V2_SUBSCRIPTION_TYPES.includes((x as { type?: unknown }).type as never));
  if (!v2Subscription && (has(p["actions"], "type") || has(p["circumstances"], "operator"))) return "v1";
  return "v2";
}

/** How many problems `parseBundle` lists before it stops looking (a hostile bundle can have millions). */
export const MAX_ISSUES = 1000;

/**
 * `schema.safeParse(raw)`, its issues under `path`. zod gathers a value's issues with
 * `push(...spread)`, which overflows the stack past some 100,000 of them: that is
 * reported as one issue rather than thrown.
 */
function validate<T>(schema: z.ZodType<T>, raw: unknown, path: (string | number)[], issues: VeilIssue[]): T | undefined {
  let r: z.ZodSafeParseResult<T>;
  try {
    r = schema.safeParse(raw);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    issues.push({ code: "invalid_input", path, message: "this value has too many problems to list (the validator ran out of stack)" });
    return undefined;
  }
  if (r.success) return r.data;
  for (const i of fromZod(r.error, path)) issues.push(i);
  return undefined;
}

/** At most `MAX_ISSUES` issues, and a last one saying the list was cut. */
function capped(issues: readonly VeilIssue[]): VeilIssue[] {
  if (issues.length < MAX_ISSUES) return [...issues];
  return [
    ...issues.slice(0, MAX_ISSUES),
    {
      code: "invalid_input",
      path: [],
      message: `stopped after ${MAX_ISSUES} problems; fix these and check again (the rest of the bundle may not have been read)`,
    },
  ];
}

function parseGlobalPolicy(raw: unknown, index: number, defaultId: number, issues: VeilIssue[]): Policy | SubscriptionPolicy | undefined {
  const path = ["globalPolicies", index];
  if (detectPolicyFormat(raw) === "v1") {
    const p = validate(V1PolicySchema, raw, path, issues);
    if (!p) return undefined;
    return p.type === "data" ? normalizeV1Policy(p, index, path, issues, defaultId) : normalizeSubscriptionV1(p, index, path, issues, defaultId);
  }
  const p = validate(V2PolicySchema, raw, path, issues);
  if (!p) return undefined;
  return p.type === "data" ? normalizeV2Policy(p, index, path, issues, defaultId) : normalizeSubscriptionV2(p, index, path, issues, defaultId);
}

/**
 * The id of each global policy that has none [ours]: the largest explicit id plus its
 * 1-based position, so it never collides with an explicit id and counts as authored
 * after every policy that has one. Without explicit ids it is the 1-based position.
 */
function defaultPolicyIds(raws: readonly unknown[], issues: VeilIssue[]): (index: number) => number {
  let largest = 0;
  for (const raw of raws) {
    const id = raw !== null && typeof raw === "object" ? (raw as { id?: unknown }).id : undefined;
    if (typeof id === "number" && Number.isSafeInteger(id) && id > largest) largest = id;
  }
  if (largest + raws.length > Number.MAX_SAFE_INTEGER) {
    const index = raws.findIndex((raw) => raw !== null && typeof raw === "object" && (raw as { id?: unknown }).id == null);
    if (index !== -1) {
      issues.push({
        code: "invalid_input",
        path: ["globalPolicies", index, "id"],
        message: `a policy without an \`id\` is numbered after the largest id (${largest}), which leaves no safe integer for it; give it an \`id\``,
      });
    }
  }
  return (index) => largest + index + 1;
}

function duplicates<T>(items: readonly T[], key: (t: T) => unknown, what: string, pathOf: (i: number) => (string | number)[], issues: VeilIssue[]): void {
  const seen = new Map<unknown, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (k === null || k === undefined) return;
    const first = seen.get(k);
    if (first !== undefined) issues.push({ code: "duplicate_id", path: pathOf(i), message: `duplicate ${what} \`${String(k)}\` (first at index ${first})` });
    else seen.set(k, i);
  });
}

/** Validates and normalises a bundle object. Never throws; every problem names its JSON path. */
export function parseBundle(input: unknown): Result<Bundle> {
  // Before zod or anything recursive sees the value: a deep one would overflow the stack.
  const tooDeep = checkDepth(input);
  if (tooDeep) return fail([tooDeep]);
  const top = TopSchema.safeParse(input);
  if (!top.success) {
    const accepted = Object.keys(BundleInputSchema.shape).join(", ");
    return fail(
      capped(
        fromZod(top.error, []).map((i) =>
          i.path.length === 1 && i.message.startsWith("unknown key") ? { ...i, message: `${i.message}; accepted: ${accepted}` } : i,
        ),
      ),
    );
  }
  const issues: VeilIssue[] = [];
  // Item by item, so that a bundle with millions of bad items stops at MAX_ISSUES.
  const items = <T>(key: "projects" | "purposes" | "users" | "access", schema: z.ZodType<T>): T[] => {
    const out: T[] = [];
    for (const [i, raw] of (top.data[key] ?? []).entries()) {
      if (issues.length >= MAX_ISSUES) break;
      const v = validate(schema, raw, [key, i], issues);
      if (v !== undefined) out.push(v);
    }
    return out;
  };
  const b = {
    ...top.data,
    projects: items("projects", ProjectSchema),
    purposes: items("purposes", PurposeSchema),
    users: items("users", UserSchema),
    access: items("access", AccessSchema),
  };
  if (issues.length > 0) return fail(capped(issues));

  const dataSources: DataSourceModel[] = [];
  (b.dataSources ?? []).forEach((raw, i) => {
    if (issues.length >= MAX_ISSUES) return;
    const ds = validate(DataSourceSchema, raw, ["dataSources", i], issues);
    if (!ds) return;
    const localPolicies = (ds.policyHandler?.jsonPolicies ?? []).map((p, pi) =>
      normalizeLocalPolicy(p, pi, ds.name, ["dataSources", i, "policyHandler", "jsonPolicies", pi], issues),
    );
    duplicates(
      ds.columns,
      (c) => c.name,
      "column",
      (ci) => ["dataSources", i, "columns", ci, "name"],
      issues,
    );
    const dialect = dialectOfBlobHandler(ds.blobHandlerType)!;
    parsePredicates(localPolicies, [dialect], issues);
    dataSources.push({ ...ds, localPolicies, columnTypes: ds.columns.map((c) => columnTypeOf(c.dataType)!), dialect });
  });

  const globalPolicies: Policy[] = [];
  const subscriptionPolicies: SubscriptionPolicy[] = [];
  const defaultId = defaultPolicyIds(b.globalPolicies ?? [], issues);
  (b.globalPolicies ?? []).forEach((raw, i) => {
    if (issues.length >= MAX_ISSUES) return;
    const p = parseGlobalPolicy(raw, i, defaultId(i), issues);
    if (p && "actions" in p) globalPolicies.push(p);
    else if (p) subscriptionPolicies.push(p);
  });

  // Global policies may bind to any source: their SQL is read in every dialect the sources speak.
  const dialects = [...new Set(dataSources.map((d) => d.dialect))];
  parsePredicates(globalPolicies, dialects.length > 0 ? dialects : ["postgres"], issues);

  const projects = b.projects ?? [];
  const users = b.users ?? [];
  duplicates(
    dataSources,
    (d) => d.id,
    "data source id",
    (i) => ["dataSources", i, "id"],
    issues,
  );
  duplicates(
    dataSources,
    (d) => d.name,
    "data source name",
    (i) => ["dataSources", i, "name"],
    issues,
  );
  const allPolicies = [...globalPolicies.map((p) => ({ id: p.id, order: p.order })), ...subscriptionPolicies.map((p) => ({ id: p.id, order: p.order }))].sort(
    (a, c) => a.order - c.order,
  );
  duplicates(
    allPolicies,
    (p) => p.id,
    "policy id",
    (i) => ["globalPolicies", allPolicies[i]!.order, "id"],
    issues,
  );
  duplicates(
    projects,
    (p) => p.id,
    "project id",
    (i) => ["projects", i, "id"],
    issues,
  );
  duplicates(
    users,
    (u) => u.profileId,
    "user profileId",
    (i) => ["users", i, "profileId"],
    issues,
  );
  duplicates(
    users,
    (u) => u.name,
    "user name",
    (i) => ["users", i, "name"],
    issues,
  );

  const projectIds = new Set(projects.map((p) => p.id));
  const dsIds = new Set(dataSources.map((d) => d.id));
  users.forEach((u, i) => {
    if (u.currentProject != null && !projectIds.has(u.currentProject)) {
      issues.push({ code: "unknown_reference", path: ["users", i, "currentProject"], message: `unknown project \`${u.currentProject}\`` });
    }
  });
  projects.forEach((p, i) =>
    (p.dataSources ?? []).forEach((id, j) => {
      if (!dsIds.has(id)) issues.push({ code: "unknown_reference", path: ["projects", i, "dataSources", j], message: `unknown data source \`${id}\`` });
    }),
  );

  if (issues.length > 0) return fail(capped(issues));
  return ok({ dataSources, globalPolicies, subscriptionPolicies, projects, users, purposes: b.purposes, access: b.access });
}
