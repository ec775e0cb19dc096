/**
 * Golden explanations (fixtures/explain/cases.yaml): the Explanation JSON and its text
 * form, byte for byte, over the seed, the scenarios and real corpus policies. Each one
 * is also held to the reports: explain says a column is masked exactly when policyInfo
 * masks it, with the same kind, and gives the rows' access the matrix would.
 * UPDATE_GOLDEN=1 rewrites the expected files; review every diff it makes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createEngine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/explain/explain.js";
import { formatExplanation } from "../../../src/explain/format.js";
import { loadBundleTexts } from "../../../src/model/documents.js";
import type { Bundle } from "../../../src/model/bundle.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures");
const DIR = join(FIXTURES, "explain");
const update = process.env["UPDATE_GOLDEN"] === "1";

const CasesSchema = z.strictObject({
  cases: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9-]+$/),
        bundle: z.array(z.string()).min(1),
        dataSource: z.union([z.number(), z.string()]),
        user: z.union([z.number(), z.string()]),
        projectId: z.number().int().optional(),
        now: z.string().optional(),
      }),
    )
    .min(1),
});
const { cases } = CasesSchema.parse(parse(readFileSync(join(DIR, "cases.yaml"), "utf8")));

function bundleOf(files: readonly string[]): Bundle {
  const b = loadBundleTexts(files.map((f) => ({ file: f, text: readFileSync(join(FIXTURES, f), "utf8") })));
  if (!b.ok) throw new Error(b.issues.map((i) => `${i.file}: ${i.path.join(".")}: ${i.message}`).join("\n"));
  return b.value;
}

function check(actual: string, file: string): void {
  const path = join(DIR, file);
  if (update) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden explanations", () => {
  it("covers the seed, scenarios and the corpus", () => {
    const sources = new Set(cases.flatMap((c) => c.bundle.map((f) => f.split("/")[0])));
    expect([...sources].sort()).toEqual(["corpus", "explain", "scenarios", "seed"]);
  });

  it("docs/explain.md shows a golden text verbatim", () => {
    const doc = readFileSync(join(FIXTURES, "..", "docs", "explain.md"), "utf8");
    const m = /<!-- explain-example: ([\w.-]+) -->\n```text\n([\s\S]*?)```/.exec(doc);
    expect(m).not.toBeNull();
    expect(m![2]).toBe(readFileSync(join(DIR, m![1]!), "utf8"));
  });

  for (const c of cases) {
    it(c.name, () => {
      const bundle = bundleOf(c.bundle);
      const request = { dataSource: c.dataSource, user: c.user, projectId: c.projectId ?? null, ...(c.now ? { now: c.now } : {}) };
      const e = explain(bundle, request);
      if (!e.ok) throw new Error(e.issues.map((i) => i.message).join("\n"));
      check(`${JSON.stringify(e.value, null, 2)}\n`, `${c.name}.json`);
      check(formatExplanation(e.value), `${c.name}.txt`);

      // Explain reads the same decisions the reports render.
      const engine = createEngine(bundle);
      const info = engine.policyInfo(request);
      if (!info.ok) throw new Error("policyInfo");
      const masked = e.value.columns.filter((col) => col.mask !== null).map((col) => [col.column, col.mask!.actionType]);
      expect(masked).toEqual(info.value.masked.map((m) => [m.name, m.actionType]));
      const d = engine.decide(request);
      if (!d.ok) throw new Error("decide");
      expect(e.value.rows.access).toBe(d.value.rows.access);
      expect(e.value.rows.denial?.reason).toBe(d.value.rows.denied ?? undefined);
    });
  }
});
