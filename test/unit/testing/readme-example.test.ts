/**
 * README.md's "Testing a policy change" example is test/testing-example.test.ts, which
 * vitest runs: the ts block must be the text between that file's README markers, with
 * the package names where the file imports the sources.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeBlocks, section } from "../../docs/markdown.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");

describe("README testing example", () => {
  it("is test/testing-example.test.ts, with package imports", () => {
    const block = codeBlocks(section(read("README.md"), "## Testing a policy change") ?? "").find((b) => b.lang === "ts");
    const file = read("test/testing-example.test.ts");
    const start = file.indexOf("// README example starts\n");
    const end = file.indexOf("// README example ends");
    expect(start).toBeGreaterThan(0);
    const shown = file
      .slice(start + "// README example starts\n".length, end)
      .replace('from "../src/node.js"', 'from "veil-policy/node"')
      .replace('from "../src/testing.js"', 'from "veil-policy/testing"')
      .trimEnd();
    expect(block?.body).toBe(shown);
  });
});
