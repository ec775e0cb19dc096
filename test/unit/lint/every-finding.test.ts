/** fixtures/lint/every-finding.yaml trips every finding code: each is asserted where it is expected. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundleFile } from "../../../src/io/load.js";
import { FINDING_CODES, lint, LintReportSchema, SEVERITY_OF } from "../../../src/lint/index.js";

const FILE = join(import.meta.dirname, "../../../fixtures/lint/every-finding.yaml");

function report() {
  const b = loadBundleFile(FILE);
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  return lint(b.value);
}

/** Each code, with the (path, data source) of every finding the fixture is built to trip. */
const EXPECTED: Record<(typeof FINDING_CODES)[number], [string, string | undefined][]> = {
  "column-tagged-absent": [
    ["globalPolicies.6.actions.0.rules.0.config.predicate", "Leads"],
    ["globalPolicies.6.actions.0.rules.0.config.predicate", "Orders"],
    ["globalPolicies.8.actions.0.rules.0.config.conditionalPredicate", "Leads"],
  ],
  "entitlement-column-absent": [
    ["globalPolicies.7.actions.0.rules.0.config.matches.0", "Customers"],
    ["globalPolicies.7.actions.0.rules.0.config.matches.0", "Orders"],
  ],
  "policy-reaches-nothing": [
    ["globalPolicies.3", undefined],
    ["globalPolicies.7", undefined],
  ],
  "dead-selector": [
    ["globalPolicies.3.actions.0.rules.0.config.fields.0", undefined],
    ["globalPolicies.3.actions.0.rules.0.config.fields.1", undefined],
    ["globalPolicies.3.circumstances.1", undefined],
  ],
  "unreachable-rule": [["globalPolicies.5.actions.0.rules.2", undefined]],
  "unknown-audience-member": [
    ["globalPolicies.2.actions.0.rules.0.exceptions", undefined],
    ["globalPolicies.5.actions.0.rules.0.exceptions", undefined],
    ["globalPolicies.5.actions.0.rules.2.inclusions", undefined],
  ],
  "staged-conflict": [
    ["globalPolicies.4", "Customers"],
    ["globalPolicies.4", "Leads"],
  ],
  "type-fallback": [
    ["globalPolicies.2.actions.0.rules.0", "Customers"],
    ["globalPolicies.2.actions.0.rules.0", "Orders"],
  ],
  "column-conflict": [
    ["dataSources.0.columns.1", "Customers"],
    ["dataSources.0.columns.2", "Customers"],
  ],
};

describe("every finding", () => {
  const r = report();

  it.each(FINDING_CODES)("trips %s where it is built to, with the code's severity", (code) => {
    const got = r.findings.filter((f) => f.code === code);
    expect(got.map((f) => [f.path.join("."), f.dataSource?.name])).toEqual(EXPECTED[code]);
    expect(got.every((f) => f.severity === SEVERITY_OF[code])).toBe(true);
  });

  it("has nothing else, sums by severity, and is plain JSON", () => {
    expect(r.findings).toHaveLength(Object.values(EXPECTED).flat().length);
    expect(r.summary).toEqual({ errors: 5, warnings: 13, infos: 2 });
    expect(LintReportSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });

  it("sorts errors first, then warnings, then infos, by path within each", () => {
    const ranks = r.findings.map((f) => ["error", "warning", "info"].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(report()).toEqual(r);
  });
});
