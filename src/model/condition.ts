import { z } from "zod";
import { unknownTypeError } from "./common.js";

/** V2 policy-as-code audience: `exceptions:` / `inclusions:` / subscription `entitlements:`. */
export const V2ConditionSchema = z
  .strictObject({
    operator: z.enum(["any", "all"]).optional(),
    groups: z.array(z.string()).optional(),
    attributes: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
    purposes: z.array(z.string()).optional(),
    advanced: z.string().min(1).optional(),
  })
  .refine((c) => (c.groups?.length ?? 0) + (c.attributes?.length ?? 0) + (c.purposes?.length ?? 0) > 0 || c.advanced !== undefined, {
    message: "a condition needs at least one group, attribute, purpose or advanced expression",
  });
export type V2Condition = z.infer<typeof V2ConditionSchema>;

const V1GroupCondition = z.strictObject({
  type: z.literal("groups"),
  group: z.strictObject({ name: z.string(), id: z.union([z.number(), z.string()]).optional(), iam: z.string().optional() }),
  field: z.string().optional(),
});
const V1AuthorizationCondition = z.strictObject({
  type: z.literal("authorizations"),
  authorization: z.strictObject({ auth: z.string(), value: z.string(), iam: z.string().optional() }),
  field: z.string().optional(),
});
const V1PurposeCondition = z.strictObject({
  type: z.literal("purposes"),
  value: z.string(),
  field: z.string().optional(),
});

/** One v1 condition: group membership, attribute (authorization) or purpose. */
export const V1ConditionItemSchema = z.discriminatedUnion("type", [V1GroupCondition, V1AuthorizationCondition, V1PurposeCondition], {
  error: unknownTypeError("condition type", ["groups", "authorizations", "purposes"]),
});
export type V1ConditionItem = z.infer<typeof V1ConditionItemSchema>;

/** v1 `exceptions` / `inclusions`: `{operator: or|and, conditions: [...]}`. */
export const V1ConditionSchema = z.strictObject({
  operator: z.enum(["or", "and"]).optional(),
  conditions: z.array(V1ConditionItemSchema).min(1),
});
export type V1Condition = z.infer<typeof V1ConditionSchema>;
