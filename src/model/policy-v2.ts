import { z } from "zod";
import { DomainRefSchema, PolicyLifecycleShape, RegexSourceSchema, unknownTypeError, IsoDateSchema } from "./common.js";
import { V2ConditionSchema } from "./condition.js";
import { TagNameSchema } from "./tag.js";
import { V2MaskingConfigSchema } from "./masking-config.js";
import {
  CustomWhereConfigSchema,
  EntitlementsConfigSchema,
  MinimizationConfigSchema,
  NeverConfigSchema,
  PurposeConfigSchema,
  TimeConfigSchema,
} from "./row-config.js";

/** V2 circumstance: where a global policy applies. */
export const V2CircumstanceSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("tags"), tag: TagNameSchema }),
    z.strictObject({ type: z.literal("columnTags"), columnTag: TagNameSchema }),
    z.strictObject({ type: z.literal("columnRegex"), regex: RegexSourceSchema, caseInsensitive: z.boolean().optional() }),
    z.strictObject({ type: z.literal("anyTag") }),
    z.strictObject({ type: z.literal("noTags") }),
    z.strictObject({ type: z.literal("server"), server: z.string() }),
    z.strictObject({ type: z.literal("time"), startDate: IsoDateSchema.optional(), endDate: IsoDateSchema.optional() }),
    z.strictObject({ type: z.literal("domains"), domains: z.array(DomainRefSchema).min(1) }),
  ],
  { error: unknownTypeError("circumstance type", ["tags", "columnTags", "columnRegex", "anyTag", "noTags", "server", "time", "domains"]) },
);
export type V2Circumstance = z.infer<typeof V2CircumstanceSchema>;

/** V2 masking target: which columns a masking rule reaches. */
export const V2FieldSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("columnTags"), columnTag: TagNameSchema }),
    z.strictObject({ type: z.literal("anyTag") }),
    z.strictObject({ type: z.literal("noTags") }),
    z.strictObject({ type: z.literal("allColumns") }),
    z.strictObject({ type: z.literal("columnRegex"), regex: RegexSourceSchema, caseInsensitive: z.boolean().optional() }),
  ],
  { error: unknownTypeError("field type", ["columnTags", "anyTag", "noTags", "allColumns", "columnRegex"]) },
);
export type V2Field = z.infer<typeof V2FieldSchema>;

const Audience = { exceptions: V2ConditionSchema.optional(), inclusions: V2ConditionSchema.optional() } as const;

/** Canonical V2 rule type names; input is matched case-insensitively (`By`/`by` both occur). */
export const V2_RULE_TYPES = {
  masking: "Masking",
  "row restriction by custom where clause": "Row Restriction by Custom Where Clause",
  "row restriction by user entitlements": "Row Restriction by User Entitlements",
  "time restriction": "Time Restriction",
  minimization: "Minimization",
  "purpose restriction": "Purpose Restriction",
  "row restriction by never": "Row Restriction by Never",
} as const;
export type V2RuleType = (typeof V2_RULE_TYPES)[keyof typeof V2_RULE_TYPES];

const rule = <T extends V2RuleType, C extends z.ZodType>(type: T, config: C) => z.strictObject({ type: z.literal(type), config, ...Audience });

const V2MaskingRule = rule(
  "Masking",
  z.strictObject({
    fields: z.array(V2FieldSchema).min(1),
    maskingConfig: V2MaskingConfigSchema,
    // Real exports carry `operator: any` beside `fields`; it joins the field selectors.
    operator: z.enum(["any", "all"]).optional(),
    conditionalPredicate: z.string().min(1).optional(),
  }),
);

const RuleUnion = z.discriminatedUnion("type", [
  V2MaskingRule,
  rule("Row Restriction by Custom Where Clause", CustomWhereConfigSchema),
  rule("Row Restriction by User Entitlements", EntitlementsConfigSchema),
  rule("Time Restriction", TimeConfigSchema),
  rule("Minimization", MinimizationConfigSchema),
  rule("Purpose Restriction", PurposeConfigSchema),
  z.strictObject({ type: z.literal("Row Restriction by Never"), config: NeverConfigSchema.optional(), ...Audience }),
]);

/** A V2 data rule; its `type` is canonicalised before validation. */
export const V2RuleSchema = z.preprocess((raw, ctx) => {
  if (raw && typeof raw === "object" && typeof (raw as { type?: unknown }).type === "string") {
    const given = (raw as { type: string }).type;
    const key = given.toLowerCase().replace(/\s+/g, " ");
    // Own keys only: `constructor` is an unknown rule type, not Object.prototype's.
    const canonical = Object.hasOwn(V2_RULE_TYPES, key) ? V2_RULE_TYPES[key as keyof typeof V2_RULE_TYPES] : undefined;
    if (!canonical) {
      ctx.addIssue({
        code: "custom",
        path: ["type"],
        message: `unknown rule type \`${given}\`; accepted: ${Object.values(V2_RULE_TYPES).join(", ")}`,
        input: raw,
      });
      return z.NEVER;
    }
    return { ...(raw as object), type: canonical };
  }
  return raw;
}, RuleUnion);
export type V2Rule = z.infer<typeof RuleUnion>;
export type V2MaskingRule = z.infer<typeof V2MaskingRule>;

/** A V2 data action: a list of rules. */
export const V2DataActionSchema = z.strictObject({ rules: z.array(V2RuleSchema).min(1), description: z.string().nullable().optional() });

/** A V2 subscription action (`actions` is one object in real exports). */
export const V2SubscriptionActionSchema = z.strictObject({
  type: z.enum(["anyone", "approval", "entitlements", "manual"]),
  accessGrant: z.enum(["READ", "WRITE"]).optional(),
  allowDiscovery: z.boolean().optional(),
  automaticSubscription: z.boolean().optional(),
  shareResponsibility: z.boolean().optional(),
  entitlements: V2ConditionSchema.optional(),
  /** An advanced expression beside `type`, as in Immuta's V2 example; AND-ed with `entitlements`. */
  advanced: z.string().min(1).optional(),
  approvals: z
    .array(
      z
        .strictObject({
          specificApproverRequired: z.boolean().optional(),
          // `requiredPermission` in Immuta's 2024.2 documentation, `requiredPermissions` in 2025.1.
          requiredPermission: z.string().optional(),
          requiredPermissions: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
          specificApprover: z.union([z.number(), z.string()]).optional(),
        })
        .refine((a) => (a.requiredPermission === undefined) !== (a.requiredPermissions === undefined), {
          message: "an approval needs `requiredPermission` or `requiredPermissions` (one of them)",
        }),
    )
    .optional(),
  description: z.string().nullable().optional(),
});

const V2Common = {
  ...PolicyLifecycleShape,
  name: z.string().min(1),
  circumstances: z.array(V2CircumstanceSchema).optional(),
  circumstanceOperator: z.enum(["any", "all"]).optional(),
} as const;

/** A V2 (policy-as-code) global policy. */
export const V2PolicySchema = z.discriminatedUnion("type", [
  z.strictObject({ ...V2Common, type: z.literal("data"), actions: z.array(V2DataActionSchema).min(1) }),
  z.strictObject({
    ...V2Common,
    type: z.literal("subscription"),
    actions: z.union([V2SubscriptionActionSchema, z.array(V2SubscriptionActionSchema).length(1)]),
  }),
]);
export type V2Policy = z.infer<typeof V2PolicySchema>;
