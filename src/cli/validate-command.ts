import type { Command } from "commander";
import type { Bundle, Result } from "../node.js";
import { BUNDLE_ARGUMENT, helpExample } from "./conventions.js";
import type { CliOutput } from "./output.js";

/**
 * `veil validate <bundle>`: the bundle is read and validated exactly as every other
 * command reads it (so it reports the same problems); exit 0 and no output when it is
 * valid, exit 2 with every problem on stderr otherwise.
 */
export function addValidateCommand(
  program: Command,
  load: (path: string) => Result<Bundle>,
  emit: (r: Result<unknown>) => CliOutput,
  set: (out: CliOutput) => void,
): void {
  const command = program
    .command("validate")
    .description("check a bundle: nothing on success, every problem otherwise")
    .argument("<bundle>", BUNDLE_ARGUMENT)
    .action((path: string) => {
      const bundle = load(path);
      set(bundle.ok ? { stdout: "", stderr: "", code: 0 } : emit(bundle));
    });
  helpExample(command, "veil validate policies/ --error-format json", {
    0: "the bundle is valid (nothing is printed)",
    2: "the bundle is invalid, or a usage error",
  });
}
