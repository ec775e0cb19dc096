import type { Command } from "commander";
import { diffStream, matrixStream, VeilError, type Bundle, type CellChange, type Result, type ThreadedBulkOptions, type VeilIssue } from "../node.js";
import { BUNDLE_ARGUMENT, formatOption, helpExample, workersOption } from "./conventions.js";
import type { CliOutput } from "./output.js";
import { progressBar } from "./progress.js";

const ROW_MARK = ["all", "filtered", "none"] as const;
const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

interface BulkFlags {
  users?: string[];
  dataSources?: string[];
  now?: string;
  workers?: number;
  format?: "json" | "table";
  policies?: boolean;
  quiet?: boolean;
}

function bulkOptions(o: BulkFlags): ThreadedBulkOptions {
  return {
    ...(o.users ? { users: o.users } : {}),
    ...(o.dataSources ? { dataSources: o.dataSources } : {}),
    ...(o.now !== undefined ? { now: o.now } : {}),
    workers: o.workers ?? 1,
  };
}

/**
 * A table written row by row as rows arrive: column widths come from the header and the
 * first rows (`sample`); later, longer cells just push their line wider. Never holds the
 * whole table. Nothing at all when there are no rows.
 */
async function* table(header: readonly string[], rows: AsyncIterable<readonly string[]>, sample = 200): AsyncGenerator<string> {
  const widths = header.map((h) => h.length);
  const head: (readonly string[])[] = [];
  const line = (r: readonly string[]) =>
    `${r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd()}\n`;
  let started = false;
  for await (const r of rows) {
    if (!started) {
      head.push(r);
      r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
      if (head.length < sample) continue;
      started = true;
      yield line(header);
      for (const h of head) yield line(h);
      continue;
    }
    yield line(r);
  }
  if (!started && head.length > 0) {
    yield line(header);
    for (const h of head) yield line(h);
  }
}

/**
 * Streamed output: `lines` are written as they are computed; a failure part-way ends the
 * output and is reported after it (exit 2 or 3, never "changes found"); otherwise the
 * exit code is `code()`, read once everything is written.
 */
function streamed(
  lines: AsyncIterable<string>,
  code: () => number,
  done: () => void,
  emit: (r: Result<unknown>) => CliOutput,
  notes: readonly string[],
): CliOutput {
  let failure: { stderr: string; code: number; issues: readonly VeilIssue[] } | undefined;
  const chunks = (async function* () {
    // Lines go out in batches of about 64 kB: one write per line would cost more than the lines.
    let batch = "";
    try {
      for await (const line of lines) {
        batch += line;
        if (batch.length >= 65_536) {
          yield batch;
          batch = "";
        }
      }
      if (batch) yield batch;
    } catch (e) {
      if (batch) yield batch;
      const issues: VeilIssue[] =
        e instanceof VeilError
          ? [...e.issues]
          : [{ code: "internal_error", path: [], message: `internal error: ${e instanceof Error ? e.message : String(e)}` }];
      const out = emit({ ok: false, issues });
      failure = { stderr: out.stderr, code: out.code, issues: (out as { issues?: readonly VeilIssue[] }).issues ?? [] };
    } finally {
      done();
    }
  })();
  // Notes (fewer threads than asked, and why) go to stderr before the output.
  return { stdout: "", stderr: notes.map((n) => `note: ${n}\n`).join(""), code: 0, chunks, after: () => failure ?? { stderr: "", code: code() } };
}

/** A change as a reader sees it: visibilities and masks decoded from their JSON keys. */
/**
 * A change's `masked`, `visibilities` or `filters` as JSON, the JSON texts they hold spliced
 * in as values (each was written by JSON.stringify, so splicing it is writing what it says).
 */
function fieldJson(key: string, v: unknown): string {
  const raw = (t: string | null) => (t === null ? "null" : t);
  if (key === "masked") {
    let out = "";
    for (const [col, [x, y]] of Object.entries(v as Record<string, readonly [string | null, string | null]>))
      out += `${out ? "," : ""}${JSON.stringify(col)}:[${raw(x)},${raw(y)}]`;
    return `{${out}}`;
  }
  if (key === "visibilities") {
    const g = v as { gained: readonly string[]; lost: readonly string[] };
    return `{"gained":[${g.gained.join(",")}],"lost":[${g.lost.join(",")}]}`;
  }
  if (key === "filters") return `[${(v as readonly string[]).join(",")}]`;
  return JSON.stringify(v);
}

/** A change as one JSON line, its JSON texts (`masked`, `visibilities`, `filters`) written as the values they stand for. */
function changeLine(c: CellChange): string {
  let line = "{";
  for (const [key, v] of Object.entries(c)) {
    if (v === undefined) continue;
    line += `${line.length > 1 ? "," : ""}${JSON.stringify(key)}:${typeof v === "object" && v !== null ? fieldJson(key, v) : JSON.stringify(v)}`;
  }
  return `${line}}`;
}

const maskLabel = (json: string | null) => (json === null ? "clear" : (JSON.parse(json) as { actionType: string }).actionType);

/** The table rows of one change: one per column, then rows, visibilities, filters, denial and report fields. */
function changeRows(c: CellChange): string[][] {
  const u = String(c.user);
  const d = String(c.dataSource);
  const by = (c.policies ?? []).join(", ");
  if (c.change !== "changed") {
    const s = (c.after ?? c.before)!;
    return [[u, d, `(${c.change})`, `${s.masked.length} masked, rows ${s.rows}${s.denied ? ", denied" : ""}`, ""]];
  }
  return [
    ...Object.entries(c.masked ?? {}).map(([col, [x, y]]) => [u, d, col, `${maskLabel(x)} → ${maskLabel(y)}`, by]),
    ...(c.rows ? [[u, d, "(rows)", `${c.rows[0]} → ${c.rows[1]}`, by]] : []),
    ...(c.visibilities ? [[u, d, "(visibilities)", `+${c.visibilities.gained.length} −${c.visibilities.lost.length}`, by]] : []),
    ...(c.filters ? [[u, d, "(filters)", `${c.filters[0]} → ${c.filters[1]}`, by]] : []),
    ...(c.denied ? [[u, d, "(denial)", `${c.denied[0] ?? "none"} → ${c.denied[1] ?? "none"}`, by]] : []),
    ...Object.entries(c.report ?? {}).map(([k, [x, y]]) => [u, d, `(${k})`, `${String(x)} → ${String(y)}`, by]),
  ];
}

/**
 * `veil matrix` and `veil diff`: users × data sources, evaluated in bulk. Tables for
 * humans by default, `--format json` for machines; diff exits 1 when anything changes
 * (a CI gate). Actions are async (worker threads): they only run under `runCliAsync`.
 */
export function addBulkCommands(
  program: Command,
  load: (path: string) => Result<Bundle>,
  emit: (r: Result<unknown>) => CliOutput,
  set: (out: CliOutput | Promise<CliOutput>) => void,
): void {
  const common = (c: Command) =>
    c
      .option("--users <ids>", "comma-separated profile ids or names (default: all)", list)
      .option("--data-sources <ids>", "comma-separated data source ids or names (default: all)", list)
      .option("--now <iso>", "the instant to evaluate time policies at")
      .addOption(workersOption())
      .option("--quiet", "no progress bar on stderr")
      .addOption(formatOption(["table", "json"], "table"));

  common(program.command("matrix").description("users × data sources: masked columns and row access").argument("<bundle>", BUNDLE_ARGUMENT)).action(
    (path: string, o: BulkFlags) => {
      const bundle = load(path);
      if (!bundle.ok) return set(emit(bundle));
      const bar = progressBar("matrix", o.quiet);
      set(
        matrixStream(bundle.value, { ...bulkOptions(o), ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) }).then((r) => {
          if (!r.ok) {
            bar.stop();
            return emit(r);
          }
          const m = r.value;
          const summary = { users: m.users.length, dataSources: m.dataSources.length, cells: m.users.length * m.dataSources.length, groups: m.groups };
          // One data source at a time: JSON lines per cell, or a table row per source with a column per user.
          const lines =
            o.format === "json"
              ? (async function* () {
                  for await (const b of m.blocks)
                    for (let i = 0; i < m.users.length; i++)
                      yield `${JSON.stringify({ user: m.users[i], dataSource: b.dataSource, masked: b.masked[i], rows: ROW_MARK[b.rows[i]!] })}\n`;
                  yield `${JSON.stringify({ summary })}\n`;
                })()
              : table(
                  ["source \\ user", ...m.users.map(String)],
                  (async function* () {
                    for await (const b of m.blocks) yield [String(b.dataSource), ...m.users.map((_, i) => `${b.masked[i]}m ${ROW_MARK[b.rows[i]!]}`)];
                  })(),
                );
          return streamed(lines, () => 0, bar.stop, emit, m.notes);
        }),
      );
    },
  );

  common(
    program
      .command("diff")
      .description("who gains or loses what between two bundles (exit 1 when anything changes)")
      .argument("<before>", `bundle before: ${BUNDLE_ARGUMENT}`)
      .argument("<after>", `bundle after: ${BUNDLE_ARGUMENT}`)
      .option("--policies", "also list cells where only the policy text changed, not what the user sees"),
  ).action((beforePath: string, afterPath: string, o: BulkFlags) => {
    const before = load(beforePath);
    if (!before.ok) return set(emit(before));
    const after = load(afterPath);
    if (!after.ok) return set(emit(after));
    const bar = progressBar("diff", o.quiet);
    set(
      diffStream(before.value, after.value, { ...bulkOptions(o), ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) }).then((r) => {
        if (!r.ok) {
          bar.stop();
          return emit(r);
        }
        const d = r.value;
        // Exit 1 only for access changes: a change in how policies are written alone is reported, not gated on.
        const code = () => (d.summary().changedCells > 0 ? 1 : 0);
        const summaryLine = () => {
          const s = d.summary();
          return {
            compared: s.compared,
            changedCells: s.changedCells,
            kinds: s.kinds,
            dataSources: s.dataSources.length,
            groups: s.groups,
            policyChangedCells: s.policyChangedCells,
          };
        };
        // Changes as they are found, data source chunk by chunk; policy-text-only cells under --policies.
        const items = (async function* () {
          for await (const c of d.items) if (c.change !== "policy" || o.policies) yield c;
        })();
        const lines =
          o.format === "json"
            ? (async function* () {
                for await (const c of items) yield `${c.change === "policy" ? JSON.stringify(c) : changeLine(c)}\n`;
                yield `${JSON.stringify({ summary: summaryLine() })}\n`;
              })()
            : (async function* () {
                let any = false;
                for await (const line of table(
                  ["user", "source", "what", "change", "policies"],
                  (async function* () {
                    for await (const c of items) {
                      if (c.change === "policy") yield [String(c.user), String(c.dataSource), "(policy text)", "changed, not what the user sees", ""];
                      else yield* changeRows(c);
                    }
                  })(),
                )) {
                  any = true;
                  yield line;
                }
                const s = d.summary();
                if (!any) yield "no change\n";
                yield `${s.changedCells} of ${s.compared} (user, source) cells changed${s.policyChangedCells > 0 ? `; ${s.policyChangedCells} more changed only in policy text${o.policies ? "" : " (--policies lists them)"}` : ""}\n`;
              })();
        return streamed(lines, code, bar.stop, emit, d.notes);
      }),
    );
  });

  // One example and the exit codes in each command's help (conventions.ts).
  const command = (name: string) => program.commands.find((c) => c.name() === name)!;
  helpExample(command("matrix"), "veil matrix policies/ --users Ana,Cy --format json", {});
  helpExample(command("diff"), "veil diff before.yaml after.yaml --format json", { 0: "no access changed", 1: "some access changed" });
}
