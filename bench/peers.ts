/**
 * Peer benchmark (issue 5): Veil against a hand-written closure, json-logic-js and
 * Cedar-wasm on the exact peer workload, for N ∈ {10, 100, 1000} × C ∈ {20, 200}.
 * Every engine runs in its own child process (bench/peer-worker.ts); all engines must
 * return identical decisions (sha256 digest), and Veil's policyInfo JSON must equal the
 * closure's rendering byte for byte. Run: `npm run bench:peers` (or `npx tsx bench/peers.ts`).
 * Writes bench/results/peers-latest.json. Exits 1 on any mismatch or worker failure.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkTargets } from "./peers/targets.js";
import { ENGINES, type EngineName, type WorkerReport } from "./peers/types.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const CELLS = [10, 100, 1000].flatMap((n) => [20, 200].map((c) => [n, c] as const));
const only = process.env["PEERS_ENGINES"]?.split(",") ?? null;
const engines = ENGINES.filter((e) => !only || only.includes(e));

function runWorker(engine: EngineName, n: number, c: number): WorkerReport | string {
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/peer-worker.ts", engine, String(n), String(c)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 << 20,
  });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !last.startsWith("{")) return `exit ${r.status ?? r.signal}: ${r.stderr.trim().split("\n").slice(0, 6).join(" | ")}`;
  return JSON.parse(last) as WorkerReport;
}

/** Which Veil was measured: sha256 over src/ (paths and contents), since src/ changes between runs. */
function srcDigest(): string {
  const h = createHash("sha256");
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .sort();
  for (const f of files)
    h.update(`${f}\0`)
      .update(readFileSync(join(root, "src", f)))
      .update("\0");
  return h.digest("hex");
}

const fmt = (ns: number): string => (ns / 1000).toFixed(ns < 10_000 ? 2 : ns < 1_000_000 ? 1 : 0);
const baseline = (e: EngineName): EngineName => (e.endsWith("+json") ? "closure+json" : "closure");

const loadBefore = loadavg();
const srcBefore = srcDigest();
const t0 = performance.now();
const reports: WorkerReport[] = [];
const failures: string[] = [];
const rows: string[][] = [["N", "C", "engine", "µs/decision (p50)", "min", "samples×decisions", "× closure", "digest"]];
for (const [n, c] of CELLS) {
  const cell: WorkerReport[] = [];
  for (const engine of engines) {
    const r = runWorker(engine, n, c);
    if (typeof r === "string") {
      failures.push(`N=${n} C=${c} ${engine}: worker failed: ${r}`);
      rows.push([String(n), String(c), engine, "FAILED", "", "", "", ""]);
      continue;
    }
    cell.push(r);
    reports.push(r);
  }
  // Every engine of a kind must agree with the first of that kind (the closure, for decisions).
  for (const kind of ["decision", "json"] as const) {
    const ofKind = cell.filter((r) => r.kind === kind);
    for (const r of ofKind)
      if (r.digest !== ofKind[0]!.digest)
        failures.push(`N=${n} C=${c}: ${r.engine} ${kind} digest ${r.digest.slice(0, 12)} ≠ ${ofKind[0]!.engine} ${ofKind[0]!.digest.slice(0, 12)}`);
  }
  for (const r of cell) {
    const base = cell.find((b) => b.engine === baseline(r.engine));
    rows.push([
      String(n),
      String(c),
      r.engine,
      fmt(r.medianNs),
      fmt(r.minNs),
      `${r.samplesNs.length}×${r.perSample}`,
      base ? (r.medianNs / base.medianNs).toFixed(2) : "—",
      r.digest.slice(0, 8),
    ]);
  }
}

const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((x, k) => (k < 3 ? x.padEnd(widths[k]!) : x.padStart(widths[k]!))).join("  "));
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
console.log("(× closure: +json engines are compared with closure+json; veil-fresh-user is informational: Veil with the user prepared on every call)\n");

const targets = checkTargets(reports, CELLS);
for (const t of targets)
  console.log(`${t.pass ? "PASS" : "FAIL"}  ${t.target.padEnd(34)} N=${String(t.n).padEnd(4)} C=${String(t.c).padEnd(3)} ratio ${t.value.toFixed(2)}`);

const seconds = (performance.now() - t0) / 1000;
const srcAfter = srcDigest();
if (srcAfter !== srcBefore) console.warn("\nWARNING: src/ changed during the run: workers measured different Veil versions; rerun on a quiet tree.");
mkdirSync(join(root, "bench/results"), { recursive: true });
const out = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpu: cpus()[0]?.model ?? "unknown",
  seconds,
  /** 1/5/15-minute load averages before and after: other processes on the machine skew timings. */
  load: { before: loadBefore, after: loadavg() },
  srcDigest: { before: srcBefore, after: srcAfter },
  unit: "ns per decision (median of samples)",
  results: reports,
  targets,
  failures,
};
writeFileSync(join(root, "bench/results/peers-latest.json"), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\n${reports.length} engine-cells in ${seconds.toFixed(0)} s; wrote bench/results/peers-latest.json`);

if (failures.length > 0) {
  console.error(`\n*** ${failures.length} FAILURE(S): engines disagree or crashed ***`);
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
console.log("all engines agree on every decision; veil+json and closure+json render identical policyInfo JSON");
