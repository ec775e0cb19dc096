/**
 * The CLI on hostile input (docs/cli.md, "Conventions", "Errors", "Exit codes"):
 * - Mutants of every fixture bundle (test/arbitraries/mutation.ts), written to a temp
 *   file as JSON or YAML, through every command in-process (`runCliAsync`). When the
 *   mutant does not load, the run exits 2, prints nothing on stdout, and every stderr line
 *   is `error: <file>: …` (then the JSON path, when known, and the message); when it loads, the run prints JSON (exit 0, or 1 for a diff with changes) or well-formed
 *   error lines (exit 2). Never a stack trace, a JS `…Error:` prefix, or exit 3.
 * - Usage errors (unknown flag, missing required flag, bad `--workers`, `--format`,
 *   `--project`, `--now` values): exit 2, one line, naming the flag.
 * - A few spawned processes (`node --import tsx src/cli/main.ts …`), so the real process's
 *   exit code and stderr are checked too.
 *
 * PROPERTY_RUNS=n runs n cases per property instead of the defaults; PROPERTY_SEED fixes the seed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCliAsync, type CliOutput } from "../../src/cli/main.js";
import { loadBundleTexts } from "../../src/model/documents.js";
import { describeError, NOW } from "../arbitraries/exercise.js";
import { fixtureBundles, ROOT, type Raw } from "../arbitraries/fixtures.js";
import { applyOps, DEEP, mixedOps, toJsonText, toYamlText } from "../arbitraries/mutation.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || undefined;
const SEED = process.env["PROPERTY_SEED"] ? Number(process.env["PROPERTY_SEED"]) : undefined;
const seedOption = SEED !== undefined ? { seed: SEED } : {};

const FIXTURES = fixtureBundles().sort((a, b) => JSON.stringify(a.bundle).length - JSON.stringify(b.bundle).length);
const SEED_BUNDLE = join(ROOT, "fixtures", "seed", "bundle.yaml");
const TIME_BUNDLE = join(ROOT, "fixtures", "scenarios", "rows-time-newer", "bundle-v2.yaml");

const tmp = mkdtempSync(join(tmpdir(), "veil-cli-fuzz-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Reasons the output is not a clean run: a stack trace, a JS error prefix, exit 3. */
function stackProblems(out: { stdout: string; stderr: string; code: number | null }): string[] {
  const problems: string[] = [];
  for (const [name, text] of [
    ["stdout", out.stdout],
    ["stderr", out.stderr],
  ] as const)
    if (/^\s+at /m.test(text)) problems.push(`${name} holds a stack trace`);
  if (/\b[A-Za-z]*Error:/.test(out.stderr)) problems.push(`stderr holds a JS error prefix: ${out.stderr.match(/\b[A-Za-z]*Error:.*/)![0].slice(0, 200)}`);
  if (out.code === 3) problems.push(`exit 3 (internal error): ${out.stderr.trim().slice(0, 300)}`);
  return problems;
}

/** Why a failed run's output is not `line`-shaped lines on stderr alone (empty: it is). */
function errorLineProblems(out: CliOutput, line: RegExp): string[] {
  const problems: string[] = [];
  if (out.stdout !== "") problems.push(`stdout is not empty: ${out.stdout.slice(0, 200)}`);
  if (!out.stderr.endsWith("\n")) problems.push("stderr does not end in a newline");
  const lines = out.stderr.replace(/\n$/, "").split("\n");
  if (out.stderr.trim() === "") problems.push("stderr is empty");
  for (const l of lines) if (!line.test(l)) problems.push(`stderr line does not match ${line}: ${JSON.stringify(l.slice(0, 300))}`);
  return problems;
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const isNdjson = (text: string): boolean => text.endsWith("\n") && text.slice(0, -1).split("\n").every(isJson);

type Command = "policy-info" | "visibility-report" | "current-user" | "matrix" | "diff";

function argv(command: Command, file: string, before: string, ds: string, user: string): string[] {
  switch (command) {
    case "policy-info":
      return ["policy-info", file, "--data-source", ds, "--user", user, "--now", NOW];
    case "visibility-report":
      return ["visibility-report", file, "--data-source", ds, "--user", user, "--now", NOW];
    case "current-user":
      return ["visibility-report", file, "--data-source", ds, "--current-user", user, "--now", NOW];
    case "matrix":
      return ["matrix", file, "--now", NOW, "--format", "json"];
    case "diff":
      return ["diff", before, file, "--now", NOW, "--format", "json"];
  }
}

const firstRef = (bundle: Raw, key: "dataSources" | "users", id: "id" | "profileId"): string =>
  String(((bundle[key] as Raw[] | undefined)?.[0]?.[id] as number | undefined) ?? 1);

describe("the CLI on mutated bundles", () => {
  it("an invalid mutant exits 2 with `error: <file>: …` lines and nothing on stdout; a valid one prints JSON; never a stack trace", {
    timeout: 600_000,
  }, async () => {
    const stats = { invalid: 0, valid: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: FIXTURES.length - 1 }),
        mixedOps,
        fc.constantFrom("json" as const, "yaml" as const),
        fc.constantFrom<Command>("policy-info", "visibility-report", "current-user", "matrix", "diff"),
        async (fixture, ops, format, command) => {
          const fx = FIXTURES[fixture]!;
          const { root, did } = applyOps(fx.bundle, ops);
          const label = `${fx.name} with ${did.join("; ")}, as ${format}, \`veil ${command}\``;
          const file = join(tmp, `mutant.${format}`);
          const before = join(tmp, "before.json");
          const text = format === "json" ? toJsonText(root) : toYamlText(root);
          writeFileSync(file, text);
          writeFileSync(before, toJsonText(fx.bundle));
          let invalid: boolean;
          try {
            invalid = !loadBundleTexts([{ file, text }]).ok;
          } catch {
            invalid = true; // loadBundleTexts throwing is the fuzz-bundle properties' finding; here the CLI must still exit 2.
          }
          stats[invalid ? "invalid" : "valid"]++;
          let out: CliOutput;
          try {
            out = await runCliAsync(argv(command, file, before, firstRef(fx.bundle, "dataSources", "id"), firstRef(fx.bundle, "users", "profileId")));
          } catch (e) {
            throw new Error(`${label}\n  → runCliAsync threw ${describeError(e)}`);
          }
          const problems = stackProblems(out);
          if (invalid) {
            if (out.code !== 2) problems.push(`exit ${out.code}, not 2`);
            problems.push(...errorLineProblems(out, new RegExp(`^error: ${escapeRe(file)}: .+$`)));
          } else if (out.code === 0 || (out.code === 1 && command === "diff")) {
            if (out.stderr !== "") problems.push(`exit ${out.code} with stderr: ${out.stderr.slice(0, 200)}`);
            // Reports are one JSON document; matrix and diff print NDJSON (one record per line).
            if (!isJson(out.stdout) && !(command === "matrix" || command === "diff" ? isNdjson(out.stdout) : false))
              problems.push(`stdout is not JSON${command === "matrix" || command === "diff" ? " or NDJSON" : ""}: ${out.stdout.slice(0, 200)}`);
          } else if (out.code === 2) problems.push(...errorLineProblems(out, /^error: .+: .+$/));
          else problems.push(`exit ${out.code}`);
          if (problems.length > 0) throw new Error(`${label}\n  → ${problems.join("\n  → ")}`);
        },
      ),
      { numRuns: RUNS ?? 250, ...seedOption },
    );
    // The property tested what it claims: a good share of the mutants were invalid.
    expect(stats.invalid).toBeGreaterThan((stats.invalid + stats.valid) / 3);
  });
});

/** A usage error: exit 2, nothing on stdout, one `error: …` line naming `flag`, no stack trace. */
function expectUsageError(out: CliOutput, flag: string | RegExp): void {
  expect(stackProblems(out)).toEqual([]);
  expect(out.code).toBe(2);
  expect(out.stdout).toBe("");
  const lines = out.stderr.replace(/\n$/, "").split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: .+$/);
  if (typeof flag === "string") expect(lines[0]).toContain(flag);
  else expect(lines[0]).toMatch(flag);
}

describe("usage errors name the flag", () => {
  const base: Record<"policy-info" | "visibility-report" | "matrix" | "diff", string[]> = {
    "policy-info": ["policy-info", SEED_BUNDLE, "--data-source", "16", "--user", "2"],
    "visibility-report": ["visibility-report", SEED_BUNDLE, "--data-source", "16", "--user", "2"],
    matrix: ["matrix", SEED_BUNDLE],
    diff: ["diff", SEED_BUNDLE, SEED_BUNDLE],
  };

  it("the base commands run (so the errors below are the flags')", async () => {
    for (const args of Object.values(base)) expect((await runCliAsync(args)).code).toBe(0);
  });

  const KNOWN = new Set([
    "--data-source",
    "--user",
    "--current-user",
    "--project",
    "--now",
    "--users",
    "--data-sources",
    "--workers",
    "--format",
    "--help",
    "--version",
  ]);
  it("an unknown flag is named", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(base) as (keyof typeof base)[])),
        fc.stringMatching(/^--[a-z][a-z-]{0,14}$/).filter((f) => !KNOWN.has(f) && !f.endsWith("-")),
        async (command, flag) => expectUsageError(await runCliAsync([...base[command], flag]), flag),
      ),
      { numRuns: RUNS ?? 40, ...seedOption },
    );
  });

  it.each([
    ["policy-info without --user", ["policy-info", SEED_BUNDLE, "--data-source", "16"], "--user"],
    ["policy-info without --data-source", ["policy-info", SEED_BUNDLE, "--user", "2"], "--data-source"],
    ["visibility-report without --data-source", ["visibility-report", SEED_BUNDLE, "--user", "2"], "--data-source"],
    ["visibility-report without --user or --current-user", ["visibility-report", SEED_BUNDLE, "--data-source", "16"], "--user"],
    ["policy-info --user without its value", ["policy-info", SEED_BUNDLE, "--data-source", "16", "--user"], "--user"],
  ])("a missing required flag: %s", async (_name, args, flag) => {
    expectUsageError(await runCliAsync(args as string[]), flag as string);
  });

  const BAD_WORKERS = ["abc", "0", "-1", "1.5", "2x", "", "NaN", "Infinity", "0x2", "1e3"];
  const BAD_FORMATS = ["xml", "yaml", "", "jsonx", "table,json", "JSON "];
  const BAD_PROJECTS = ["seven", "1.5", "", "1e3", "0x10"];
  const BAD_NOWS = ["1", "June 1, 2024", "2024-13-01T00:00:00Z", "2024-06-31T00:00:00Z", "yesterday", "", "1717200000000", "2024-06-01T25:00:00Z"];

  it.each((["matrix", "diff"] as const).flatMap((c) => BAD_WORKERS.map((v) => [c, v] as const)))("%s --workers %j", async (command, value) => {
    expectUsageError(await runCliAsync([...base[command], "--workers", value]), "--workers");
  });

  it.each((["matrix", "diff"] as const).flatMap((c) => BAD_FORMATS.map((v) => [c, v] as const)))("%s --format %j", async (command, value) => {
    expectUsageError(await runCliAsync([...base[command], "--format", value]), "--format");
  });

  it.each((["policy-info", "visibility-report"] as const).flatMap((c) => BAD_PROJECTS.map((v) => [c, v] as const)))(
    "%s --project %j",
    async (command, value) => {
      expectUsageError(await runCliAsync([...base[command], "--project", value]), "--project");
    },
  );

  it.each((Object.keys(base) as (keyof typeof base)[]).flatMap((c) => BAD_NOWS.map((v) => [c, v] as const)))(
    "%s --now %j is rejected, naming now",
    async (command, value) => {
      expectUsageError(await runCliAsync([...base[command], "--now", value]), /\bnow\b/);
    },
  );
});

describe("the real process", () => {
  /** `node --import tsx src/cli/main.ts …` from the repository root. */
  function spawnCli(args: string[]) {
    const r = spawnSync(process.execPath, ["--import", "tsx", join("src", "cli", "main.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
  }

  /** Exit 2, nothing on stdout, only `error: …` lines on stderr, no stack trace. */
  function expectExit2(out: ReturnType<typeof spawnCli>, mentions?: RegExp): void {
    expect(stackProblems(out)).toEqual([]);
    expect({ code: out.code, stdout: out.stdout }).toEqual({ code: 2, stdout: "" });
    const lines = out.stderr.replace(/\n$/, "").split("\n");
    for (const l of lines) expect(l).toMatch(/^error: .+$/);
    if (mentions) expect(out.stderr).toMatch(mentions);
  }

  const timeBundle = (time: number): string => {
    const b = parseYaml(readFileSync(TIME_BUNDLE, "utf8")) as { globalPolicies: { actions: { rules: { config: { time: number } }[] }[] }[] };
    b.globalPolicies[0]!.actions[0]!.rules[0]!.config.time = time;
    const file = join(tmp, `time-${time}.json`);
    writeFileSync(file, JSON.stringify(b));
    return file;
  };

  it("a normal run exits 0 (the harness works)", () => {
    const out = spawnCli(["policy-info", SEED_BUNDLE, "--data-source", "16", "--user", "2"]);
    expect({ code: out.code, stderr: out.stderr }).toEqual({ code: 0, stderr: "" });
  }, 60_000);

  it("--now 1 exits 2", () => {
    expectExit2(spawnCli(["policy-info", SEED_BUNDLE, "--data-source", "16", "--user", "2", "--now", "1"]), /\bnow\b/);
  }, 60_000);

  it('--now "June 1, 2024" exits 2', () => {
    expectExit2(spawnCli(["policy-info", SEED_BUNDLE, "--data-source", "16", "--user", "2", "--now", "June 1, 2024"]), /\bnow\b/);
  }, 60_000);

  it("--now -271821-04-20T00:00:00Z (the earliest instant) under a 30-day time policy exits 2", () => {
    expectExit2(spawnCli(["policy-info", TIME_BUNDLE, "--data-source", "Web Events", "--user", "Tom", "--now", "-271821-04-20T00:00:00Z"]));
  }, 60_000);

  it("--now -271821-04-20T00:00:00Z on a bundle without time policies exits 2", () => {
    expectExit2(spawnCli(["policy-info", SEED_BUNDLE, "--data-source", "16", "--user", "2", "--now", "-271821-04-20T00:00:00Z"]), /\bnow\b/);
  }, 60_000);

  it("a time policy with config.time: 1e13 exits 2", () => {
    expectExit2(spawnCli(["policy-info", timeBundle(1e13), "--data-source", "Web Events", "--user", "Tom", "--now", NOW]));
  }, 60_000);

  it(`a bundle nested ${DEEP} levels deep (YAML) exits 2`, () => {
    const b = parseYaml(readFileSync(SEED_BUNDLE, "utf8")) as Raw;
    let deep: unknown = b["users"];
    for (let i = 0; i < DEEP; i++) deep = [deep];
    const file = join(tmp, "deep.yaml");
    writeFileSync(file, toYamlText({ ...b, users: deep }));
    expectExit2(spawnCli(["policy-info", file, "--data-source", "16", "--user", "2"]));
  }, 60_000);
});
