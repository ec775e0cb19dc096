#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { loadBundleArgument, readStdin } from "../io/stdin.js";
import { createEngine, fail } from "../node.js";
import type { CliOutput } from "./output.js";
import { addBulkCommands } from "./bulk-commands.js";
import { addEnforceCommands } from "./enforce-commands.js";
import { BUNDLE_ARGUMENT, errorFormatOption, finish, helpExample, requestedErrorFormat, useColor, VERSION, type IssueOutput } from "./conventions.js";
import { emit, internalError, quickCli, usage } from "./quick.js";
import { addValidateCommand } from "./validate-command.js";
import { addTestCommand } from "./test-command.js";
import { addLintCommand } from "./lint-command.js";
import { addExplainCommand } from "./explain-command.js";

export type { CliOutput } from "./output.js";

/** How a run meets the world: streamed output, stdin (tests pass it as text), colour. */
export interface RunOptions {
  /** Leave bulk output as `chunks` for the caller to write one by one. */
  readonly stream?: boolean;
  /** The text a `-` bundle argument reads; default: the process's stdin. */
  readonly stdin?: string;
  /** Colour in human output; the process turns it on for a terminal without NO_COLOR. */
  readonly color?: boolean;
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`expected an integer, got \`${value}\``);
  return Number(value);
}

/** Runs the CLI on an argument vector (without `node` and the script). Pure apart from reading the bundle. */
export function runCli(argv: readonly string[], options: RunOptions = {}): CliOutput {
  const r = run(argv, options);
  if (r instanceof Promise) return finish(emit(fail([usage("matrix and diff run on worker threads: call runCliAsync")])), requestedErrorFormat(argv));
  return r;
}

/**
 * Runs any command, `matrix` and `diff` included (they are asynchronous). Bulk output
 * comes as `chunks`; with `{ stream: true }` they are left for the caller to write one by
 * one (the process does), otherwise they are joined into `stdout`.
 */
export async function runCliAsync(argv: readonly string[], options: RunOptions = {}): Promise<CliOutput> {
  const r = await run(argv, options);
  if (options.stream || !r.chunks) return r;
  let stdout = r.stdout;
  for await (const c of r.chunks) stdout += c;
  const late = r.after?.();
  return late ? { stdout, stderr: r.stderr + late.stderr, code: late.code } : { stdout, stderr: r.stderr, code: r.code };
}

function run(argv: readonly string[], options: RunOptions): CliOutput | Promise<CliOutput> {
  const errorFormat = requestedErrorFormat(argv);
  const stdin = options.stdin !== undefined ? () => options.stdin! : readStdin;
  const done = (o: IssueOutput): CliOutput => finish(o, errorFormat, stdin);
  const r = commandLine(argv, (path) => loadBundleArgument(path, stdin), options);
  return r instanceof Promise ? r.then(done) : done(r);
}

function commandLine(argv: readonly string[], loadBundleFile: typeof loadBundleArgument, options: RunOptions): IssueOutput | Promise<IssueOutput> {
  // A plain report command line is answered without building the commander program (quick.ts).
  const quick = quickCli(argv);
  if (quick) return quick;
  let out: IssueOutput | Promise<IssueOutput> = { stdout: "", stderr: "", code: 0 };
  const append = (key: "stdout" | "stderr", s: string) => {
    if (!(out instanceof Promise)) out = { ...out, [key]: out[key] + s };
  };
  const program = new Command("veil")
    .description("Evaluate Immuta data policies offline")
    .version(VERSION, "-V, --version", "print the version")
    .addOption(errorFormatOption())
    .helpCommand("help [command]", "print help for a command")
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => append("stdout", s), writeErr: (s) => append("stderr", s) });
  helpExample(program, 'veil policy-info bundle.yaml --data-source "Web Sales" --user 2', {
    1: "a finding: diff found changes, lint an error, test a failed case",
  });

  const policyInfo = program
    .command("policy-info")
    .description("print Immuta's policyInfo JSON for a user on a data source")
    .argument("<bundle>", BUNDLE_ARGUMENT)
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

  helpExample(policyInfo, 'veil policy-info bundle.yaml --data-source "Web Sales" --user 2', {});

  const visibilityReport = program
    .command("visibility-report")
    .description("print Immuta's visibilityReport JSON for a user (or the current user) on a data source")
    .argument("<bundle>", BUNDLE_ARGUMENT)
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

  helpExample(visibilityReport, 'veil visibility-report bundle.yaml --data-source "Web Sales" --current-user jane', {});

  addBulkCommands(program, loadBundleFile, emit, (o) => (out = o));
  addEnforceCommands(program, loadBundleFile, emit, (o) => (out = o), options.stdin);
  addValidateCommand(program, loadBundleFile, emit, (o) => (out = o));
  addTestCommand(program, emit, (o) => (out = o), options.color === true);
  addLintCommand(program, loadBundleFile, emit, (o) => (out = o));
  addExplainCommand(program, loadBundleFile, emit, (o) => (out = o), options.color === true);

  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // An explicit --help, `veil help [command]` or --version exits 0; help shown because no command was given is a usage error.
      const shown = out instanceof Promise ? { stdout: "", stderr: "", code: 0 } : out;
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return { ...shown, code: 0 };
      if (e.code === "commander.help") return { ...shown, code: e.exitCode === 0 ? 0 : 2 };
      const message = e.message.replace(/^error: /, "").replace(/\s*\n\s*\(Did you mean/, " (did you mean");
      return emit(fail([usage(message)]));
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
  void runCliAsync(process.argv.slice(2), { stream: true, color: useColor(process.stdout, process.env) }).then(async (r) => {
    process.exitCode = r.code;
    process.stderr.write(r.stderr);
    process.stdout.write(r.stdout);
    for await (const chunk of r.chunks ?? []) {
      // Respect back-pressure so a catalog-sized output never piles up in memory.
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
    const late = r.after?.();
    if (late) {
      process.stderr.write(late.stderr);
      process.exitCode = late.code;
    }
  });
}
