/**
 * The README's library example runs verbatim. The first ```ts block under "## Library"
 * is written to a temporary file with its package imports pointed at the sources
 * (`veil-policy` → src/index.ts, `veil-policy/node` → src/node.ts), run with
 * `node --import tsx` from the repository root, and must print exactly the seed's golden
 * policyInfo for Web Sales and user 2.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { codeBlocks, read, ROOT, section } from "./markdown.js";

const ENTRY: Record<string, string> = {
  "veil-policy": join(ROOT, "src/index.ts"),
  "veil-policy/node": join(ROOT, "src/node.ts"),
};

/** The seed case for Web Sales and user 2, and its expected policyInfo. */
function golden(): unknown {
  const scenario = parse(read("fixtures/seed/scenario.yaml")) as { cases: { dataSource: unknown; user: unknown; expect?: string }[] };
  const c = scenario.cases.find((x) => x.dataSource === "Web Sales" && x.user === 2 && x.expect);
  if (!c) throw new Error("fixtures/seed/scenario.yaml has no policyInfo case for Web Sales, user 2");
  return JSON.parse(read(`fixtures/seed/${c.expect}`));
}

describe("README library example", () => {
  const library = section(read("README.md"), "## Library");
  const example = library === undefined ? undefined : codeBlocks(library).find((b) => b.lang === "ts");

  it("is a ts block under ## Library that imports veil-policy", () => {
    expect(example?.body).toMatch(/from "veil-policy"/);
  });

  it("runs verbatim and prints the golden policyInfo for Web Sales, user 2", () => {
    const unknown: string[] = [];
    const code = example!.body.replace(/(\bfrom\s*|\bimport\s*\(\s*)(["'])(veil-policy[^"']*)\2/g, (_m, lead: string, q: string, spec: string) => {
      const entry = ENTRY[spec];
      if (!entry) unknown.push(spec);
      return `${lead}${q}${entry ? pathToFileURL(entry).href : spec}${q}`;
    });
    expect(unknown).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "veil-readme-"));
    try {
      // An ES module, as in a package with "type": "module".
      writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
      const file = join(dir, "readme-example.ts");
      writeFileSync(file, code);
      const stdout = execFileSync(process.execPath, ["--import", "tsx", file], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
      const printed: unknown = JSON.parse(stdout);
      expect(printed).toEqual(golden());
      // Key order too: Immuta's JSON is compared byte for byte.
      expect(JSON.stringify(printed)).toBe(JSON.stringify(golden()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
