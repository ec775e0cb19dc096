/**
 * Scale benchmarks (issue 5): each figure in its own process on the built library;
 * prints a table with the targets and writes bench/results/latest.json together with
 * the peer results (bench/results/peers-latest.json, from bench/peers.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Figure, target (if any) and whether higher is better. */
const FIGURES: { name: string; label: string; target?: number; higher?: boolean }[] = [
  { name: "bind-one", label: "bind one source (M)" },
  { name: "bind-catalog", label: "bind 2k policies → 10k sources (L)", target: 2000 },
  { name: "decision", label: "decision per (user, source), fresh profile (M)" },
  { name: "first-decision", label: "createEngine → first decision (N=1000, C=200)", target: 10 },
  { name: "cli-start", label: "veil policy-info start-up vs node -e 0", target: 2 },
  { name: "visibility-report-1m", label: "visibilityReport over 1M visibilities" },
  { name: "matrix", label: "matrix 10k users × 1k sources (L subset)", target: 20 },
  { name: "diff", label: "diff 10k users × 50 sources (L subset)" },
  { name: "peak-memory-l", label: "peak RSS, L loaded and bound", target: 2048 },
  { name: "peer-bulk-20", label: "bulk decisions/s, peer workload C=20", target: 1_500_000, higher: true },
  { name: "peer-bulk-200", label: "bulk decisions/s, peer workload C=200", target: 300_000, higher: true },
];

const only = process.env["SCALE_FIGURES"]?.split(",");
const results: Record<string, unknown>[] = [];
const rows: string[][] = [["figure", "value", "unit", "target", "met", "s", "detail"]];
for (const f of FIGURES.filter((x) => !only || only.includes(x.name))) {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--max-old-space-size=6000", "--import", "tsx", "bench/scale-worker.ts", f.name], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 << 20,
  });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !last.startsWith("{")) {
    rows.push([f.label, "FAILED", "", "", "", "", r.stderr.trim().split("\n").slice(-3).join(" | ")]);
    continue;
  }
  const out = JSON.parse(last) as { value: number; unit: string; note?: string } & Record<string, unknown>;
  const met = f.target === undefined ? "" : (f.higher ? out.value >= f.target : out.value <= f.target) ? "yes" : "NO";
  const { figure: _f, value, unit, note, ...detail } = out;
  rows.push([
    f.label,
    value >= 100 ? value.toFixed(0) : value.toFixed(2),
    unit,
    f.target === undefined ? "" : `${f.higher ? "≥" : "≤"} ${f.target}`,
    met,
    ((performance.now() - started) / 1000).toFixed(0),
    Object.entries(detail)
      .map(([k, v]) => `${k}=${typeof v === "number" ? (v >= 100 ? v.toFixed(0) : v.toFixed(2)) : v}`)
      .join(" "),
  ]);
  results.push({ ...out, label: f.label, target: f.target ?? null, met: met || null, seconds: (performance.now() - started) / 1000 });
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));

mkdirSync(join(root, "bench", "results"), { recursive: true });
const peersFile = join(root, "bench", "results", "peers-latest.json");
const peers = existsSync(peersFile) ? (JSON.parse(readFileSync(peersFile, "utf8")) as unknown) : null;
// 1/5/15-minute load averages when the figures were done: other processes on the machine skew timings.
const machine = { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? "", load: loadavg() };
// With SCALE_FIGURES, the figures not rerun are kept from the last full run (each keeps its own `machine` then).
const latestFile = join(root, "bench", "results", "latest.json");
let scale: Record<string, unknown>[] = results.map((r) => ({ ...r, machine }));
if (only && existsSync(latestFile)) {
  const previous = (JSON.parse(readFileSync(latestFile, "utf8")) as { scale?: Record<string, unknown>[] }).scale ?? [];
  const fresh = new Map(scale.map((r) => [r["figure"], r]));
  scale = FIGURES.flatMap((f) => {
    const r = fresh.get(f.name) ?? previous.find((p) => p["figure"] === f.name);
    return r ? [r] : [];
  });
}
writeFileSync(latestFile, JSON.stringify({ machine, scale, peers }, null, 2) + "\n");
