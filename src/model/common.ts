import { z } from "zod";

/** A regular expression source that must compile (checked at load, not per user). */
export const RegexSourceSchema = z.string().superRefine((src, ctx) => {
  try {
    new RegExp(src);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: `invalid regex \`${src}\`: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}` });
  }
});

/** An ISO-8601 instant or date. */
export const IsoDateSchema = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: "expected an ISO-8601 date or instant" });

/**
 * Lifecycle fields Immuta's API returns on every global policy, v1 or V2
 * (bundle-and-cli.md): known keys in both forms.
 */
export const PolicyLifecycleShape = {
  id: z.number().int().nullable().optional(),
  createdAt: IsoDateSchema.optional(),
  updatedAt: IsoDateSchema.optional(),
  createdBy: z.union([z.string(), z.number()]).nullable().optional(),
  createdByName: z.string().nullable().optional(),
  staged: z.boolean().optional(),
  deleted: z.boolean().optional(),
  template: z.boolean().optional(),
  policyKey: z.string().optional(),
  certification: z
    .strictObject({
      text: z.string().optional(),
      label: z.string().optional(),
      tags: z.array(z.string()).optional(),
      recertify: z.boolean().optional(),
    })
    .nullable()
    .optional(),
  ownerRestrictions: z
    .strictObject({ users: z.array(z.union([z.number(), z.string()])).optional(), groups: z.array(z.union([z.number(), z.string()])).optional() })
    .nullable()
    .optional(),
  systemGenerated: z.boolean().optional(),
  clonedFrom: z.number().int().nullable().optional(),
  description: z.string().nullable().optional(),
} as const;

/** A domain named by id or by name (real exports use both). */
export const DomainRefSchema = z
  .strictObject({ id: z.string().min(1).optional(), name: z.string().min(1).optional() })
  .refine((d) => d.id !== undefined || d.name !== undefined, { message: "a domain needs an `id` or a `name`" });
