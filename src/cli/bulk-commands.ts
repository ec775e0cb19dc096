import { InvalidArgumentError, type Command } from "commander";
import { diff, matrix, type Bundle, type CellChange, type Result, type ThreadedBulkOptions } from "../node.js";
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
 * A table written row by row: column widths come from the first rows (`sample`), and
 * later, longer cells just push their line wider. Never holds the whole table.
 */
function* table(header: readonly string[], rows: Iterable<readonly string[]>, sample = 200): Generator<string> {
  const widths = header.map((h) => h.length);
  const head: (readonly string[])[] = [];
  const it = rows[Symbol.iterator]();
  for (let n = it.next(); !n.done; n = it.next()) {
    head.push(n.value);
    n.value.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
    if (head.length >= sample) break;
  }
  const line = (r: readonly string[]) =>
    `${r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd()}\n`;
  yield line(header);
  for (const r of head) yield line(r);
  for (let n = it.next(); !n.done; n = it.next()) yield line(n.value);
}

/** One JSON line per item, then a summary line: NDJSON that a consumer can read as it comes. */
function* ndjson(items: Iterable<unknown>, summary: unknown): Generator<string> {
  for (const x of items) yield `${JSON.stringify(x)}\n`;
  yield `${JSON.stringify({ summary })}\n`;
}

/** A change as a reader sees it: visibilities and masks decoded from their JSON keys. */
function changeRecord(c: CellChange): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  if (c.masked) out["masked"] = Object.fromEntries(Object.entries(c.masked).map(([col, [x, y]]) => [col, [x && JSON.parse(x), y && JSON.parse(y)]]));
  if (c.visibilities) out["visibilities"] = { gained: c.visibilities.gained.map((v) => JSON.parse(v)), lost: c.visibilities.lost.map((v) => JSON.parse(v)) };
  if (c.filters) out["filters"] = c.filters.map((f) => JSON.parse(f));
  return out;
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
      .option("--workers <n>", "worker threads (default 1)", (v) => {
        if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError(`expected a whole number ≥ 1, got \`${v}\``);
        return Number(v);
      })
      .option("--quiet", "no progress bar on stderr")
      .option("--format <format>", "table (default) or json", (v) => {
        if (v !== "json" && v !== "table") throw new InvalidArgumentError(`expected table or json, got \`${v}\``);
        return v;
      });

  common(program.command("matrix").description("users × data sources: masked columns and row access").argument("<bundle>", "bundle file or folder")).action(
    (path: string, o: BulkFlags) => {
      const bundle = load(path);
      if (!bundle.ok) return set(emit(bundle));
      const bar = progressBar("matrix", o.quiet);
      set(
        matrix(bundle.value, { ...bulkOptions(o), ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) }).then(
          (r) => {
            bar.stop();
            if (!r.ok) return emit(r);
            const m = r.value;
            const w = m.dataSources.length;
            const cell = (i: number, j: number) => ({ masked: m.masked[i * w + j]!, rows: ROW_MARK[m.rows[i * w + j]!]! });
            const summary = { users: m.users.length, dataSources: w, cells: m.users.length * w, groups: m.groups };
            if (o.format === "json") {
              const cells = (function* () {
                for (let i = 0; i < m.users.length; i++) for (let j = 0; j < w; j++) yield { user: m.users[i], dataSource: m.dataSources[j], ...cell(i, j) };
              })();
              return { stdout: "", stderr: "", code: 0, chunks: ndjson(cells, summary) };
            }
            const rows = (function* () {
              for (let i = 0; i < m.users.length; i++) yield [String(m.users[i]), ...m.dataSources.map((_, j) => `${cell(i, j).masked}m ${cell(i, j).rows}`)];
            })();
            return { stdout: "", stderr: "", code: 0, chunks: table(["user \\ source", ...m.dataSources.map(String)], rows) };
          },
          (e: unknown) =>
            emit({ ok: false, issues: [{ code: "internal_error", path: [], message: `internal error: ${e instanceof Error ? e.message : String(e)}` }] }),
        ),
      );
    },
  );

  common(
    program
      .command("diff")
      .description("who gains or loses what between two bundles (exit 1 when anything changes)")
      .argument("<before>", "bundle before")
      .argument("<after>", "bundle after")
      .option("--policies", "also list cells where only the policy text changed, not what the user sees"),
  ).action((beforePath: string, afterPath: string, o: BulkFlags) => {
    const before = load(beforePath);
    if (!before.ok) return set(emit(before));
    const after = load(afterPath);
    if (!after.ok) return set(emit(after));
    const bar = progressBar("diff", o.quiet);
    set(
      diff(before.value, after.value, { ...bulkOptions(o), ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) }).then(
        (r) => {
          bar.stop();
          if (!r.ok) return emit(r);
          const d = r.value;
          // Exit 1 only for access changes: a change in how policies are written alone is reported, not gated on.
          const code = d.changedCells > 0 ? 1 : 0;
          const summary = {
            compared: d.compared,
            changedCells: d.changedCells,
            kinds: d.kinds,
            dataSources: d.dataSources.length,
            groups: d.groups,
            policyChangedCells: d.policyChangedCells,
          };
          const policyLines = o.policies ? d.policyChanges.map((p) => ({ ...p, change: "policy" })) : [];
          if (o.format === "json") return { stdout: "", stderr: "", code, chunks: ndjson([...d.changes.map(changeRecord), ...policyLines], summary) };
          const chunks = (function* () {
            if (d.changes.length === 0) yield "no change\n";
            else
              yield* table(
                ["user", "source", "what", "change", "policies"],
                (function* () {
                  for (const c of d.changes) yield* changeRows(c);
                })(),
              );
            if (o.policies && policyLines.length > 0) {
              yield "policy text changed (not what the user sees):\n";
              yield* table(
                ["user", "source"],
                (function* () {
                  for (const p of d.policyChanges) yield [String(p.user), String(p.dataSource)];
                })(),
              );
            }
            yield `${d.changedCells} of ${d.compared} (user, source) cells changed${d.policyChangedCells > 0 ? `; ${d.policyChangedCells} more changed only in policy text (--policies lists them)` : ""}\n`;
          })();
          return { stdout: "", stderr: "", code, chunks };
        },
        (e: unknown) =>
          emit({ ok: false, issues: [{ code: "internal_error", path: [], message: `internal error: ${e instanceof Error ? e.message : String(e)}` }] }),
      ),
    );
  });
}
