import type { PolicyTestReport } from "./run.js";

/** How `veil test` writes its report for people. */
export interface ReportStyle {
  /** ANSI colours for PASS and FAIL. */
  readonly color?: boolean;
  /** Only the failed cases and the summary. */
  readonly quiet?: boolean;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
const indent = (text: string, by: string) =>
  text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");

/**
 * The report as text, one line per case under its file (`PASS name` / `FAIL name`); a
 * failed case lists what did not hold, then explain's account of the decision. The last
 * line counts the cases.
 */
export function formatTestReport(report: PolicyTestReport, style: ReportStyle = {}): string {
  const color = style.color === true;
  const out: string[] = [];
  for (const f of report.files) {
    const shown = style.quiet ? f.cases.filter((c) => !c.passed) : f.cases;
    if (shown.length === 0) continue;
    out.push(f.file);
    for (const c of shown) {
      out.push(`  ${c.passed ? paint(color, 32, "PASS") : paint(color, 31, "FAIL")}  ${c.name}`);
      for (const x of c.failures) out.push(indent(x.message, "        "));
      if (c.explanation !== undefined) out.push("        explain:", indent(c.explanation, "          "));
    }
  }
  const total = report.passed + report.failed;
  out.push(`${report.passed} of ${total} ${total === 1 ? "case" : "cases"} passed${report.failed > 0 ? `, ${report.failed} failed` : ""}`);
  return `${out.join("\n")}\n`;
}
