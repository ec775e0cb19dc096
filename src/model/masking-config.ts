import { z } from "zod";
import { RegexSourceSchema } from "./common.js";

/** Immuta's v1 masking types (`maskingConfig.type`). */
export const V1_MASK_TYPES = [
  "Consistent Value",
  "Reversible",
  "Grouping",
  "Regular Expression",
  "Format Preserving Masking",
  "K-Anonymization",
  "Randomized Response",
  "Custom Function",
] as const;
export type V1MaskType = (typeof V1_MASK_TYPES)[number];

const TIME_PRECISIONS = ["HOUR", "DAY", "MONTH", "QUARTER", "YEAR"] as const;

/**
 * Every metadata key any mask type takes. Required keys per type are checked in
 * `checkMaskMetadata`, so a missing `regex` names the type that needs it.
 */
const MetadataShape = {
  constant: z.string().nullable().optional(),
  regex: RegexSourceSchema.optional(),
  replacement: z.string().optional(),
  caseInsensitive: z.boolean().optional(),
  global: z.boolean().optional(),
  bucketSize: z.number().positive().optional(),
  timePrecision: z.enum(TIME_PRECISIONS).optional(),
  sqlFunction: z.string().min(1).optional(),
  groupSize: z.number().int().positive().optional(),
  replacementRate: z.number().min(0).max(1).optional(),
  // Format Preserving Masking, as Immuta's v1 swagger documents it (definitions/Model123).
  radix: z.number().int().min(2).max(65536).optional(),
  alphabets: z
    .array(
      z.strictObject({
        minChar: z.number().int().min(0).max(0x10ffff),
        maxChar: z.number().int().min(0).max(0x10ffff),
        radix: z.number().int().positive().optional(),
      }),
    )
    .min(1)
    .optional(),
  salt: z.string().optional(),
  padToLength: z.number().int().min(0).optional(),
  ignoreNonAlphabet: z.boolean().optional(),
  prefix: z.number().int().min(0).optional(),
  checksum: z.enum(["LUHN", "INSEE"]).optional(),
  // Randomized Response, same source.
  kind: z.enum(["plain", "numeric", "categorical"]).optional(),
  low: z.number().optional(),
  high: z.number().optional(),
  stddev: z.number().min(0).optional(),
  domain: z.array(z.union([z.string(), z.number()])).optional(),
  allowNull: z.boolean().optional(),
} as const;

/** Keys each mask type accepts, in the order they are rendered (canonical across v1 and V2). */
export const METADATA_KEYS: Readonly<Record<V1MaskType, readonly (keyof typeof MetadataShape)[]>> = {
  "Consistent Value": ["constant"],
  Reversible: [],
  Grouping: ["bucketSize", "timePrecision"],
  "Regular Expression": ["regex", "replacement", "caseInsensitive", "global"],
  "Format Preserving Masking": ["radix", "alphabets", "salt", "padToLength", "ignoreNonAlphabet", "prefix", "checksum"],
  "K-Anonymization": ["groupSize"],
  "Randomized Response": ["kind", "replacementRate", "low", "high", "stddev", "domain", "allowNull"],
  "Custom Function": ["sqlFunction"],
};

const REQUIRED: Partial<Record<V1MaskType, readonly (keyof typeof MetadataShape)[]>> = {
  "Regular Expression": ["regex", "replacement"],
  "Custom Function": ["sqlFunction"],
};

/** Mask metadata: all known keys, none other. */
export const MaskMetadataSchema = z.strictObject(MetadataShape);
export type MaskMetadata = z.infer<typeof MaskMetadataSchema>;

/** Adds issues for keys a type does not take and required keys it lacks. */
export function checkMaskMetadata(type: V1MaskType, metadata: Record<string, unknown>, ctx: z.RefinementCtx, base: (string | number)[]): void {
  const allowed = METADATA_KEYS[type];
  for (const key of Object.keys(metadata)) {
    if (metadata[key] !== undefined && !allowed.includes(key as keyof typeof MetadataShape)) {
      ctx.addIssue({
        code: "custom",
        path: [...base, key],
        message: `\`${key}\` does not apply to masking type \`${type}\`${allowed.length ? `; it takes: ${allowed.join(", ")}` : ""}`,
      });
    }
  }
  for (const key of REQUIRED[type] ?? []) {
    if (metadata[key] === undefined) ctx.addIssue({ code: "custom", path: [...base, key], message: `masking type \`${type}\` requires \`${key}\`` });
  }
  if (type === "Grouping" && metadata["bucketSize"] === undefined && metadata["timePrecision"] === undefined) {
    ctx.addIssue({ code: "custom", path: base, message: "masking type `Grouping` requires `bucketSize` (numbers) or `timePrecision` (times)" });
  }
}

/** v1 `maskingConfig`: `{type, metadata}`. */
export const V1MaskingConfigSchema = z
  .strictObject({
    type: z.enum(V1_MASK_TYPES, { error: (i) => `unknown masking type \`${String(i.input)}\`; accepted: ${V1_MASK_TYPES.join(", ")}` }),
    metadata: MaskMetadataSchema.optional(),
  })
  .superRefine((c, ctx) => checkMaskMetadata(c.type, c.metadata ?? {}, ctx, ["metadata"]));
export type V1MaskingConfig = z.infer<typeof V1MaskingConfigSchema>;

/**
 * V2 mask names → v1 type plus a fixed `constant` for the three Consistent Value
 * variants. Matched case-insensitively; v1 names are accepted too.
 */
export const V2_MASK_TYPES: Readonly<Record<string, { type: V1MaskType; constant?: null }>> = {
  hash: { type: "Consistent Value" },
  hashing: { type: "Consistent Value" },
  null: { type: "Consistent Value", constant: null },
  nullify: { type: "Consistent Value", constant: null },
  constant: { type: "Consistent Value" },
  "consistent value": { type: "Consistent Value" },
  reversible: { type: "Reversible" },
  rounding: { type: "Grouping" },
  grouping: { type: "Grouping" },
  regex: { type: "Regular Expression" },
  "regular expression": { type: "Regular Expression" },
  "format preserving masking": { type: "Format Preserving Masking" },
  "k-anonymization": { type: "K-Anonymization" },
  "randomized response": { type: "Randomized Response" },
  "custom function": { type: "Custom Function" },
};
/** The v1 type a V2 mask name stands for (case-insensitive); own keys only, so `constructor` is an unknown name. */
export function v2MaskType(name: string): { type: V1MaskType; constant?: null } | undefined {
  const lower = name.toLowerCase();
  return Object.hasOwn(V2_MASK_TYPES, lower) ? V2_MASK_TYPES[lower] : undefined;
}

const V2_NAMES = [
  "Hash",
  "Null",
  "Constant",
  "Reversible",
  "Rounding",
  "Regex",
  "Format Preserving Masking",
  "K-Anonymization",
  "Randomized Response",
  "Custom Function",
];

/** V2 `maskingConfig`: the type name plus its metadata inline (`{type: Constant, constant: X}`). */
export const V2MaskingConfigSchema = z.strictObject({ type: z.string(), ...MetadataShape, metadata: MaskMetadataSchema.optional() }).superRefine((c, ctx) => {
  const mapped = v2MaskType(c.type);
  if (!mapped) {
    ctx.addIssue({ code: "custom", path: ["type"], message: `unknown masking type \`${c.type}\`; accepted: ${V2_NAMES.join(", ")}` });
    return;
  }
  const { type: _t, metadata, ...inline } = c;
  const merged = { ...(metadata ?? {}), ...inline };
  if (c.type.toLowerCase() === "constant" && typeof merged.constant !== "string") {
    ctx.addIssue({ code: "custom", path: ["constant"], message: "masking type `Constant` requires a string `constant`" });
  }
  checkMaskMetadata(mapped.type, merged, ctx, []);
});
export type V2MaskingConfig = z.infer<typeof V2MaskingConfigSchema>;
