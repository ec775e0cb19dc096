/** The lint report as a table for people: one line per finding, then the counts. */
import { formatPath } from "../errors.js";
import type { LintReport } from "./finding.js";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function formatLint(report: LintReport): string {
  const { errors, warnings, infos } = report.summary;
  const total = `${plural(errors, "error", "errors")}, ${plural(warnings, "warning", "warnings")}, ${plural(infos, "info", "infos")}\n`;
  if (report.findings.length === 0) return `no findings\n${total}`;
  const rows = report.findings.map((f) => [f.severity, f.code, formatPath(f.path), f.message]);
  const header = ["severity", "code", "path", "message"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The message is last and never padded: long messages just run on.
  const line = (r: readonly string[]) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}\n`;
  return [header, ...rows].map(line).join("") + total;
}
