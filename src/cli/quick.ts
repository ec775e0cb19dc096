/**
 * The two report commands on a plain command line, without commander: `veil policy-info`
 * and `veil visibility-report` run in a server's deploy scripts and CI many times over, so
 * their start-up counts. `quickCli` takes only a command line it reads exactly as the
 * commander program in main.ts does (the command, one bundle, each flag once as
 * `--flag value`, no value that starts with `-` or is empty) and answers as that program's
 * action would; anything else (help, usage errors, `--flag=value`, another command) it
 * leaves to the program, returning undefined: so are the conventions of conventions.ts, as
 * `-` (a bundle on stdin), `--error-format` and `--version` are not flags it knows. The bin loads this module alone first
 * (tsup.config.ts), and main.ts runs it first, so every CLI test exercises it.
 */
import { loadBundleFile } from "../io/load.js";
import { createEngine, formatIssue, type Result, type VeilIssue } from "../index.js";
import type { CliOutput } from "./output.js";

export const usage = (message: string): VeilIssue => ({ code: "invalid_input", path: [], message });

/**
 * A result as the CLI prints it: the value as JSON on stdout, or the issues on stderr.
 * The issues stay beside the text, so main.ts can write them as `--error-format json`.
 */
export function emit(r: Result<unknown>): CliOutput {
  // Exit 2: invalid input or usage; exit 3: a defect in Veil, never to be read as a finding.
  if (!r.ok)
    return {
      stdout: "",
      stderr: r.issues.map(formatIssue).join("\n") + "\n",
      code: r.issues.some((i) => i.code === "internal_error") ? 3 : 2,
      issues: r.issues,
    };
  return { stdout: JSON.stringify(r.value, null, 2) + "\n", stderr: "", code: 0 };
}

/** A defect in Veil: exit 3 with one line, never a stack trace, never mistaken for "changes found". */
export function internalError(e: unknown): CliOutput {
  const message = e instanceof Error ? e.message : String(e);
  return emit({ ok: false, issues: [{ code: "internal_error", path: [], message: `internal error: ${message}` }] });
}

/** Each command's flags (all take a value). */
const FLAGS: Readonly<Record<string, readonly string[]>> = {
  "policy-info": ["--data-source", "--user", "--project", "--now"],
  "visibility-report": ["--data-source", "--user", "--current-user", "--project", "--now"],
};

/** The command line as commander would read it, or undefined when this module does not take it. */
function read(argv: readonly string[]): { command: string; bundle: string; flags: ReadonlyMap<string, string> } | undefined {
  const command = argv[0];
  if (command === undefined || !Object.hasOwn(FLAGS, command)) return undefined;
  const known = FLAGS[command]!;
  let bundle: string | undefined;
  const flags = new Map<string, string>();
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "" || arg.startsWith("-")) {
      const value = argv[i + 1];
      if (!known.includes(arg) || flags.has(arg) || value === undefined || value === "" || value.startsWith("-")) return undefined;
      flags.set(arg, value);
      i++;
    } else if (bundle === undefined) bundle = arg;
    else return undefined;
  }
  if (bundle === undefined || !flags.has("--data-source")) return undefined;
  const project = flags.get("--project");
  if (project !== undefined && !/^\d+$/.test(project)) return undefined;
  return { command, bundle, flags };
}

/** The report for a command line this module takes (see the header), else undefined. */
export function quickCli(argv: readonly string[]): CliOutput | undefined {
  const line = read(argv);
  if (!line) return undefined;
  const { command, bundle: path, flags } = line;
  const dataSource = flags.get("--data-source")!;
  const user = flags.get("--user");
  const currentUser = flags.get("--current-user");
  const project = flags.get("--project");
  const projectId = project === undefined ? null : Number(project);
  const now = flags.get("--now");
  const at = now !== undefined ? { now } : {};
  if (command === "policy-info") {
    if (user === undefined) return undefined;
  } else if ((user === undefined) === (currentUser === undefined) || (currentUser !== undefined && project !== undefined)) return undefined;
  try {
    const bundle = loadBundleFile(path);
    if (!bundle.ok) return emit(bundle);
    const engine = createEngine(bundle.value);
    if (command === "policy-info") return emit(engine.policyInfo({ dataSource, user: user!, projectId, ...at }));
    return emit(
      currentUser !== undefined
        ? engine.currentUserVisibilityReport({ dataSource, user: currentUser, ...at })
        : engine.visibilityReport({ dataSource, user: user!, projectId, ...at }),
    );
  } catch (e) {
    return internalError(e);
  }
}
