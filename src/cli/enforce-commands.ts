/**
 * `veil sql` and `veil enforce`: one user's decisions on one data source, as a statement
 * an engine runs, or applied to rows (NDJSON or CSV in, NDJSON out).
 *
 * The key provider derives every salt and key with HKDF from the environment variable
 * `VEIL_SECRET`; without it, whatever needs a secret (hashing, reversible, FPE,
 * minimization) is refused with exit 2 and a message saying to set it.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { InvalidArgumentError, Option, type Command } from "commander";
import { enforceRows, fail, hkdfKeyProvider, renderSql, VeilError, type Bundle, type KeyProvider, type Result, type VeilIssue } from "../index.js";
import { readRows } from "../io/rows.js";
import { BUNDLE_ARGUMENT, helpExample, oneOf } from "./conventions.js";
import type { CliOutput } from "./output.js";
import { usage } from "./quick.js";

/** The dialects `--dialect` accepts. */
const SQL_DIALECTS = ["postgres", "duckdb", "snowflake", "databricks", "trino", "bigquery"] as const;

/** The CLI's key provider: HKDF from VEIL_SECRET, or none when it is unset or empty. */
function keysFromEnv(env: NodeJS.ProcessEnv): KeyProvider | null {
  const secret = env["VEIL_SECRET"];
  return secret === undefined || secret === "" ? null : hkdfKeyProvider(secret);
}

/** Issues that need a secret say how to give one. */
function withSecretHint(r: Result<unknown>): Result<unknown> {
  if (r.ok) return r;
  const hint = (i: VeilIssue): VeilIssue =>
    i.path[0] === "keys" && !i.message.includes("VEIL_SECRET") ? { ...i, message: `${i.message}; set the environment variable VEIL_SECRET` } : i;
  return fail(r.issues.map(hint));
}

interface RequestFlags {
  dataSource: string;
  user: string;
  project?: number;
  now?: string;
}

function request(o: RequestFlags) {
  return { dataSource: o.dataSource, user: o.user, projectId: o.project ?? null, ...(o.now !== undefined ? { now: o.now } : {}) };
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`expected an integer, got \`${value}\``);
  return Number(value);
}

const common = (c: Command) =>
  c
    .argument("<bundle>", BUNDLE_ARGUMENT)
    .requiredOption("--data-source <id|name>", "data source id or name")
    .requiredOption("--user <profileId|name>", "user profile id or name")
    .option("--project <id>", "evaluate under this project's purposes", integer)
    .option("--now <iso>", "the instant time policies are evaluated at");

/**
 * Adds `sql` and `enforce` to the program. `stdinText` is the text `-` reads in tests
 * (the process reads its stdin as a stream); `env` holds VEIL_SECRET.
 */
export function addEnforceCommands(
  program: Command,
  load: (path: string) => Result<Bundle>,
  emit: (r: Result<unknown>) => CliOutput,
  set: (out: CliOutput | Promise<CliOutput>) => void,
  stdinText?: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const sql = common(program.command("sql").description("print one SELECT (or CREATE VIEW) that enforces a user's masks and row filters"))
    .addOption(
      new Option("--dialect <dialect>", `the engine to write for (default: the data source's): ${SQL_DIALECTS.join(", ")}`).argParser(oneOf(SQL_DIALECTS)),
    )
    .option("--view <name>", "print CREATE VIEW <name> AS … instead")
    .option("--reversible-udf <name>", "the UDF that computes Reversible masks in the engine")
    .option("--fpe-udf <name>", "the UDF that computes Format Preserving masks in the engine")
    .action((path: string, o: RequestFlags & { dialect?: (typeof SQL_DIALECTS)[number]; view?: string; reversibleUdf?: string; fpeUdf?: string }) => {
      const bundle = load(path);
      if (!bundle.ok) return set(emit(bundle));
      const udfs = { ...(o.reversibleUdf ? { reversible: o.reversibleUdf } : {}), ...(o.fpeUdf ? { fpe: o.fpeUdf } : {}) };
      const r = renderSql(bundle.value, request(o), {
        keys: keysFromEnv(env),
        udfs,
        ...(o.dialect ? { dialect: o.dialect } : {}),
        ...(o.view !== undefined ? { view: o.view } : {}),
      });
      if (!r.ok) return set(emit(withSecretHint(r)));
      set({ stdout: `${r.value.createView ?? r.value.select};\n`, stderr: "", code: 0 });
    });
  helpExample(sql, 'veil sql bundle.yaml --data-source "Web Sales" --user 2 --dialect duckdb', {});

  const enforce = common(
    program.command("enforce").description("apply a user's masks and row filters to rows (NDJSON or CSV, a file or - for stdin); print NDJSON"),
  )
    .argument("[rows]", "rows file (.ndjson, .jsonl, .csv) or - for stdin (default)", "-")
    .action((path: string, rowsPath: string, o: RequestFlags) => {
      if (path === "-" && rowsPath === "-") return set(emit(fail([usage("the bundle and the rows cannot both come from stdin")])));
      const bundle = load(path);
      if (!bundle.ok) return set(emit(bundle));
      const source = readRows(rowsPath, stdinText !== undefined ? Readable.from([stdinText]) : process.stdin);
      const r = enforceRows(bundle.value, request(o), source.rows, { keys: keysFromEnv(env), randomBytes: (n) => new Uint8Array(randomBytes(n)) });
      if (!r.ok) return set(emit(withSecretHint(r)));
      const rows = r.value;
      // Rows are written as they are enforced, so a large input is never held; a bad input
      // line ends the output there and is reported after it (exit 2).
      let failure: { stderr: string; code: number; issues: readonly VeilIssue[] } | undefined;
      const chunks = (async function* () {
        try {
          let batch = "";
          for await (const row of rows) {
            batch += `${JSON.stringify(row)}\n`;
            if (batch.length >= 65_536) {
              yield batch;
              batch = "";
            }
          }
          const problem = source.problem();
          if (problem) throw new VeilError([problem]);
          if (batch) yield batch;
        } catch (e) {
          const out = emit(
            fail(
              e instanceof VeilError
                ? e.issues
                : [{ code: "internal_error", path: [], message: `internal error: ${e instanceof Error ? e.message : String(e)}` }],
            ),
          );
          failure = { stderr: out.stderr, code: out.code, issues: (out as { issues?: readonly VeilIssue[] }).issues ?? [] };
        }
      })();
      set({ stdout: "", stderr: "", code: 0, chunks, after: () => failure });
    });
  helpExample(enforce, 'VEIL_SECRET=… veil enforce bundle.yaml --data-source "Web Sales" --user 2 rows.ndjson', {});
}
