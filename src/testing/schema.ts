import { z } from "zod";

/**
 * A policy test file (docs/policy-tests.md): a bundle and cases, each a user on a data
 * source and what they must get. Strict: a misspelt key is an error, so a test never
 * passes because it checks nothing.
 */

const Ref = z.union([z.number().int(), z.string().min(1)]);

/** What a user must get on a data source. Each key given is checked; the others are not. */
export const ExpectationSchema = z
  .strictObject({
    /** Column → Immuta actionType (`Hashing`, `Nullify`, …) it must be masked with; `any` for any mask. */
    masked: z.record(z.string().min(1), z.string().min(1)).optional(),
    /** Columns that must be in clear. */
    unmasked: z.array(z.string().min(1)).optional(),
    /** The visible visibilities (policyInfo's `visibilities`), in any order; `[]` for none. */
    visibilities: z.array(z.record(z.string(), z.union([z.string(), z.null()]))).optional(),
    /** Row access: `all` (no restriction), `filtered` (some rows) or `none` (no rows at all). */
    rows: z.enum(["all", "filtered", "none"]).optional(),
    /** Whether a purpose restriction denies the user. */
    denied: z.boolean().optional(),
    /** The whole policyInfo, exactly. */
    policyInfo: z.record(z.string(), z.unknown()).optional(),
    /** The request must fail, with a message that contains this text. */
    error: z.string().min(1).optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), {
    message: "an expectation needs at least one of: masked, unmasked, visibilities, rows, denied, policyInfo, error",
  })
  .refine((e) => e.error === undefined || Object.keys(e).length === 1, { message: "`error` goes alone: a request that fails has no masks or rows to check" });
export type Expectation = z.infer<typeof ExpectationSchema>;

/** One case: who, where, when, and what they must get. */
export const PolicyTestCaseSchema = z.strictObject({
  name: z.string().min(1),
  /** A profile id or a name, or a whole user profile (to try an entitlement the bundle has no user for). */
  user: z.union([Ref, z.record(z.string(), z.unknown())]),
  dataSource: Ref,
  projectId: z.number().int().nullable().optional(),
  now: z.string().optional(),
  expect: ExpectationSchema,
});
export type PolicyTestCase = z.infer<typeof PolicyTestCaseSchema>;

export const PolicyTestFileSchema = z.strictObject({
  description: z.string().optional(),
  /** The bundle: a path (file or folder, relative to this test file), or the bundle itself. */
  bundle: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  /** The instant for every case that does not give its own. */
  now: z.string().optional(),
  cases: z.array(PolicyTestCaseSchema).min(1),
});
export type PolicyTestFile = z.infer<typeof PolicyTestFileSchema>;
