#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { loadBundleFile } from "../io/load.js";
import { createEngine, fail, formatIssue } from "../node.js";
import type { CliOutput } from "./output.js";
import { addBulkCommands } from "./bulk-commands.js";
import { emit, internalError, quickCli, usage } from "./quick.js";

export type { CliOutput } from "./output.js";

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`expected an integer, got \`${value}\``);
  return Number(value);
}

/** Runs the CLI on an argument vector (without `node` and the script). Pure apart from reading the bundle. */
export function runCli(argv: readonly string[]): CliOutput {
  const r = run(argv);
  if (r instanceof Promise) return { stdout: "", stderr: formatIssue(usage("matrix and diff run on worker threads: call runCliAsync")) + "\n", code: 2 };
  return r;
}

/**
 * Runs any command, `matrix` and `diff` included (they are asynchronous). Bulk output
 * comes as `chunks`; with `{ stream: true }` they are left for the caller to write one by
 * one (the process does), otherwise they are joined into `stdout`.
 */
export async function runCliAsync(argv: readonly string[], options: { stream?: boolean } = {}): Promise<CliOutput> {
  const r = await run(argv);
  if (options.stream || !r.chunks) return r;
  let stdout = r.stdout;
  for (const c of r.chunks) stdout += c;
  return { stdout, stderr: r.stderr, code: r.code };
}

function run(argv: readonly string[]): CliOutput | Promise<CliOutput> {
  // A plain report command line is answered without building the commander program (quick.ts).
  const quick = quickCli(argv);
  if (quick) return quick;
  let out: CliOutput | Promise<CliOutput> = { stdout: "", stderr: "", code: 0 };
  const append = (key: "stdout" | "stderr", s: string) => {
    if (!(out instanceof Promise)) out = { ...out, [key]: out[key] + s };
  };
  const program = new Command("veil")
    .description("Evaluate Immuta data policies offline")
    .exitOverride()
    .configureOutput({ writeOut: (s) => append("stdout", s), writeErr: (s) => append("stderr", s) });

  program
    .command("policy-info")
    .description("print Immuta's policyInfo JSON for a user on a data source")
    .argument("<bundle>", "bundle file (JSON or YAML) or folder")
    .requiredOption("--data-source <id|name>", "data source id or name")
    .requiredOption("--user <profileId|name>", "user profile id or name")
    .option("--project <id>", "evaluate under this project's purposes", integer)
    .option("--now <iso>", "the instant to evaluate at")
    .action((bundlePath: string, opts: { dataSource: string; user: string; project?: number; now?: string }) => {
      const bundle = loadBundleFile(bundlePath);
      if (!bundle.ok) return void (out = emit(bundle));
      out = emit(
        createEngine(bundle.value).policyInfo({
          dataSource: opts.dataSource,
          user: opts.user,
          projectId: opts.project ?? null,
          ...(opts.now !== undefined ? { now: opts.now } : {}),
        }),
      );
    });

  program
    .command("visibility-report")
    .description("print Immuta's visibilityReport JSON for a user (or the current user) on a data source")
    .argument("<bundle>", "bundle file (JSON or YAML) or folder")
    .requiredOption("--data-source <id|name>", "data source id or name")
    .option("--user <profileId|name>", "the user to report on (GET /dataSource/{id}/users/{profileId}/visibilityReport)")
    .option("--current-user <profileId|name>", "report as this user, under their current project (GET /dataSource/{id}/visibilityReport)")
    .option("--project <id>", "evaluate under this project's purposes (not with --current-user)", integer)
    .option("--now <iso>", "the instant to evaluate at")
    .action((bundlePath: string, opts: { dataSource: string; user?: string; currentUser?: string; project?: number; now?: string }) => {
      if ((opts.user === undefined) === (opts.currentUser === undefined))
        return void (out = emit(fail([usage("give exactly one of --user and --current-user")])));
      if (opts.currentUser !== undefined && opts.project !== undefined)
        return void (out = emit(fail([usage("--project does not go with --current-user: the current user's own project applies")])));
      const bundle = loadBundleFile(bundlePath);
      if (!bundle.ok) return void (out = emit(bundle));
      const engine = createEngine(bundle.value);
      const now = opts.now !== undefined ? { now: opts.now } : {};
      out = emit(
        opts.currentUser !== undefined
          ? engine.currentUserVisibilityReport({ dataSource: opts.dataSource, user: opts.currentUser, ...now })
          : engine.visibilityReport({ dataSource: opts.dataSource, user: opts.user!, projectId: opts.project ?? null, ...now }),
      );
    });

  addBulkCommands(program, loadBundleFile, emit, (o) => (out = o));

  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // An explicit --help exits 0; help shown because no command was given is a usage error.
      const shown = out instanceof Promise ? { stdout: "", stderr: "", code: 0 } : out;
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return { ...shown, code: 0 };
      if (e.code === "commander.help") return { ...shown, code: 2 };
      const message = e.message.replace(/^error: /, "").replace(/\s*\n\s*\(Did you mean/, " (did you mean");
      return { stdout: "", stderr: formatIssue(usage(message)) + "\n", code: 2 };
    }
    return internalError(e);
  }
  return out instanceof Promise ? out.catch(internalError) : out;
}

/* c8 ignore next 6 -- process wiring */
const invokedDirectly = process.argv[1] !== undefined && /(?:^|[\\/])(main\.(?:ts|js|cjs)|veil)$/.test(process.argv[1]);
if (invokedDirectly) {
  // A closed pipe (`veil matrix … | head`) ends the run quietly, with the code already decided.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  void runCliAsync(process.argv.slice(2), { stream: true }).then(async (r) => {
    process.exitCode = r.code;
    process.stderr.write(r.stderr);
    process.stdout.write(r.stdout);
    for (const chunk of r.chunks ?? []) {
      // Respect back-pressure so a catalog-sized output never piles up in memory.
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
  });
}
