/**
 * Every YAML and JSON example in docs/bundle-format.md is a whole bundle document (a
 * bundle, a policy or a list of policies) and loads; a block that is not a document is
 * marked `<!-- not a document -->` on the line before it. The bundles under
 * docs/examples/ load too, except the one that shows errors.
 */
import { describe, expect, it } from "vitest";
import { formatIssue, loadBundleTexts } from "../../src/index.js";
import { loadBundleFile } from "../../src/node.js";
import { codeBlocks, read } from "./markdown.js";

const examples = codeBlocks(read("docs/bundle-format.md")).filter(
  (b) => (b.lang === "yaml" || b.lang === "json") && b.before.trim() !== "<!-- not a document -->",
);

describe("docs/bundle-format.md", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThan(15);
  });

  it.each(examples.map((b) => [`line ${b.line} (${b.lang})`, b] as const))("the example at %s loads", (_name, b) => {
    const r = loadBundleTexts([{ file: `example.${b.lang}`, text: b.body }]);
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([]);
  });
});

describe("docs/examples", () => {
  it.each(["docs/examples/policies", "docs/examples/web-sales-after.yaml"])("%s loads", (path) => {
    const r = loadBundleFile(path);
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([]);
  });

  it("web-sales-typo.yaml fails with both of its mistakes", () => {
    const r = loadBundleFile("docs/examples/web-sales-typo.yaml");
    expect(r.ok ? [] : r.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^unknown masking type `Scramble`/), "unknown key `exception`"]);
  });
});
