import { z } from "zod";

/**
 * How many levels a tag may have (`PII.SSN` has two). Immuta's hierarchies are a few
 * levels deep; binding looks a source's column tags up with all their ancestors, so a
 * tag of 100,000 levels cost seconds per source.
 */
export const MAX_TAG_LEVELS = 64;

/** Whether `tag` has at most `MAX_TAG_LEVELS` levels (counting dots, stopping early). */
function levelsWithinLimit(tag: string): boolean {
  let dots = 0;
  for (let i = tag.indexOf("."); i !== -1; i = tag.indexOf(".", i + 1)) if (++dots >= MAX_TAG_LEVELS) return false;
  return true;
}

/** A tag name: dot-separated levels, parent first. */
export const TagNameSchema = z
  .string()
  .min(1)
  .refine(levelsWithinLimit, { error: `a tag has at most ${MAX_TAG_LEVELS} levels (\`PII.SSN\` has two); this one has more` });

/** Immuta's tag object, as returned in dictionaries and policies. */
export const TagObjectSchema = z.strictObject({
  name: TagNameSchema,
  displayName: z.string().optional(),
  hasLeafNodes: z.boolean().optional(),
  source: z.string().nullable().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  deleted: z.boolean().optional(),
});

/** A tag given as a dotted string (`PII.SSN`) or as a tag object; normalised to its name. */
export const TagSchema = z.union([TagNameSchema, TagObjectSchema]).transform((t) => (typeof t === "string" ? t : t.name));

/** Input form of a tag (before normalisation). */
export type TagInput = z.input<typeof TagSchema>;
