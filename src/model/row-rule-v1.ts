import { z } from "zod";
import { unknownTypeError } from "./common.js";
import { V1ConditionSchema } from "./condition.js";
import { CustomWhereConfigSchema, MinimizationConfigSchema, NeverConfigSchema } from "./row-config.js";
import { TagObjectSchema } from "./tag.js";

/**
 * v1 row rules. Immuta's documentation shows only the prerequisite shape
 * (`{type, operator, conditions:[{type: purposes, value}]}`) and says a visibility
 * condition names its column in `field` with the value left empty; the rest follows
 * the handler's rule types (`visibility`, `customWhere`, `showRowsNever`, `time`,
 * `minimization`, `prerequisite`). Where two spellings are plausible both are accepted.
 */

/** A visibility condition's target: a column name, or a tag object (global policies). */
const FieldSchema = z.union([
  z
    .string()
    .min(1)
    .transform((column) => ({ column })),
  TagObjectSchema.transform((t) => ({ tag: t.name })),
]);

const VisibilityCondition = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("groups"),
      field: FieldSchema,
      group: z.strictObject({ name: z.string().optional(), id: z.union([z.number(), z.string()]).optional(), iam: z.string().optional() }).optional(),
    }),
    z.strictObject({
      type: z.literal("authorizations"),
      field: FieldSchema,
      authorization: z.strictObject({ auth: z.string().min(1), value: z.string().optional(), iam: z.string().optional() }),
    }),
    z.strictObject({ type: z.literal("purposes"), field: FieldSchema, value: z.string().optional() }),
  ],
  { error: unknownTypeError("condition type", ["groups", "authorizations", "purposes"]) },
);
export type V1VisibilityCondition = z.infer<typeof VisibilityCondition>;

const Qualifications = z.strictObject({ operator: z.enum(["or", "and"]).optional(), conditions: z.array(VisibilityCondition).min(1) });
const Audience = { exceptions: V1ConditionSchema.nullable().optional(), inclusions: V1ConditionSchema.nullable().optional() } as const;

const Visibility = z
  .strictObject({
    type: z.literal("visibility"),
    ...Audience,
    operator: z.enum(["or", "and"]).optional(),
    conditions: z.array(VisibilityCondition).min(1).optional(),
    config: z.strictObject({ qualifications: Qualifications }).optional(),
  })
  .refine((r) => (r.conditions === undefined) !== (r.config === undefined), {
    message: "a visibility rule needs `conditions` or `config.qualifications` (one of them)",
  });

const PurposeCondition = z.strictObject({ type: z.literal("purposes"), value: z.string().min(1), field: z.string().optional() });
const Prerequisite = z
  .strictObject({
    type: z.literal("prerequisite"),
    ...Audience,
    operator: z.enum(["or", "and"]).optional(),
    conditions: z.array(PurposeCondition).min(1).optional(),
    config: z.strictObject({ purposes: z.array(z.string().min(1)).min(1) }).optional(),
  })
  .refine((r) => (r.conditions === undefined) !== (r.config === undefined), {
    message: "a prerequisite rule needs `conditions` or `config.purposes` (one of them)",
  });

const Time = z.strictObject({
  type: z.literal("time"),
  ...Audience,
  config: z
    .strictObject({
      time: z.number().int().positive(),
      isOlderOrNewer: z.enum(["newer", "older"]).optional(),
      direction: z.enum(["newer", "older"]).optional(),
    })
    .refine((c) => c.isOlderOrNewer === undefined || c.direction === undefined || c.isOlderOrNewer === c.direction, {
      message: "`isOlderOrNewer` and `direction` disagree",
    }),
});

const RULES = [
  Visibility,
  z.strictObject({ type: z.literal("customWhere"), ...Audience, config: CustomWhereConfigSchema }),
  z.strictObject({ type: z.literal("showRowsNever"), ...Audience, config: NeverConfigSchema.optional() }),
  Time,
  z.strictObject({ type: z.literal("minimization"), ...Audience, config: MinimizationConfigSchema }),
  Prerequisite,
] as const;

export const V1_ROW_RULE_NAMES = ["visibility", "customWhere", "showRowsNever", "time", "minimization", "prerequisite", "rowOrObjectRestriction"] as const;

/**
 * A v1 row rule. `rowOrObjectRestriction` (the handler policy type) is accepted as a
 * rule type too: with `config.predicate` it is a custom WHERE, otherwise a visibility rule.
 */
export const V1RowRuleSchema = z.preprocess(
  (raw) => {
    if (!raw || typeof raw !== "object" || (raw as { type?: unknown }).type !== "rowOrObjectRestriction") return raw;
    const config = (raw as { config?: { predicate?: unknown } }).config;
    return { ...(raw as object), type: config && typeof config === "object" && "predicate" in config ? "customWhere" : "visibility" };
  },
  z.discriminatedUnion("type", RULES, { error: unknownTypeError("row rule type", V1_ROW_RULE_NAMES) }),
);
export type V1RowRule = z.infer<typeof V1RowRuleSchema>;
