import { z } from "zod";
import { UserSchema } from "./user.js";

/**
 * A user given with a request instead of by reference to the bundle: a server gets its
 * users from an identity provider. The bundle's user schema, with `profileId` and `name`
 * optional (a profile without them is nobody's in particular).
 */
export const UserProfileSchema = UserSchema.extend({
  profileId: z.number().int().optional(),
  name: z.string().min(1).optional(),
});
export type UserProfile = z.infer<typeof UserProfileSchema>;

const RefSchema = z.union([z.number().int(), z.string().min(1)]);

/** What to evaluate: a data source by id or name, a user by id, name or `userid`, or a profile. */
export const EvaluationRequestSchema = z.strictObject({
  dataSource: RefSchema,
  user: z.union([z.number().int(), z.string().min(1), UserProfileSchema]),
  projectId: z.number().int().nullable().optional(),
  now: z.string().optional(),
});
export type EvaluationRequestInput = z.input<typeof EvaluationRequestSchema>;
