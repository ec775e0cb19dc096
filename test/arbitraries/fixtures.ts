/**
 * Every fixture bundle as plain data, for the fuzzers: the seed, each scenario's
 * bundle*.{yaml,json}, and each corpus policy (JSON and YAML twins), the latter wrapped
 * into a bundle with a data source that satisfies its circumstances and users who carry
 * every group, attribute and purpose it names (so exceptions and inclusions really
 * split the users, and mutations have something to reveal).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { dataSource, factsOf } from "../corpus/helpers.js";

export const ROOT = join(import.meta.dirname, "..", "..");
const FIXTURES = join(ROOT, "fixtures");

export type Raw = Record<string, unknown>;

export interface Fixture {
  /** Path relative to the repository root. */
  readonly name: string;
  /** The bundle object (a fresh copy is the caller's job). */
  readonly bundle: Raw;
}

const read = (file: string): unknown => {
  const text = readFileSync(file, "utf8");
  return file.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
};

/** Every value in a tree, with the key it sits under (iterative: fixtures are small, but callers may pass mutants). */
function* entries(root: unknown): Generator<[key: string | number | undefined, value: unknown, parentKey: string | number | undefined]> {
  const stack: [string | number | undefined, unknown, string | number | undefined][] = [[undefined, root, undefined]];
  while (stack.length > 0) {
    const [key, value, parentKey] = stack.pop()!;
    yield [key, value, parentKey];
    if (Array.isArray(value)) value.forEach((v, i) => stack.push([i, v, key]));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) stack.push([k, v, key]);
  }
}

const tagName = (t: unknown): string | undefined =>
  typeof t === "string" ? t : t && typeof t === "object" && typeof (t as Raw)["name"] === "string" ? ((t as Raw)["name"] as string) : undefined;

/** A bundle around one corpus policy: one data source meeting its circumstances, three users who split its audiences. */
export function corpusBundle(policy: Raw): Raw {
  const tags = new Set<string>();
  const groups = new Set<string>();
  const attributes = new Map<string, Set<string>>();
  const purposes = new Set<string>();
  const addAttr = (name: unknown, value: unknown) => {
    if (typeof name !== "string" || typeof value !== "string") return;
    if (!attributes.has(name)) attributes.set(name, new Set());
    attributes.get(name)!.add(value);
  };
  for (const [key, value, parentKey] of entries(policy)) {
    if (key === "columnTag" || (parentKey === "fields" && typeof key === "number")) {
      const t = tagName(value) ?? tagName((value as Raw | null)?.["columnTag"]);
      if (t) tags.add(t);
    }
    if (key === "tag") {
      const t = tagName(value);
      if (t) tags.add(t);
    }
    if (typeof value === "string") for (const m of value.matchAll(/@columnTagged\('([^']*)'\)/g)) tags.add(m[1]!);
    if (key === "groups" && Array.isArray(value)) for (const g of value) if (typeof g === "string") groups.add(g);
    if (key === "group") {
      const g = tagName(value);
      if (g) groups.add(g);
    }
    if (key === "attributes" && Array.isArray(value)) for (const a of value) addAttr((a as Raw)?.["name"], (a as Raw)?.["value"]);
    if (key === "authorization" && value && typeof value === "object") addAttr((value as Raw)["auth"], (value as Raw)["value"]);
    if (key === "purposes" && Array.isArray(value)) for (const p of value) if (typeof p === "string") purposes.add(p);
  }
  const columns = [{ name: "id", dataType: "integer" }, ...[...tags].sort().map((t, i) => ({ name: `c${i}`, dataType: "text", tags: [t] }))];
  const allAttrs = Object.fromEntries([...attributes].map(([k, vs]) => [k, [...vs]]));
  const [firstAttr] = attributes;
  return {
    dataSources: [dataSource(1, factsOf(policy), columns)],
    globalPolicies: [policy],
    projects: [{ id: 1, name: "Purposes", purposes: [...purposes] }],
    users: [
      { profileId: 1, name: "nobody", groups: [] },
      { profileId: 2, name: "everyone", groups: [...groups], authorizations: allAttrs, currentProject: 1 },
      {
        profileId: 3,
        name: "first",
        groups: [...groups].slice(0, 1),
        authorizations: firstAttr ? { [firstAttr[0]]: [...firstAttr[1]].slice(0, 1) } : {},
      },
    ],
  };
}

/** All fixture bundles, sorted by name. */
export function fixtureBundles(): Fixture[] {
  const out: Fixture[] = [{ name: "fixtures/seed/bundle.yaml", bundle: read(join(FIXTURES, "seed", "bundle.yaml")) as Raw }];
  for (const dir of readdirSync(join(FIXTURES, "scenarios")).sort()) {
    for (const f of readdirSync(join(FIXTURES, "scenarios", dir)).sort()) {
      if (/^bundle.*\.(ya?ml|json)$/.test(f)) out.push({ name: `fixtures/scenarios/${dir}/${f}`, bundle: read(join(FIXTURES, "scenarios", dir, f)) as Raw });
    }
  }
  for (const f of readdirSync(join(FIXTURES, "corpus")).sort()) {
    if (f.endsWith(".json")) out.push({ name: `fixtures/corpus/${f}`, bundle: corpusBundle(read(join(FIXTURES, "corpus", f)) as Raw) });
  }
  for (const f of readdirSync(join(FIXTURES, "corpus", "yaml")).sort()) {
    if (f.endsWith(".yaml")) out.push({ name: `fixtures/corpus/yaml/${f}`, bundle: corpusBundle(read(join(FIXTURES, "corpus", "yaml", f)) as Raw) });
  }
  return out;
}
