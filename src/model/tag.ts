import { z } from "zod";

/** Immuta's tag object, as returned in dictionaries and policies. */
export const TagObjectSchema = z.strictObject({
  name: z.string().min(1),
  displayName: z.string().optional(),
  hasLeafNodes: z.boolean().optional(),
  source: z.string().nullable().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  deleted: z.boolean().optional(),
});

/** A tag given as a dotted string (`PII.SSN`) or as a tag object; normalised to its name. */
export const TagSchema = z.union([z.string().min(1), TagObjectSchema]).transform((t) => (typeof t === "string" ? t : t.name));

/** Input form of a tag (before normalisation). */
export type TagInput = z.input<typeof TagSchema>;
