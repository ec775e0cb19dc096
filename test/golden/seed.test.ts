import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { loadBundleFile } from "../../src/io/load.js";
import { FIXTURES } from "./scenario.js";
import { renderedPolicy } from "../../src/report/policy-json.js";

const dir = join(FIXTURES, "seed");

it("binds the seed's two policies with Immuta's exact JSON and policyHash values", () => {
  const bundle = loadBundleFile(join(dir, "bundle.yaml"));
  if (!bundle.ok) throw new Error("seed bundle must load");
  const d = createEngine(bundle.value).decide({ dataSource: 16, user: 2 });
  if (!d.ok) throw new Error("seed must evaluate");
  const bound = d.value.masks
    .map((m) => ({ ...renderedPolicy(m.policy), rules: renderedPolicy(m.policy).rules.map((r) => ({ ...r, ruleAppliedForUser: m.applied !== null })) }))
    .sort((a, b) => String(a.global?.["originalPolicyId"]).localeCompare(String(b.global?.["originalPolicyId"])));
  const expected = JSON.parse(readFileSync(join(dir, "web-sales.policySet.json"), "utf8")) as unknown[];
  // The seed's policySet is a JSON string: compare compact bytes, key order included.
  expect(JSON.stringify(bound)).toBe(JSON.stringify(expected));
  expect(bound.map((p) => p.policyHash)).toEqual([
    "3a2faac13e332cca1829ed773afa298a5455ac5bb54e68c53ae00991575d2a4b",
    "2877a1ace4cfa6427370fd39b254ce0ea75dc22cb024a2f857e033c82a987f9a",
  ]);
});
