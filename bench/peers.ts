/**
 * Peer benchmark: Veil against a hand-written closure, json-logic-js and Cedar-wasm on
 * the exact peer workload (bench/peer-workload.ts: chains of rules per tag that fall
 * through when the user is excepted, a fresh user on every call, shuffled pairs), for
 * N ∈ {10, 100, 1000} × C ∈ {20, 200}. Each process group of engines runs in its own
 * child process (bench/peer-worker.ts; the closure and Veil share one and are sampled in
 * rounds, so their ratio is taken round by round); all engines must return identical
 * decisions (sha256 digest; the slowest peer, json-logic per column, on every 8th one),
 * and Veil's policyInfo JSON must equal the closure's rendering byte for byte.
 * Run: `npm run bench:peers` (or `npx tsx bench/peers.ts`). Writes
 * bench/results/peers-latest.json. Exits 1 on any mismatch or worker failure.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkTargets, ratio } from "./peers/targets.js";
import { ENGINES, PROCESS_GROUPS, type EngineName, type WorkerReport } from "./peers/types.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const CELLS = [10, 100, 1000].flatMap((n) => [20, 200].map((c) => [n, c] as const));
const only = process.env["PEERS_ENGINES"]?.split(",") ?? null;
const groups = PROCESS_GROUPS.map((g) => g.filter((e) => !only || only.includes(e))).filter((g) => g.length > 0);

function runWorker(group: readonly EngineName[], n: number, c: number): WorkerReport[] | string {
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/peer-worker.ts", group.join(","), String(n), String(c)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 << 20,
  });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !last.startsWith("[")) return `exit ${r.status ?? r.signal}: ${r.stderr.trim().split("\n").slice(0, 6).join(" | ")}`;
  return JSON.parse(last) as WorkerReport[];
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
  for (const group of groups) {
    const r = runWorker(group, n, c);
    if (typeof r === "string") {
      failures.push(`N=${n} C=${c} ${group.join(",")}: worker failed: ${r}`);
      rows.push([String(n), String(c), group.join(","), "FAILED", "", "", "", ""]);
      continue;
    }
    cell.push(...r);
    reports.push(...r);
  }
  // Fair figures first (fresh users); the cached-user figure last, labelled.
  cell.sort((a, b) => ENGINES.indexOf(a.engine) - ENGINES.indexOf(b.engine));
  // Every engine of a kind must agree with the first of that kind (the closure, for decisions).
  for (const kind of ["decision", "json"] as const) {
    const ofKind = cell.filter((r) => r.kind === kind);
    const first = ofKind[0];
    for (const r of ofKind) {
      // A peer checked on the subset only is compared on the subset.
      const [mine, theirs] = r.digest === null || first!.digest === null ? [r.subsetDigest, first!.subsetDigest] : [r.digest, first!.digest];
      if (mine !== theirs) failures.push(`N=${n} C=${c}: ${r.engine} ${kind} digest ${mine.slice(0, 12)} ≠ ${first!.engine} ${theirs.slice(0, 12)}`);
    }
  }
  for (const r of cell) {
    // A second closure (the baseline of another process) is shown as such; ratios pair with the closure of their own process.
    const again = r.engine === "closure" && cell.find((b) => b.engine === "closure") !== r;
    const x = again ? null : ratio(cell, r.engine, baseline(r.engine), n, c);
    rows.push([
      String(n),
      String(c),
      r.engine === "veil-cached-user" ? "veil-cached-user (NOT fair: users prepared once)" : again ? `closure (with ${r.group.slice(1).join(", ")})` : r.engine,
      fmt(r.medianNs),
      fmt(r.minNs),
      `${r.samplesNs.length}×${r.perSample}`,
      x === null ? "—" : x.toFixed(2),
      r.digest === null ? `${r.subsetDigest.slice(0, 6)}/8` : r.digest.slice(0, 8),
    ]);
  }
}

const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((x, k) => (k < 3 ? x.padEnd(widths[k]!) : x.padStart(widths[k]!))).join("  "));
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
console.log(
  [
    "(× closure: the median of per-round ratios for engines sampled in one process, else the ratio of medians; +json engines",
    " are compared with closure+json. Every engine but veil-cached-user evaluates a fresh user on every call: veil prepares it",
    " anew, veil-profile passes a profile object to engine.decide (validated each time), veil-unreachable is veil with 10,000",
    " rules no column reaches; veil-cached-user asks by profile id, so the engine reuses the prepared user and its memo.)\n",
  ].join("\n"),
);

// Target 2's mechanism, read off the runners: the conditions decisions reached (the memo's size) with and without the unreachable rules.
for (const r of reports)
  if (r.notes && (r.engine === "veil" || r.engine === "veil-unreachable"))
    console.log(
      `N=${String(r.n).padEnd(4)} C=${String(r.c).padEnd(3)} ${r.engine.padEnd(16)} conditions reached ${r.notes["conditionsReached"]} of ${r.notes["conditionsInSet"]}`,
    );
console.log();

const targets = checkTargets(reports, CELLS);
for (const t of targets)
  console.log(`${t.pass ? "PASS" : "FAIL"}  ${t.target.padEnd(38)} N=${String(t.n).padEnd(4)} C=${String(t.c).padEnd(3)} ratio ${t.value.toFixed(2)}`);

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
