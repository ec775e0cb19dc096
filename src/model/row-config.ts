import { z } from "zod";
import { TagSchema } from "./tag.js";

/**
 * Row rule configs, shared by V2 rules and v1 actions. Shapes follow real exports
 * where they exist (custom where, user entitlements) and bundle-and-cli.md elsewhere.
 */
// Keys in the order real V2 exports write them (column, invert, predicate, values):
// zod emits shape order, and the rendered config is hashed.
export const CustomWhereConfigSchema = z.strictObject({
  // The builder form ("value in column tagged X is in list") keeps its inputs beside the generated predicate.
  column: z.strictObject({ name: z.string(), type: z.enum(["tag", "column"]) }).optional(),
  invert: z.boolean().optional(),
  predicate: z.string().min(1),
  values: z.string().optional(),
});

export const EntitlementMatchSchema = z.strictObject({
  type: z.enum(["group", "attribute", "purpose"]),
  attribute: z.string().optional(),
  tag: TagSchema,
});

export const EntitlementsConfigSchema = z.strictObject({
  matches: z.array(EntitlementMatchSchema).min(1),
  operator: z.enum(["any", "all"]).optional(),
});

export const TimeConfigSchema = z.strictObject({
  time: z.number().int().positive(),
  direction: z.enum(["newer", "older"]).optional(),
});

export const MinimizationConfigSchema = z.strictObject({ percent: z.number().gt(0).max(100) });

export const PurposeConfigSchema = z.strictObject({ purposes: z.array(z.string()).min(1) });

export const NeverConfigSchema = z.strictObject({});
