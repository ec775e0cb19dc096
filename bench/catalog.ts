/**
 * Catalog scale (issue 12): the built `veil` CLI on 10,000 users × 10,000 sources (L: 100
 * columns, 2,000 policies), output streamed to a byte counter:
 * - `veil matrix --format json` (100M cells, NDJSON), on 2 worker threads and on 1;
 * - `veil diff --format json` after ten leaf-tag masking policies change kind, on 1 thread;
 * - `veil diff --format json` on 10,000 users × 1,000 sources with the same edit (about 300
 *   sources change), on 1 and 2 threads, and the library `diff(…, {detail: "summary"})`.
 * Wall time and peak RSS come from /usr/bin/time (Linux). Writes bench/results/catalog-latest.json.
 * Usage: npm run -s build && npx tsx bench/catalog.ts   (takes about a quarter of an hour)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateBundle } from "./generate.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli", "main.js");
const tmp = mkdtempSync(join(tmpdir(), "veil-catalog-"));

/** Before and after: ten leaf-tag masking policies (they win their columns) change mask kind. */
function pair(sources: number, users: number): [string, string] {
  const obj = generateBundle("L", { sources, users }) as { globalPolicies: { actions: { rules: { type: string; config: Record<string, unknown> }[] }[] }[] };
  const before = join(tmp, `before-${sources}.json`);
  writeFileSync(before, JSON.stringify(obj));
  obj.globalPolicies
    .map((p) => p.actions[0]!.rules[0]!)
    .filter((r) => r.type === "Masking" && (r.config["fields"] as { columnTag: string }[])[0]!.columnTag.split(".").length === 3)
    .slice(0, 10)
    .forEach((r) => (r.config["maskingConfig"] = { type: "Constant", constant: "CHANGED" }));
  const after = join(tmp, `after-${sources}.json`);
  writeFileSync(after, JSON.stringify(obj));
  return [before, after];
}

/** Runs the CLI under /usr/bin/time, stdout counted by `wc -c`. */
function measure(label: string, args: string[]) {
  const r = spawnSync(
    "bash",
    ["-c", `/usr/bin/time -f '%e %M' node ${cli} ${args.map((a) => `'${a}'`).join(" ")} 2>"${tmp}/time" | wc -c; cat "${tmp}/time"`],
    {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    },
  );
  const lines = r.stdout.trim().split("\n");
  const bytes = Number(lines[0]);
  const [seconds, kb] = lines.at(-1)!.split(" ").map(Number);
  const out = { label, seconds: seconds!, peakRssMB: Math.round(kb! / 1024), outputMB: Math.round(bytes / 1e6) };
  console.log(`${label.padEnd(58)} ${String(out.seconds).padStart(7)} s  ${String(out.peakRssMB).padStart(5)} MB peak  ${out.outputMB} MB out`);
  return out;
}

const results: Record<string, unknown>[] = [];
const [b10k, a10k] = pair(10_000, 10_000);
results.push(measure("matrix 10k × 10k, --format json, 2 threads", ["matrix", b10k, "--format", "json", "--workers", "2", "--quiet"]));
results.push(measure("matrix 10k × 10k, --format json, 1 thread", ["matrix", b10k, "--format", "json", "--quiet"]));
results.push(measure("diff 10k × 10k, --format json, 1 thread", ["diff", b10k, a10k, "--format", "json", "--quiet"]));
const [b1k, a1k] = pair(1_000, 10_000);
results.push(measure("diff 10k users × 1k sources, --format json, 1 thread", ["diff", b1k, a1k, "--format", "json", "--quiet"]));
results.push(measure("diff 10k users × 1k sources, --format json, 2 threads", ["diff", b1k, a1k, "--format", "json", "--quiet", "--workers", "2"]));

// The library, counts only: what a CI gate needs.
type Veil = typeof import("../src/node.js");
const veil = (await import(new URL("../dist/node.js", import.meta.url).href)) as Veil;
const before = veil.loadBundleFile(b1k);
const after = veil.loadBundleFile(a1k);
if (!before.ok || !after.ok) throw new Error("bundles do not load");
for (const workers of [1, 2]) {
  const t = performance.now();
  const d = await veil.diff(before.value, after.value, { workers, detail: "summary" });
  if (!d.ok) throw new Error(d.issues.map((i) => i.message).join("; "));
  const seconds = (performance.now() - t) / 1000;
  const label = `library diff 10k users × 1k sources, summary, ${workers} thread${workers > 1 ? "s" : ""}`;
  console.log(`${label.padEnd(58)} ${seconds.toFixed(2).padStart(7)} s  (${d.value.changedCells} cells changed on ${d.value.dataSources.length} sources)`);
  results.push({ label, seconds, changedCells: d.value.changedCells, sources: d.value.dataSources.length, target: 10 });
}

const machine = { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? "", load: loadavg() };
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(join(root, "bench", "results", "catalog-latest.json"), `${JSON.stringify({ machine, results }, null, 2)}\n`);
rmSync(tmp, { recursive: true, force: true });
