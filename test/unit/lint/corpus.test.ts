/**
 * Lint on the real-world corpus (fixtures/corpus), each policy live and bound to a data
 * source that carries what it asks for: its circumstances (test/corpus/helpers.ts) and a
 * column for every tag its fields, entitlement matches and `@columnTagged` calls name.
 * Real policies written by others should come out clean: the one finding is real
 * (pttep-14's rules[4] repeats rules[2]'s audience, so it never applies).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, corpusJsonFiles, dataSource, factsOf } from "../../corpus/helpers.js";
import { lintOf } from "./helpers.js";

type Raw = { type?: string; actions?: { rules?: { config?: { fields?: { columnTag?: string }[]; matches?: { tag?: string }[]; predicate?: string } }[] }[] };

/** Every tag a data policy's rules name. */
function tagsOf(p: Raw): string[] {
  const tags = new Set<string>();
  for (const a of p.actions ?? [])
    for (const r of a.rules ?? []) {
      for (const f of r.config?.fields ?? []) if (f.columnTag) tags.add(f.columnTag);
      for (const m of r.config?.matches ?? []) if (m.tag) tags.add(m.tag);
      for (const m of (r.config?.predicate ?? "").matchAll(/@columnTagged\('([^']+)'\)/g)) tags.add(m[1]!);
    }
  return [...tags];
}

const dataPolicies = corpusJsonFiles()
  .filter((f) => !f.endsWith(".src.json"))
  .map((f) => [f, JSON.parse(readFileSync(join(CORPUS, f), "utf8")) as Raw & Record<string, unknown>] as const)
  .filter(([, p]) => p.type === "data");

describe("lint on the corpus, bound", () => {
  it("covers every data policy of the corpus", () => {
    expect(dataPolicies.length).toBe(22);
  });

  it.each(dataPolicies)("%s", (file, p) => {
    const columns = [{ name: "ID", dataType: "integer" }, ...tagsOf(p).map((t, i) => ({ name: `C${i}`, dataType: "text", tags: [t] }))];
    const r = lintOf({ dataSources: [dataSource(1, factsOf(p), columns)], globalPolicies: [{ ...p, staged: false }] });
    const expected = file.startsWith("pttep-14-")
      ? [["unreachable-rule", "globalPolicies.0.actions.0.rules.4", "rules[4] can never apply: rules[2] before it has the same audience"]]
      : [];
    expect(r.findings.map((f) => [f.code, f.path.join("."), f.message])).toEqual(expected);
  });
});
