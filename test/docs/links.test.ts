/**
 * The documentation stays inside the repository: nothing in README.md or docs/ points
 * outside the repository (the project's private specification sits beside it), and every relative link lands
 * on a file that exists, and on a heading that exists when it names one. A path into the
 * installed package (`node_modules/veil-policy/…`, as editors read the JSON Schema) must
 * be a file the package ships at that path: editors read files, not the `exports` map.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchors, documentationFiles, linkTargets, read, resolveLink, ROOT } from "./markdown.js";

const files = documentationFiles();
const markdown = files.filter((f) => f.endsWith(".md"));

describe("documentation links", () => {
  it("covers README.md and docs/", () => {
    expect(markdown).toEqual(expect.arrayContaining(["README.md", "docs/semantics.md", "docs/bundle-format.md", "docs/cli.md"]));
  });

  it.each(files)("%s has no link or path outside the repository", (file) => {
    const text = read(file);
    expect(text).not.toMatch(/\.\.[\\/]shared\b/);
    expect(text).not.toMatch(/\bshared[\\/](spec|reference|corpus|design|hooks)\b/);
  });

  it.each(markdown)("every relative link in %s points to a file that exists", (file) => {
    const broken = linkTargets(read(file))
      .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t))
      .flatMap((t) => {
        const { path, fragment, exists } = resolveLink(file, t);
        if (!exists) return [`${t}: no file ${path}`];
        if (fragment !== undefined && path.endsWith(".md") && !anchors(read(path)).has(fragment)) return [`${t}: no heading #${fragment} in ${path}`];
        return [];
      });
    expect(broken).toEqual([]);
  });

  // Build output is needed to see what the package holds; `npm test` builds first.
  it("every path into node_modules/veil-policy/ names a file the package ships there", () => {
    const pkg = JSON.parse(read("package.json")) as { files?: string[] };
    const shipped = (p: string) => p === "package.json" || (pkg.files ?? []).some((f) => p === f || p.startsWith(`${f.replace(/\/$/, "")}/`));
    const paths = [...new Set(markdown.flatMap((file) => [...read(file).matchAll(/node_modules\/veil-policy\/([\w./-]+\w)/g)].map((m) => m[1]!)))];
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !shipped(p) || !existsSync(join(ROOT, p)))).toEqual([]);
  });
});
