/**
 * Conventions every `veil` command follows, as helpers the commands share: the bundle
 * argument (`-` is stdin), strict `--format` and `--workers` values that list what is
 * accepted, help with an example and the exit codes, and errors as text or JSON
 * (`--error-format`). A new command uses these rather than its own.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { formatIssue, type VeilIssue } from "../index.js";
import { locateIssues } from "../io/locate.js";
import pkg from "../../package.json" with { type: "json" };
import type { CliOutput } from "./output.js";

/** The package version (bundled into dist/ at build time, as JSON imports are). */
export const VERSION: string = pkg.version;

export const ERROR_FORMATS = ["text", "json"] as const;
export type ErrorFormat = (typeof ERROR_FORMATS)[number];

/** `<bundle>`: what every bundle argument says about itself. */
export const BUNDLE_ARGUMENT = "bundle file (JSON or YAML), folder, or - for stdin";

/** A flag value from a fixed set; a usage error names the flag (commander) and lists the set. */
export function oneOf<T extends string>(accepted: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(accepted as readonly string[]).includes(value)) throw new InvalidArgumentError(`accepted: ${accepted.join(", ")}`);
    return value as T;
  };
}

/** `--format <format>`: one of `accepted`, `fallback` when absent. */
export function formatOption(accepted: readonly string[], fallback: string): Option {
  return new Option("--format <format>", `output format: ${accepted.join(" or ")}`).argParser(oneOf(accepted)).default(fallback);
}

/** `--workers <n>`: a whole number ≥ 1. */
export function workersOption(description = "worker threads (default 1)"): Option {
  return new Option("--workers <n>", description).argParser((v) => {
    if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError(`expected a whole number ≥ 1, got \`${v}\``);
    return Number(v);
  });
}

/** `--error-format <format>`: how problems are written to stderr. A program option, so every command takes it. */
export function errorFormatOption(): Option {
  return new Option("--error-format <format>", "problems on stderr as text lines (default) or one JSON array").argParser(oneOf(ERROR_FORMATS));
}

/** What each exit code means, for a command's help. */
export type ExitCodes = Readonly<Partial<Record<0 | 1 | 2 | 3, string>>>;

const INVALID = "invalid input or usage";
const INTERNAL = "internal error in Veil (never a finding)";

/** Help after the options: one example and the exit codes. Every command gets one. */
export function helpExample(command: Command, example: string, exits: ExitCodes): Command {
  const codes: ExitCodes = { 0: "success", 2: INVALID, 3: INTERNAL, ...exits };
  const lines = Object.entries(codes).map(([code, meaning]) => `  ${code}  ${meaning}`);
  return command.addHelpText("after", `\nExample:\n  $ ${example}\n\nExit codes:\n${lines.join("\n")}\n`);
}

/**
 * The error format a command line asks for, read before commander parses it, so that
 * usage errors commander finds come out in that format too. The last one wins; an
 * invalid value is left to commander, which reports it.
 */
export function requestedErrorFormat(argv: readonly string[]): ErrorFormat {
  let format: ErrorFormat = "text";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    const value = arg === "--error-format" ? argv[++i] : arg.startsWith("--error-format=") ? arg.slice("--error-format=".length) : undefined;
    if (value === "text" || value === "json") format = value;
  }
  return format;
}

/** One problem as `--error-format json` writes it. */
export interface JsonIssue {
  readonly code: VeilIssue["code"];
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Issues as the JSON array `--error-format json` prints: the issue, plus the line and column in its file when known. */
export function jsonIssues(issues: readonly VeilIssue[], readStdin?: () => string): JsonIssue[] {
  const at = locateIssues(issues, readStdin);
  return issues.map((i, n) => ({
    code: i.code,
    path: i.path,
    message: i.message,
    ...(i.file !== undefined ? { file: i.file } : {}),
    ...(at[n] ? { line: at[n].line, column: at[n].column } : {}),
  }));
}

/** The stderr text for issues in a format. */
export function renderIssues(issues: readonly VeilIssue[], format: ErrorFormat, readStdin?: () => string): string {
  if (format === "json") return `${JSON.stringify(jsonIssues(issues, readStdin))}\n`;
  return issues.map((i) => `${formatIssue(i)}\n`).join("");
}

/** A CLI output whose stderr may come from issues (see `emit` and `CliOutput.issues`). */
export type IssueOutput = CliOutput;

/** The output as the user asked for it: stderr re-rendered in the error format, the issues dropped. */
export function finish(out: IssueOutput, format: ErrorFormat, readStdin?: () => string): CliOutput {
  const { issues, ...rest } = out;
  const render = (o: { readonly stderr: string; readonly issues?: readonly VeilIssue[] }) =>
    o.issues && format !== "text" ? renderIssues(o.issues, format, readStdin) : o.stderr;
  // A failure a streamed command finds part-way comes from `after`; it keeps its issues for the same rendering.
  const after = rest.after;
  const late = after
    ? {
        after: () => {
          const a = after();
          return a && { stderr: render(a), code: a.code };
        },
      }
    : {};
  return { ...rest, ...late, stderr: render(out) };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && (env["NO_COLOR"] ?? "") === "";
}
