import { z } from "zod";
import { plainRecord } from "./record.js";

/** A user profile: groups by name, attributes as name → unique values. */
export const UserSchema = z.strictObject({
  profileId: z.number().int(),
  name: z.string().min(1),
  email: z.string().optional(),
  iamid: z.string().optional(),
  userid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  authorizations: plainRecord(z.array(z.string())).optional(),
  currentProject: z.number().int().nullable().optional(),
});
export type User = z.infer<typeof UserSchema>;

/** A project: its purposes are active while it is the user's current project. */
export const ProjectSchema = z.strictObject({
  id: z.number().int(),
  name: z.string().min(1),
  purposes: z.array(z.string()).optional(),
  dataSources: z.array(z.number().int()).optional(),
  allowMaskedJoins: z.boolean().optional(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const PurposeSchema = z.strictObject({ name: z.string().min(1), description: z.string().optional() });

/** A subscription record. */
export const AccessSchema = z.strictObject({
  dataSourceId: z.number().int(),
  profileId: z.number().int(),
  state: z.enum(["owner", "subscribed", "expert", "ingest", "pending", "denied", "not_subscribed"]),
  expiration: z.string().nullable().optional(),
});
