import { parseBundle } from "../../../src/model/bundle.js";
import { lint, type Finding, type FindingCode, type LintReport } from "../../../src/lint/index.js";

/** Lints a bundle object; throws with its issues when it does not parse (tests build valid bundles). */
export function lintOf(obj: unknown): LintReport {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(b.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  return lint(b.value);
}

/** The findings of one code. */
export const only = (r: LintReport, code: FindingCode): Finding[] => r.findings.filter((f) => f.code === code);

/** A V2 masking rule on one column tag. */
export function mask(tag: string, maskingConfig: Record<string, unknown> = { type: "Hash" }, audience: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "Masking", ...audience, config: { fields: [{ type: "columnTags", columnTag: tag }], maskingConfig } };
}

/** A V2 global data policy. */
export function policy(id: number, name: string, rules: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name, type: "data", createdAt: `2023-01-${String(id).padStart(2, "0")}T00:00:00.000Z`, actions: [{ rules }], ...extra };
}

export interface ColumnSpec {
  name: string;
  dataType?: string;
  tags?: string[];
}

/** A data source with text columns unless a type is given. */
export function source(id: number, name: string, columns: ColumnSpec[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name, columns: columns.map((c) => ({ dataType: "text", ...c })), ...extra };
}
