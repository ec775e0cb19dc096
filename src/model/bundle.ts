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

function parseGlobalPolicy(raw: unknown, index: number, issues: VeilIssue[]): Policy | SubscriptionPolicy | undefined {
  const path = ["globalPolicies", index];
  if (detectPolicyFormat(raw) === "v1") {
    const r = V1PolicySchema.safeParse(raw);
    if (!r.success) return void issues.push(...fromZod(r.error, path));
    return r.data.type === "data" ? normalizeV1Policy(r.data, index, path, issues) : normalizeSubscriptionV1(r.data, index, path, issues);
  }
  const r = V2PolicySchema.safeParse(raw);
  if (!r.success) return void issues.push(...fromZod(r.error, path));
  return r.data.type === "data" ? normalizeV2Policy(r.data, index, path, issues) : normalizeSubscriptionV2(r.data, index, path, issues);
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
  const top = BundleInputSchema.safeParse(input);
  if (!top.success) {
    const accepted = Object.keys(BundleInputSchema.shape).join(", ");
    return fail(
      fromZod(top.error, []).map((i) =>
        i.path.length === 1 && i.message.startsWith("unknown key") ? { ...i, message: `${i.message}; accepted: ${accepted}` } : i,
      ),
    );
  }
  const issues: VeilIssue[] = [];
  const b = top.data;

  const dataSources: DataSourceModel[] = [];
  (b.dataSources ?? []).forEach((raw, i) => {
    const r = DataSourceSchema.safeParse(raw);
    if (!r.success) return void issues.push(...fromZod(r.error, ["dataSources", i]));
    const ds = r.data;
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
  (b.globalPolicies ?? []).forEach((raw, i) => {
    const p = parseGlobalPolicy(raw, i, issues);
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

  if (issues.length > 0) return fail(issues);
  return ok({ dataSources, globalPolicies, subscriptionPolicies, projects, users, purposes: b.purposes ?? [], access: b.access ?? [] });
}
