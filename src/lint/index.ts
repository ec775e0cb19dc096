/**
 * `lint(bundle)`: what a bundle's policies do that their authors probably did not mean.
 * Every check reads the same bound plans the engine evaluates with, so a finding is
 * about what Veil (and Immuta) will actually do. Pure and deterministic: findings are
 * sorted by severity, then path, then code and message.
 */
import type { Bundle } from "../model/bundle.js";
import { isBundle } from "../engine/engine.js";
import { VeilError } from "../errors.js";
import { absentTags } from "./absent-tags.js";
import { unknownAudienceMembers } from "./audience-names.js";
import { columnConflicts, stagedConflicts } from "./conflicts.js";
import { lintContext } from "./context.js";
import { typeFallbacks } from "./fallbacks.js";
import { SEVERITIES, type Finding, type LintReport } from "./finding.js";
import { reach } from "./reach.js";
import { unreachableRules } from "./unreachable-rules.js";

function comparePaths(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    // Keys before indices when both appear at one depth (never in practice: a depth is one or the other).
    if (typeof x !== typeof y) return typeof x === "string" ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || comparePaths(a.path, b.path) || byText(a.code, b.code) || byText(a.message, b.message)
  );
}

/**
 * Lints a bundle from `parseBundle` (or a loader). Findings are data; anything that is not
 * such a bundle is refused with a `VeilError` (code `invalid_input`), never read half-way.
 */
export function lint(bundle: Bundle): LintReport {
  if (!isBundle(bundle)) throw new VeilError([{ code: "invalid_input", path: ["bundle"], message: "expected a bundle returned by parseBundle (or a loader)" }]);
  const ctx = lintContext(bundle);
  const findings = [
    ...absentTags(ctx),
    ...reach(ctx),
    ...unreachableRules(ctx),
    ...unknownAudienceMembers(ctx),
    ...stagedConflicts(ctx),
    ...typeFallbacks(ctx),
    ...columnConflicts(ctx),
  ].sort(compareFindings);
  const count = (s: Finding["severity"]) => findings.filter((f) => f.severity === s).length;
  return { findings, summary: { errors: count("error"), warnings: count("warning"), infos: count("info") } };
}

export { formatLint } from "./format.js";
export { FINDING_CODES, SEVERITY_OF, LintReportSchema, FindingSchema } from "./finding.js";
export type { Finding, FindingCode, LintReport, Severity } from "./finding.js";
