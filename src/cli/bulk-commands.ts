import { InvalidArgumentError, type Command } from "commander";
import { diff, matrix, type Bundle, type Result, type ThreadedBulkOptions } from "../node.js";
import type { CliOutput } from "./output.js";

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
}

function bulkOptions(o: BulkFlags): ThreadedBulkOptions {
  return {
    ...(o.users ? { users: o.users } : {}),
    ...(o.dataSources ? { dataSources: o.dataSources } : {}),
    ...(o.now ? { now: o.now } : {}),
    workers: o.workers ?? 1,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
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
      .option("--format <format>", "table (default) or json", (v) => {
        if (v !== "json" && v !== "table") throw new InvalidArgumentError(`expected table or json, got \`${v}\``);
        return v;
      });

  common(program.command("matrix").description("users × data sources: masked columns and row access").argument("<bundle>", "bundle file or folder")).action(
    (path: string, o: BulkFlags) => {
      const bundle = load(path);
      if (!bundle.ok) return set(emit(bundle));
      set(
        matrix(bundle.value, bulkOptions(o)).then(
          (r) => {
            if (!r.ok) return emit(r);
            const m = r.value;
            const cells = m.users.map((_, i) =>
              m.dataSources.map((_, j) => ({ masked: m.masked[i * m.dataSources.length + j]!, rows: ROW_MARK[m.rows[i * m.dataSources.length + j]!]! })),
            );
            if (o.format === "json") return emit({ ok: true, value: { users: m.users, dataSources: m.dataSources, groups: m.groups, cells } });
            const header = ["user \\ source", ...m.dataSources.map(String)];
            return { stdout: table([header, ...m.users.map((u, i) => [String(u), ...cells[i]!.map((c) => `${c.masked}m ${c.rows}`)])]), stderr: "", code: 0 };
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
      .argument("<after>", "bundle after"),
  ).action((beforePath: string, afterPath: string, o: BulkFlags) => {
    const before = load(beforePath);
    if (!before.ok) return set(emit(before));
    const after = load(afterPath);
    if (!after.ok) return set(emit(after));
    set(
      diff(before.value, after.value, bulkOptions(o)).then(
        (r) => {
          if (!r.ok) return emit(r);
          const d = r.value;
          const code = d.changedCells > 0 ? 1 : 0;
          if (o.format === "json") return { ...emit({ ok: true, value: d }), code };
          const rows = d.changes.flatMap((c) => [
            ...Object.entries(c.masked ?? {}).map(([col, [x, y]]) => [String(c.user), String(c.dataSource), col, `${x ?? "clear"} → ${y ?? "clear"}`]),
            ...(c.rows ? [[String(c.user), String(c.dataSource), "(rows)", `${c.rows[0]} → ${c.rows[1]}`]] : []),
            ...(c.filters && !c.rows ? [[String(c.user), String(c.dataSource), "(filters)", `${c.filters[0]} → ${c.filters[1]}`]] : []),
          ]);
          const body = rows.length ? table([["user", "source", "column", "change"], ...rows]) : "no change\n";
          return { stdout: body + `${d.changedCells} of ${d.compared} (user, source) cells changed\n`, stderr: "", code };
        },
        (e: unknown) =>
          emit({ ok: false, issues: [{ code: "internal_error", path: [], message: `internal error: ${e instanceof Error ? e.message : String(e)}` }] }),
      ),
    );
  });
}
