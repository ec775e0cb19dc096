/**
 * The text form of an explanation, for one screen: who on what, a table of columns, why
 * each governed column is masked or clear, each row policy's part, and what did not bind.
 */
import type {
  ColumnExplanation,
  ConditionExplanation,
  Explanation,
  MaskExplanation,
  PolicyRef,
  RowPolicyExplanation,
  RowRuleDetail,
  RuleExplanation,
} from "./types.js";

/** Options for `formatExplanation`. */
export interface FormatOptions {
  /** ANSI colours for a terminal (default off: the text is the same, without escapes). */
  readonly color?: boolean;
}

type Paint = (code: string, s: string) => string;

function painter(color: boolean): Paint {
  return color ? (c, s) => `\u001b[${c}m${s}\u001b[0m` : (_c, s) => s;
}

const BOLD = "1";
const DIM = "2";
const RED = "31";
const GREEN = "32";
const YELLOW = "33";

/** A policy as a reader finds it: its name, and its id (or "local"). */
function policyText(p: PolicyRef): string {
  return `"${p.name}" (${p.id === null ? "local" : `id ${p.id}`})`;
}

function maskText(m: MaskExplanation): string {
  const meta = Object.entries(m.metadata)
    .filter(([k]) => k !== "constant" || m.actionType === "Constant")
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  const when = m.conditionalPredicate !== undefined ? ` where ${m.conditionalPredicate}` : "";
  return `${m.actionType}${meta.length > 0 ? ` (${meta.join(", ")})` : ""}${when}`;
}

/** At most `max` names, then how many more. */
function some(names: readonly string[], max = 3): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} (+${names.length - max} more)`;
}

/** A condition by the tests that decided it: under `any` those that matched (or none did), under `all` those that failed (or all held). */
function conditionText(c: ConditionExplanation): string {
  const tests = c.items.map((i) => ({ holds: i.holds, text: i.kind === "attribute" ? `attribute \`${i.name}\`=\`${i.value}\`` : `${i.kind} \`${i.name}\`` }));
  if (c.advanced)
    tests.push({ holds: c.advanced.holds === true, text: `advanced \`${c.advanced.expression}\`${c.advanced.holds === null ? " (cannot be evaluated)" : ""}` });
  const held = tests.filter((t) => t.holds).map((t) => t.text);
  const failed = tests.filter((t) => !t.holds).map((t) => t.text);
  if (c.holds === null) return `${c.operator} of ${some(tests.map((t) => t.text))}: cannot be evaluated`;
  if (tests.length === 1) return c.holds ? `matched ${tests[0]!.text}` : `${tests[0]!.text} did not match`;
  if (c.operator === "any") return c.holds ? `matched ${some(held)}` : `none of ${tests.length} matched: ${some(failed)}`;
  return c.holds ? `all ${tests.length} held: ${some(held)}` : `${failed.length} of ${tests.length} failed: ${some(failed)}`;
}

/** One rule's audience outcome in words. */
function ruleText(r: RuleExplanation): string {
  const head = `rules[${r.ruleIndex}]`;
  const closed = r.failedClosed ? " (a condition cannot be evaluated: the rule applies, failing closed)" : "";
  switch (r.outcome) {
    case "everyone":
      return `${head} applies to everyone`;
    case "not-excepted":
      return `${head} applies, not excepted: exceptions ${conditionText(r.exceptions!)}${closed}`;
    case "excepted":
      return `${head} does not apply, excepted: exceptions ${conditionText(r.exceptions!)}`;
    case "included":
      return `${head} applies, included: inclusions ${conditionText(r.inclusions!)}${r.exceptions ? `; exceptions ${conditionText(r.exceptions)}` : ""}${closed}`;
    case "not-included":
      return `${head} does not apply, not included: inclusions ${conditionText(r.inclusions!)}`;
    case "earlier-rule-applied":
      return `${head} not reached: an earlier rule applied`;
  }
}

/** Rows of cells as aligned text, two spaces apart. */
function table(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => (i === r.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - [...c].length)))
        .join("  ")
        .trimEnd(),
  );
}

function via(c: ColumnExplanation): string {
  if (c.policy === null) return "";
  if (c.depth === null) return "the local policy on the column";
  return c.tag === null ? "a selector without a tag" : `tag \`${c.tag}\` (depth ${c.depth})`;
}

/** The table's mask cell: the mask, marked when it is a type fallback. */
function maskCell(c: ColumnExplanation): string {
  if (!c.mask) return "clear";
  const fallback = c.rules.find((r) => r.applied)?.fallback;
  return fallback ? `${maskText(c.mask)} (fallback from ${fallback.authored.actionType})` : maskText(c.mask);
}

function columnLines(c: ColumnExplanation, paint: Paint, seen: Map<string, string>): string[] {
  const p = c.policy!;
  const applied = c.rules.find((r) => r.applied);
  const head = c.mask
    ? `${paint(BOLD, c.column)}: ${paint(YELLOW, maskText(c.mask))} by ${policyText(p)} actions[${p.actionIndex}].rules[${applied?.ruleIndex}], through ${via(c)}`
    : `${paint(BOLD, c.column)}: ${paint(GREEN, "clear")}: no rule of ${policyText(p)} (through ${via(c)}) applies`;
  const out = [head];
  for (const r of c.rules) {
    // The same rule with the same outcome on another column: said once.
    const key = JSON.stringify([p, r.ruleIndex, r.outcome, r.exceptions, r.inclusions]);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, c.column);
    out.push(first === undefined ? `  ${ruleText(r)}` : `  rules[${r.ruleIndex}]: as for ${first}`);
    if (r.fallback && r.applied)
      out.push(
        `    fallback: ${maskText(r.fallback.authored)} does not fit the column's type \`${c.dataType}\`, so ${maskText(r.mask)} (changedOnApply: dataTypeMismatch)`,
      );
  }
  for (const l of c.lost) out.push(`  lost: ${policyText(l.policy)} actions[${l.policy.actionIndex}]: ${l.because}: ${l.detail}`);
  return out;
}

function detailText(d: RowRuleDetail): string {
  switch (d.kind) {
    case "entitlements": {
      const matches = d.matches.map((m) => {
        const what = m.type === "attribute" ? `attribute \`${m.attribute}\`` : m.type;
        const mine = m.userValues.length > 0 ? m.userValues.join(", ") : "none";
        const hit = m.matched.length > 0 ? m.matched.join(", ") : "none";
        return `${what} vs column ${m.column}: the user has ${mine}; matched ${hit}`;
      });
      return `entitlements (${d.operator}): ${matches.join("; ")}; ${d.visible} of ${d.total} visibilities`;
    }
    case "customWhere":
      return d.predicate === null ? `custom WHERE \`${d.authored}\` cannot be applied: ${d.reason}` : `WHERE ${d.predicate}`;
    case "time": {
      const col = d.column ?? "(no eventTime column)";
      const cmp = d.direction === "newer" ? "≥" : "<";
      return `time: ${d.direction} than ${d.seconds} s: ${col} ${cmp} ${d.windowStart ?? "now − window (no --now given)"}`;
    }
    case "minimization":
      return `minimization: ${d.percent}% of rows, by hashing ${d.hashPhrase ?? "(no highCardinality column)"}`;
    case "purpose":
      return `purpose restriction (${d.operator} of ${d.purposes.map((p) => `\`${p}\``).join(", ")}): ${d.met ? "met" : "not met"}`;
    case "never":
      return "never: no rows";
  }
}

function rowPolicyLines(p: RowPolicyExplanation, paint: Paint): string[] {
  const name = `${policyText(p.policy)} actions[${p.policy.actionIndex}] (${p.type})`;
  const effect =
    p.effect === null
      ? paint(DIM, "no rule applies")
      : p.effect === "hides"
        ? paint(RED, "hides")
        : p.effect === "overridden"
          ? "overridden (a stricter rule of its kind wins)"
          : p.effect;
  const out = [`${name}: ${effect}${p.detail ? ` — ${detailText(p.detail)}` : ""}`];
  for (const r of p.rules) out.push(`  ${ruleText(r)}`);
  return out;
}

/** The explanation as text for one screen (see docs/explain.md). */
export function formatExplanation(e: Explanation, options: FormatOptions = {}): string {
  const paint = painter(options.color === true);
  const u = e.user;
  const attrs = Object.entries(u.attributes).map(([k, v]) => `${k}=${v.join("|")}`);
  const lines: string[] = [
    paint(BOLD, `${u.name} (profile ${u.profileId}) on ${e.dataSource.name} (data source ${e.dataSource.id}, ${e.dataSource.dialect})`),
    `  groups: ${u.groups.join(", ") || "none"}; attributes: ${attrs.join(", ") || "none"}; purposes: ${u.purposes.join(", ") || "none"} (${u.project ? `project "${u.project.name}" (id ${u.project.id})` : "no project"}); now: ${e.now ?? "not given"}`,
    "",
    paint(BOLD, "COLUMNS"),
    ...table([
      ["column", "type", "mask", "policy", "via"],
      ...e.columns.map((c) => [c.column, c.dataType, maskCell(c), c.policy ? policyText(c.policy) : "-", via(c)]),
    ]),
  ];
  const governed = e.columns.filter((c) => c.policy !== null);
  if (governed.length > 0) {
    lines.push("", paint(BOLD, "WHY"));
    const seen = new Map<string, string>();
    for (const c of governed) lines.push(...columnLines(c, paint, seen).map((l) => `  ${l}`));
  }
  const rows = e.rows;
  const access = rows.access === "none" ? paint(RED, "none") : rows.access;
  const hidden =
    rows.hiddenBy === null ? "" : ` (${rows.hiddenBy === "visibilities" ? "no visibility matches the user's entitlements" : `hidden by ${rows.hiddenBy}`})`;
  const vis = rows.visibilities
    ? `; visibilities: ${rows.visibilities.visible.length} of ${rows.visibilities.total} over ${rows.visibilities.columns.join(", ")}`
    : "";
  lines.push("", `${paint(BOLD, "ROWS")}: ${access}${hidden}${vis}`);
  if (rows.policies.length === 0) lines.push("  no row policy binds to this data source");
  for (const p of rows.policies) lines.push(...rowPolicyLines(p, paint).map((l) => `  ${l}`));
  if (rows.denial)
    lines.push(
      `  denial: ${rows.denial.reason} (${policyText(rows.denial.policy)} actions[${rows.denial.policy.actionIndex}].rules[${rows.denial.ruleIndex}])`,
    );
  for (const pr of rows.problems)
    lines.push(`  problem: ${pr.message} (${policyText(pr.policy)} actions[${pr.policy.actionIndex}].rules[${pr.ruleIndex}]): no rows, failing closed`);
  if (e.skipped.length > 0) {
    lines.push("", paint(BOLD, "NOT BOUND HERE"));
    for (const s of e.skipped) {
      const who = `"${s.name}" (${s.id === null ? "local" : `id ${s.id}`})${s.actionIndex !== undefined ? ` actions[${s.actionIndex}]` : ""}`;
      const why = s.circumstances
        ? s.circumstances.map((c, i) => `${i === 0 ? "" : `${c.join} `}${c.circumstance} ${c.holds ? "✓" : "✗"}`).join(" ")
        : (s.detail ?? "");
      lines.push(`  ${who}: ${s.reason}${why ? `: ${why}` : ""}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
