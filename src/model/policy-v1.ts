import { z } from "zod";
import { DomainRefSchema, IsoDateSchema, PolicyLifecycleShape, RegexSourceSchema, parseRules, unknownTypeError } from "./common.js";
import { V1ConditionSchema } from "./condition.js";
import { V1MaskingConfigSchema } from "./masking-config.js";
import { V1RowRuleSchema, type V1RowRule } from "./row-rule-v1.js";
import { TagNameSchema, TagObjectSchema, TagSchema } from "./tag.js";
import { plainRecord } from "./record.js";

export { V1RowRuleSchema, type V1RowRule };

const op = { operator: z.enum(["or", "and"]).optional() } as const;

/** v1 circumstance: each carries the `operator` joining it to the ones before it. */
export const V1CircumstanceSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ ...op, type: z.literal("tags"), tag: TagSchema }),
    z.strictObject({ ...op, type: z.literal("columnTags"), columnTag: TagSchema }),
    z.strictObject({
      ...op,
      type: z.literal("columnRegex"),
      columnRegex: z.strictObject({ regex: RegexSourceSchema, caseInsensitive: z.boolean().optional() }),
    }),
    z.strictObject({ ...op, type: z.literal("anyTag") }),
    z.strictObject({ ...op, type: z.literal("noTags") }),
    z.strictObject({ ...op, type: z.literal("server"), server: z.string() }),
    z.strictObject({ ...op, type: z.literal("time"), startDate: IsoDateSchema.optional(), endDate: IsoDateSchema.optional() }),
    z.strictObject({ ...op, type: z.literal("domains"), domains: z.array(DomainRefSchema).min(1) }),
  ],
  { error: unknownTypeError("circumstance type", ["tags", "columnTags", "columnRegex", "anyTag", "noTags", "server", "time", "domains"]) },
);
export type V1Circumstance = z.infer<typeof V1CircumstanceSchema>;

/**
 * v1 masking target: a tag object (the documented form), a tag name, or one of the
 * selector objects `{type: noTags|anyTag|allColumns}` / `{type: columnRegex, regex}`.
 */
export const V1FieldSchema = z.union([
  TagObjectSchema.transform((t) => ({ type: "columnTags" as const, columnTag: t.name })),
  TagNameSchema.transform((t) => ({ type: "columnTags" as const, columnTag: t })),
  z.strictObject({ type: z.enum(["noTags", "anyTag", "allColumns"]) }),
  z.strictObject({ type: z.literal("columnRegex"), regex: RegexSourceSchema, caseInsensitive: z.boolean().optional() }),
]);

const Audience = { exceptions: V1ConditionSchema.nullable().optional(), inclusions: V1ConditionSchema.nullable().optional() } as const;

/** v1 masking rule (`actions[].rules[]` of a global policy). */
export const V1MaskingRuleSchema = z.strictObject({
  type: z.literal("masking"),
  ...Audience,
  config: z.strictObject({
    fields: z.array(V1FieldSchema).min(1),
    maskingConfig: V1MaskingConfigSchema,
    conditionalPredicate: z.string().min(1).nullable().optional(),
  }),
});
export type V1MaskingRule = z.infer<typeof V1MaskingRuleSchema>;

/** v1 row-level action (handler policy) types. */
export const V1_ROW_ACTION_TYPES = ["rowOrObjectRestriction", "time", "minimization", "prerequisite", "showRowsNever", "customWhere", "visibility"] as const;

const ACTION_TYPES = ["masking", ...V1_ROW_ACTION_TYPES] as const;

/** v1 data action: `{type, rules[]}`; the action type names the rule kind. */
export const V1DataActionSchema = z
  .strictObject({
    type: z.enum(ACTION_TYPES, { error: (i) => `unknown action type \`${String(i.input)}\`; accepted: ${ACTION_TYPES.join(", ")}` }),
    rules: z.array(z.unknown()).min(1),
    description: z.string().nullable().optional(),
  })
  .transform((action, ctx) => ({
    ...action,
    rules:
      action.type === "masking"
        ? parseRules<V1MaskingRule | V1RowRule>(action.rules, V1MaskingRuleSchema, ctx)
        : parseRules<V1MaskingRule | V1RowRule>(action.rules, V1RowRuleSchema, ctx),
  }));

/** v1 subscription action. */
export const V1SubscriptionActionSchema = z.strictObject({
  type: z.literal("subscription"),
  subscriptionType: z.enum(["automatic", "approval", "policy", "manual"]),
  exceptions: V1ConditionSchema.nullable().optional(),
  advanced: z.string().min(1).optional(),
  allowDiscovery: z.boolean().optional(),
  automaticSubscription: z.boolean().optional(),
  shareResponsibility: z.boolean().optional(),
  accessGrant: z.enum(["READ", "WRITE"]).optional(),
  approvals: z
    .array(
      z.strictObject({
        specificApproverRequired: z.boolean().optional(),
        requiredPermission: z.string(),
        specificApprover: z.union([z.number(), z.string()]).optional(),
        ownerModelId: z.number().optional(),
        ownerModelName: z.string().optional(),
      }),
    )
    .optional(),
  description: z.string().nullable().optional(),
});

const V1Common = {
  ...PolicyLifecycleShape,
  name: z.string().min(1),
  circumstances: z.array(V1CircumstanceSchema).optional(),
  metadata: plainRecord(z.unknown()).nullable().optional(),
} as const;

/** A v1 global policy (`POST /policy/global` body or `GET /policy/global` item). */
export const V1PolicySchema = z.discriminatedUnion("type", [
  z.strictObject({ ...V1Common, type: z.literal("data"), actions: z.array(V1DataActionSchema).min(1) }),
  z.strictObject({ ...V1Common, type: z.literal("subscription"), actions: z.array(V1SubscriptionActionSchema).length(1) }),
]);
export type V1Policy = z.infer<typeof V1PolicySchema>;
