import { InvalidArgumentError, type Command } from "commander";
import { createEngine, explainDecisions, formatExplanation, type Bundle, type Result } from "../node.js";
import { BUNDLE_ARGUMENT, formatOption, helpExample } from "./conventions.js";
import type { CliOutput } from "./output.js";

const FORMATS = ["table", "json"] as const;

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`expected an integer, got \`${value}\``);
  return Number(value);
}

interface ExplainFlags {
  dataSource: string;
  user: string;
  project?: number;
  now?: string;
  format?: (typeof FORMATS)[number];
}

/**
 * `veil explain <bundle> --data-source … --user …`: why the user sees what they see of
 * the source (docs/explain.md). A table for humans by default (the spec's default for
 * explain), `--format json` for the Explanation itself.
 */
export function addExplainCommand(
  program: Command,
  load: (path: string) => Result<Bundle>,
  emit: (r: Result<unknown>) => CliOutput,
  set: (out: CliOutput) => void,
  color = false,
): void {
  const command = program
    .command("explain")
    .description(
      "why a user sees what they see of a data source: each column's mask and the policy, rule, tag and condition behind it; each row policy's effect",
    )
    .argument("<bundle>", BUNDLE_ARGUMENT)
    .requiredOption("--data-source <id|name>", "data source id or name")
    .requiredOption("--user <profileId|name>", "user profile id or name")
    .option("--project <id>", "evaluate under this project's purposes", integer)
    .option("--now <iso>", "the instant to evaluate at")
    .addOption(formatOption(FORMATS, "table"))
    .action((path: string, o: ExplainFlags) => {
      const bundle = load(path);
      if (!bundle.ok) return set(emit(bundle));
      const d = createEngine(bundle.value).decide({
        dataSource: o.dataSource,
        user: o.user,
        projectId: o.project ?? null,
        ...(o.now !== undefined ? { now: o.now } : {}),
      });
      if (!d.ok) return set(emit(d));
      const e = explainDecisions(d.value);
      set(o.format === "json" ? emit({ ok: true, value: e }) : { stdout: formatExplanation(e, { color }), stderr: "", code: 0 });
    });
  helpExample(command, 'veil explain bundle.yaml --data-source "Web Sales" --user 2', {});
}
