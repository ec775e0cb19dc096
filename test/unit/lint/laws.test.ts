/**
 * Laws of lint: where a policy sits in the list changes only the paths (policies with
 * ids and creation times are ordered by those, not by position), and linting is
 * deterministic.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { parse } from "yaml";
import type { Finding } from "../../../src/lint/index.js";
import { lintOf } from "./helpers.js";

const RAW = parse(readFileSync(join(import.meta.dirname, "../../../fixtures/lint/every-finding.yaml"), "utf8")) as { globalPolicies: { id: number }[] };

/** A finding with its policy position replaced by the policy's id, as a sortable key. */
const keyed = (f: Finding, ids: readonly number[]) =>
  JSON.stringify({ ...f, path: f.path[0] === "globalPolicies" ? ["globalPolicies", `id ${ids[f.path[1] as number]}`, ...f.path.slice(2)] : f.path });

test.prop(
  [
    fc.shuffledSubarray(
      RAW.globalPolicies.map((_, i) => i),
      { minLength: RAW.globalPolicies.length },
    ),
  ],
  { numRuns: 25 },
)("shuffling the policies changes nothing but their paths", (order) => {
  const base = RAW.globalPolicies.map((p) => p.id);
  const shuffled = order.map((i) => RAW.globalPolicies[i]!);
  const before = lintOf(RAW).findings.map((f) => keyed(f, base));
  const after = lintOf({ ...RAW, globalPolicies: shuffled }).findings.map((f) =>
    keyed(
      f,
      shuffled.map((p) => p.id),
    ),
  );
  expect(after.sort()).toEqual(before.sort());
  expect(lintOf({ ...RAW, globalPolicies: shuffled })).toEqual(lintOf({ ...RAW, globalPolicies: shuffled }));
});
