import { z } from "zod";
import { IsoDateSchema, parseRules } from "./common.js";
import { V1ConditionSchema } from "./condition.js";
import { ACCEPTED_DATA_TYPES, columnTypeOf } from "./data-type.js";
import { V1MaskingConfigSchema } from "./masking-config.js";
import { V1RowRuleSchema, V1_ROW_ACTION_TYPES, type V1RowRule } from "./policy-v1.js";
import { ACCEPTED_BLOB_HANDLERS, dialectOfBlobHandler } from "../sql/blob-handler.js";
import { TagSchema } from "./tag.js";
import { plainRecord } from "./record.js";

/** A dictionary column. */
export const ColumnSchema = z.strictObject({
  name: z.string().min(1),
  dataType: z.string().refine((t) => columnTypeOf(t) !== undefined, {
    error: (i) => `unknown data type \`${String(i.input)}\`; accepted (case-insensitive, parameters allowed): ${ACCEPTED_DATA_TYPES.join(", ")}`,
  }),
  remoteType: z.string().optional(),
  nullable: z.boolean().optional(),
  description: z.string().nullable().optional(),
  tags: z.array(TagSchema).optional(),
});
export type Column = z.infer<typeof ColumnSchema>;

/** A local masking rule: `fields` are column names. */
const LocalMaskingRuleSchema = z.strictObject({
  type: z.literal("masking"),
  exceptions: V1ConditionSchema.nullable().optional(),
  inclusions: V1ConditionSchema.nullable().optional(),
  config: z.strictObject({
    fields: z.array(z.string().min(1)).min(1),
    maskingConfig: V1MaskingConfigSchema,
    conditionalPredicate: z.string().min(1).nullable().optional(),
  }),
});
export type LocalMaskingRule = z.infer<typeof LocalMaskingRuleSchema>;

const LOCAL_TYPES = ["masking", ...V1_ROW_ACTION_TYPES] as const;

/** One item of the handler's `jsonPolicies` (a local policy). */
export const JsonPolicySchema = z
  .strictObject({
    type: z.enum(LOCAL_TYPES, { error: (i) => `unknown policy type \`${String(i.input)}\`; accepted: ${LOCAL_TYPES.join(", ")}` }),
    rules: z.array(z.unknown()).min(1),
    description: z.string().nullable().optional(),
    global: plainRecord(z.unknown()).nullable().optional(),
    policyHash: z.string().optional(),
    immutable: z.boolean().optional(),
    createdBy: z.union([z.string(), z.number()]).nullable().optional(),
    createdAt: IsoDateSchema.optional(),
  })
  .transform((p, ctx) => ({
    ...p,
    rules:
      p.type === "masking"
        ? parseRules<LocalMaskingRule | V1RowRule>(p.rules, LocalMaskingRuleSchema, ctx)
        : parseRules<LocalMaskingRule | V1RowRule>(p.rules, V1RowRuleSchema, ctx),
  }));
export type JsonPolicy = z.infer<typeof JsonPolicySchema>;

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A data source: `GET /dataSource/{id}` fields plus its dictionary and local policies. */
export const DataSourceSchema = z.strictObject({
  id: z.number().int(),
  name: z.string().min(1),
  sqlSchemaName: z.string().min(1).optional(),
  sqlTableName: z.string().min(1).optional(),
  /** Immuta's name for the platform; decides the SQL dialect (absent: PostgreSQL-compatible). */
  blobHandlerType: z
    .string()
    .refine((t) => dialectOfBlobHandler(t) !== undefined, {
      error: (i) => `unknown blobHandlerType \`${String(i.input)}\`; accepted: ${ACCEPTED_BLOB_HANDLERS.join(", ")}`,
    })
    .optional(),
  createdAt: IsoDateSchema.optional(),
  server: z.string().optional(),
  tags: z.array(TagSchema).optional(),
  domainId: z.string().optional(),
  domainName: z.string().optional(),
  columns: z.array(ColumnSchema).min(1),
  eventTime: z.string().optional(),
  highCardinality: z.string().optional(),
  visibilities: z.array(plainRecord(ScalarSchema)).optional(),
  rows: z.array(plainRecord(z.unknown())).optional(),
  policyHandler: z.strictObject({ jsonPolicies: z.array(JsonPolicySchema) }).optional(),
  subscriptionPolicy: plainRecord(z.unknown()).optional(),
  subscriptionType: z.enum(["automatic", "approval", "policy", "manual", "derived", "none"]).optional(),
  globalPolicies: z
    .array(
      z.strictObject({
        id: z.number().int(),
        name: z.string().optional(),
        type: z.string().optional(),
        disabled: z.boolean().optional(),
        reason: z.string().nullable().optional(),
      }),
    )
    .optional(),
});
export type DataSource = z.infer<typeof DataSourceSchema>;
