import { z } from "zod";
import { parseInstant } from "../lang/instant.js";
import { regexProblem } from "../lang/regex.js";

/**
 * A regular expression source that must compile, as JavaScript and for RE2, the
 * linear-time engine Veil matches with (checked at load, not per user).
 */
export const RegexSourceSchema = z.string().superRefine((src, ctx) => {
  const reason = regexProblem(src);
  if (reason !== undefined) ctx.addIssue({ code: "custom", message: `invalid regex \`${src}\`: ${reason}`, params: { veilCode: "invalid_regex" } });
});

/**
 * Error for a discriminated union whose `type` matches no branch: names the value
 * given and the accepted ones.
 */
export function unknownTypeError(what: string, accepted: readonly string[]) {
  return (iss: { code?: string; input?: unknown }): string | undefined => {
    if (iss.code !== "invalid_union") return undefined;
    const given = iss.input && typeof iss.input === "object" ? (iss.input as { type?: unknown }).type : undefined;
    const head = given === undefined ? `missing ${what} \`type\`` : `unknown ${what} \`${typeof given === "string" ? given : JSON.stringify(given)}\``;
    return `${head}; accepted: ${accepted.join(", ")}`;
  };
}

/** An ISO-8601 instant with `Z` or an offset, read by `parseInstant` (its message is the issue's). */
export const IsoDateSchema = z.string().superRefine((s, ctx) => {
  const r = parseInstant(s);
  if (!r.ok) for (const i of r.issues) ctx.addIssue({ code: "custom", message: i.message });
});

/**
 * Lifecycle fields Immuta's API returns on every global policy, v1 or V2
 * (bundle-and-cli.md): known keys in both forms.
 */
/**
 * V2 `ownerRestrictions`: the policy applies only to data sources owned by one of these
 * users or groups [doc]. Users are profile ids, names, or `{iamid, username}` as in
 * Immuta's example; groups are names (or ids).
 */
export const OwnerRestrictionsSchema = z.strictObject({
  users: z
    .array(
      z.union([
        z.number().int(),
        z.string().min(1),
        z.strictObject({ iamid: z.string().optional(), username: z.string().optional(), id: z.number().int().optional(), name: z.string().optional() }),
      ]),
    )
    .optional(),
  groups: z.array(z.union([z.number().int(), z.string().min(1), z.strictObject({ id: z.number().int().optional(), name: z.string().optional() })])).optional(),
});
export type OwnerRestrictions = z.infer<typeof OwnerRestrictionsSchema>;

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
  ownerRestrictions: OwnerRestrictionsSchema.nullable().optional(),
  systemGenerated: z.boolean().optional(),
  clonedFrom: z.number().int().nullable().optional(),
  description: z.string().nullable().optional(),
} as const;

/** A domain named by id or by name (real exports use both). */
export const DomainRefSchema = z
  .strictObject({ id: z.string().min(1).optional(), name: z.string().min(1).optional() })
  .refine((d) => d.id !== undefined || d.name !== undefined, { message: "a domain needs an `id` or a `name`" });

/** Issues `parseRules` reports before it stops checking a list (each costs zod an error object). */
const MAX_RULE_ISSUES = 1000;

/**
 * Validates each item of a list with the schema its container picks (a v1 action's
 * `type` decides its rules' shape), re-homing issues under `rules[i]`. Past
 * `MAX_RULE_ISSUES` issues the rest is not checked: 300,000 bad rules took seconds.
 */
export function parseRules<T>(rules: readonly unknown[], schema: z.ZodType<T>, ctx: z.RefinementCtx): T[] {
  const out: T[] = [];
  let reported = 0;
  for (const [i, r] of rules.entries()) {
    if (reported >= MAX_RULE_ISSUES) {
      ctx.addIssue({ code: "custom", path: ["rules", i], message: `rules from here on were not checked (over ${MAX_RULE_ISSUES} problems before them)` });
      break;
    }
    const parsed = schema.safeParse(r);
    if (!parsed.success)
      for (const iss of parsed.error.issues) {
        ctx.addIssue({ ...iss, path: ["rules", i, ...iss.path] } as never);
        reported++;
      }
    out.push(parsed.data as T);
  }
  return out;
}
