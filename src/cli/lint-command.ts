import type { Command } from "commander";
import { formatLint, lint, type Bundle, type Result } from "../node.js";
import { BUNDLE_ARGUMENT, formatOption, helpExample } from "./conventions.js";
import type { CliOutput } from "./output.js";

const FORMATS = ["table", "json"] as const;

/**
 * `veil lint <bundle>`: findings about what the policies do (docs/lint.md), as a table
 * or as JSON. Exit 1 when any finding is an error, so CI can gate on it; 0 otherwise
 * (warnings and infos are printed, not gated on); 2 for a bundle that does not load.
 */
export function addLintCommand(
  program: Command,
  load: (path: string) => Result<Bundle>,
  emit: (r: Result<unknown>) => CliOutput,
  set: (out: CliOutput) => void,
): void {
  const command = program
    .command("lint")
    .description("findings about a bundle's policies: conflicts, dead selectors, unreachable rules, fallbacks (exit 1 on an error finding)")
    .argument("<bundle>", BUNDLE_ARGUMENT)
    .addOption(formatOption(FORMATS, "table"))
    .action((path: string, o: { format?: (typeof FORMATS)[number] }) => {
      const bundle = load(path);
      if (!bundle.ok) return set(emit(bundle));
      const report = lint(bundle.value);
      const stdout = o.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatLint(report);
      set({ stdout, stderr: "", code: report.summary.errors > 0 ? 1 : 0 });
    });
  helpExample(command, "veil lint policies/ --format json", { 0: "no error finding (warnings and infos may be printed)", 1: "some finding is an error" });
}
