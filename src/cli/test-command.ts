import type { Command } from "commander";
import { loadPolicyTests } from "../io/policy-tests.js";
import type { Result } from "../index.js";
import { formatTestReport, runPolicyTests } from "../testing.js";
import { formatOption, helpExample } from "./conventions.js";
import type { CliOutput } from "./output.js";

interface TestFlags {
  format?: "text" | "json";
  quiet?: boolean;
}

/**
 * `veil test <dir|file>`: runs policy test files (docs/policy-tests.md), like `opa test`.
 * One PASS/FAIL line per case, what did not hold and explain's account under a failure;
 * exit 1 when a case fails (a CI gate), 2 when a test file or its bundle is invalid.
 */
export function addTestCommand(program: Command, emit: (r: Result<unknown>) => CliOutput, set: (out: CliOutput) => void, color: boolean): void {
  const command = program
    .command("test")
    .description("run policy test files (*.test.yaml): exit 1 when a case fails")
    .argument("<path>", "a test file, or a folder searched for *.test.yaml, *.test.yml and *.test.json")
    .addOption(formatOption(["text", "json"], "text"))
    .option("--quiet", "list only the failed cases, and the summary")
    .action((path: string, o: TestFlags) => {
      const suites = loadPolicyTests(path);
      if (!suites.ok) return set(emit(suites));
      const report = runPolicyTests(suites.value);
      const code = report.failed > 0 ? 1 : 0;
      const stdout = o.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatTestReport(report, { color, quiet: o.quiet === true });
      set({ stdout, stderr: "", code });
    });
  helpExample(command, "veil test fixtures/policy-tests", {
    0: "every case passed",
    1: "a case failed",
    2: "a test file or its bundle is invalid, or a usage error",
  });
}
