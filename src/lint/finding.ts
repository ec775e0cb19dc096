/**
 * What lint reports: findings, each with a stable code, a severity, the JSON path of
 * what it is about and a message; a report sums them by severity. Plain JSON data.
 */
import { z } from "zod";

/** Every finding code lint emits (docs/lint.md describes each one). */
export const FINDING_CODES = [
  "column-tagged-absent",
  "entitlement-column-absent",
  "policy-reaches-nothing",
  "dead-selector",
  "unreachable-rule",
  "unknown-audience-member",
  "staged-conflict",
  "type-fallback",
  "column-conflict",
] as const;

export const SEVERITIES = ["error", "warning", "info"] as const;

const PathSchema = z.array(z.union([z.string(), z.number()]));

export const FindingSchema = z.strictObject({
  code: z.enum(FINDING_CODES),
  severity: z.enum(SEVERITIES),
  /** Where in the bundle (after loading: a folder's documents merged), e.g. `["globalPolicies", 3, "actions", 0, "rules", 1]`. */
  path: PathSchema,
  message: z.string(),
  policy: z.strictObject({ id: z.number().nullable(), name: z.string() }).optional(),
  dataSource: z.strictObject({ id: z.number(), name: z.string() }).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
export type FindingCode = Finding["code"];
export type Severity = Finding["severity"];

export const LintReportSchema = z.strictObject({
  findings: z.array(FindingSchema),
  summary: z.strictObject({ errors: z.number(), warnings: z.number(), infos: z.number() }),
});
export type LintReport = z.infer<typeof LintReportSchema>;

/** The severity of each code, fixed: a code never changes severity with the bundle (docs/lint.md says why each is what it is). */
export const SEVERITY_OF: Readonly<Record<FindingCode, Severity>> = {
  // The author's policy silently does not apply where it was meant to: data it was written to protect shows.
  "column-tagged-absent": "error",
  "entitlement-column-absent": "error",
  // Dead weight or a typo; nothing is revealed by it that the author did not already leave open.
  "policy-reaches-nothing": "warning",
  "dead-selector": "warning",
  "unreachable-rule": "warning",
  "unknown-audience-member": "warning",
  "staged-conflict": "warning",
  // Binding hides more than authored (Nullify): never a leak, but not what the author wrote.
  "type-fallback": "warning",
  // Documented, deterministic resolution: worth knowing who wins, not worth failing on.
  "column-conflict": "info",
};
