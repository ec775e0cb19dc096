/**
 * Hostile input: what an API server passes on from a caller it does not trust. Every
 * case must come back as `{ok: false}` with the right code, path and message, or as a
 * correct result; none may throw, and none may touch Object.prototype.
 *
 * - Prototype-like names (`__proto__`, `constructor`, …) are ordinary names everywhere.
 * - Nesting is limited (MAX_DEPTH) before anything recursive sees the value.
 * - Loaders say what failed: syntax errors by line and column, schema errors by path,
 *   "cannot read" only for files that cannot be read.
 * - Policies without an id never collide with explicit ids.
 * - YAML is refused above MAX_YAML_LENGTH, pointing to JSON.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createEngine } from "../../src/engine/engine.js";
import type { Result, VeilIssue } from "../../src/errors.js";
import { loadBundleFile } from "../../src/io/load.js";
import { MAX_ISSUES, parseBundle, type Bundle } from "../../src/model/bundle.js";
import { MAX_DEPTH } from "../../src/model/depth.js";
import { loadBundleTexts } from "../../src/model/documents.js";
import { MAX_YAML_LENGTH } from "../../src/model/parse-text.js";

// Loose on purpose: the tests build hostile documents freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

const NAMES = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf", "__defineGetter__"] as const;

/** An object with own keys from `entries`, `__proto__` included (as JSON.parse and YAML make them). */
function own(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Object.prototype as it was before any case ran. */
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect({}.constructor).toBe(Object);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
});

/** Runs `f`, failing the test (rather than throwing) when it throws. */
function noThrow<T>(f: () => T): T {
  let out: T | undefined;
  expect(() => (out = f())).not.toThrow();
  return out as T;
}

function issuesOf<T>(r: Result<T>): readonly VeilIssue[] {
  expect(r.ok, r.ok ? "expected a rejection" : "").toBe(false);
  return r.ok ? [] : r.issues;
}

function valueOf<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.issues)}`);
  return r.value;
}

const column = (name: string, tags: string[] = [], dataType = "text") => ({ name, dataType, tags });
const source = (columns: unknown[], extra: Raw = {}) => ({ id: 1, name: "Source", columns, ...extra });
const maskRule = (tag: string, audience: Raw = {}) => ({
  type: "Masking",
  ...audience,
  config: { fields: [{ type: "columnTags", columnTag: tag }], maskingConfig: { type: "Null" } },
});
const policy = (id: number | undefined, rules: unknown[], extra: Raw = {}) => ({
  ...(id === undefined ? {} : { id }),
  name: `Policy ${id ?? "without id"} ${Math.random()}`,
  type: "data",
  actions: [{ rules }],
  ...extra,
});

/** Masked column names for a user on source 1. */
function maskedFor(bundle: Bundle, user: number | string, projectId?: number): string[] {
  const info = valueOf(createEngine(bundle).policyInfo({ dataSource: 1, user, ...(projectId !== undefined ? { projectId } : {}) }));
  return info.masked.map((m) => m.name).sort();
}

describe("prototype-like names are ordinary names", () => {
  it.each(NAMES)("a masking type `%s` is unknown (v1 and V2)", (name) => {
    const v1 = {
      dataSources: [source([column("c", ["T"])])],
      globalPolicies: [
        {
          id: 1,
          name: "v1",
          type: "data",
          actions: [{ type: "masking", rules: [{ type: "masking", config: { fields: ["T"], maskingConfig: { type: name } } }] }],
        },
      ],
    };
    const [i1, ...rest1] = issuesOf(noThrow(() => parseBundle(v1)));
    expect(rest1).toEqual([]);
    expect(i1!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "config", "maskingConfig", "type"]);
    expect(i1!.message).toContain(`unknown masking type \`${name}\``);

    const v2 = {
      dataSources: [source([column("c", ["T"])])],
      globalPolicies: [policy(1, [{ ...maskRule("T"), config: { ...maskRule("T").config, maskingConfig: { type: name } } }])],
    };
    const [i2, ...rest2] = issuesOf(noThrow(() => parseBundle(v2)));
    expect(rest2).toEqual([]);
    expect(i2!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "config", "maskingConfig", "type"]);
    expect(i2!.message).toContain(`unknown masking type \`${name}\``);
  });

  it.each(NAMES)("a V2 rule type `%s` is unknown", (name) => {
    const [i, ...rest] = issuesOf(noThrow(() => parseBundle({ globalPolicies: [policy(1, [{ type: name, config: {} }])] })));
    expect(rest).toEqual([]);
    expect(i!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "type"]);
    expect(i!.message).toContain(`unknown rule type \`${name}\``);
  });

  it.each(NAMES)("a data type `%s` is unknown", (name) => {
    const [i, ...rest] = issuesOf(noThrow(() => parseBundle({ dataSources: [source([column("c", [], name)])] })));
    expect(rest).toEqual([]);
    expect(i!.path).toEqual(["dataSources", 0, "columns", 0, "dataType"]);
    expect(i!.message).toContain(`unknown data type \`${name}\``);
  });

  it.each(NAMES)("an inclusions rule on attribute `%s` masks the user who holds it, and only that user", (name) => {
    const bundle = valueOf(
      noThrow(() =>
        parseBundle({
          dataSources: [source([column("c", ["T"]), column("d", ["U"])])],
          globalPolicies: [
            policy(1, [maskRule("T", { inclusions: { attributes: [{ name, value: name }] } })]),
            policy(2, [maskRule("U", { exceptions: { attributes: [{ name, value: "x" }] } })]),
          ],
          users: [
            { profileId: 1, name: "holder", authorizations: own([[name, [name, "x"]]]) },
            { profileId: 2, name: "nobody" },
            { profileId: 3, name: "other value", authorizations: own([[name, ["y"]]]) },
          ],
        }),
      ),
    );
    expect(maskedFor(bundle, 1)).toEqual(["c"]); // included by c's rule, excepted from d's
    expect(maskedFor(bundle, 2)).toEqual(["d"]);
    expect(maskedFor(bundle, 3)).toEqual(["d"]);
    expect(bundle.users[0]!.authorizations![name]).toEqual([name, "x"]);
    // A lookup of an attribute the user lacks finds nothing, not Object.prototype's member.
    expect(bundle.users[1]!.authorizations?.[name]).toBeUndefined();
    expect(bundle.users[2]!.authorizations![name === "toString" ? "valueOf" : "toString"]).toBeUndefined();
  });

  it.each(NAMES)("V1 authorization conditions, entitlement rows and @-functions on attribute `%s`", (name) => {
    const bundle = valueOf(
      noThrow(() =>
        parseBundle({
          dataSources: [
            source([column("c", ["T"]), column("region", ["Geo"])], {
              visibilities: [own([["region", "EU"]]), own([["region", "US"]])],
            }),
          ],
          globalPolicies: [
            {
              id: 1,
              name: "v1 mask",
              type: "data",
              actions: [
                {
                  type: "masking",
                  rules: [
                    {
                      type: "masking",
                      exceptions: { conditions: [{ type: "authorizations", authorization: { auth: name, value: "EU" } }] },
                      config: { fields: ["T"], maskingConfig: { type: "Consistent Value", metadata: {} } },
                    },
                  ],
                },
              ],
            },
            policy(2, [{ type: "Row Restriction by User Entitlements", config: { matches: [{ type: "attribute", attribute: name, tag: "Geo" }] } }]),
          ],
          users: [
            { profileId: 1, name: "eu", authorizations: own([[name, ["EU"]]]) },
            { profileId: 2, name: "none" },
          ],
        }),
      ),
    );
    const engine = createEngine(bundle);
    const eu = valueOf(engine.policyInfo({ dataSource: 1, user: 1 }));
    const none = valueOf(engine.policyInfo({ dataSource: 1, user: 2 }));
    expect(eu.masked).toEqual([]);
    expect(none.masked.map((m) => m.name)).toEqual(["c"]);
    expect(eu.visibilities).toEqual([{ region: "EU" }]);
    expect(none.visibilities).toEqual([]);

    const where = valueOf(
      parseBundle({
        dataSources: [source([column("region", ["Geo"])])],
        globalPolicies: [
          policy(1, [{ type: "Row Restriction by Custom Where Clause", config: { predicate: `@attributeValuesContains('${name}', @columnTagged('Geo'))` } }]),
        ],
        users: [
          { profileId: 1, name: "eu", authorizations: own([[name, ["EU"]]]) },
          { profileId: 2, name: "none" },
        ],
      }),
    );
    const filters = (user: number) => JSON.stringify(valueOf(createEngine(where).policyInfo({ dataSource: 1, user })).additionalFilters);
    expect(filters(1)).toContain("'EU'");
    expect(filters(2)).not.toContain("function");
  });

  it.each(NAMES)("groups, purposes, tags, columns, users and sources named `%s` work like any name", (name) => {
    const plain = "plainname";
    const build = (x: string) =>
      JSON.parse(
        JSON.stringify({
          dataSources: [{ id: 1, name: "X", tags: ["X"], columns: [column("X", ["X", "X.X"]), column("other", ["T"])] }],
          globalPolicies: [
            policy(1, [maskRule("X.X", { exceptions: { groups: ["X"] } })], { name: "p1", circumstances: [{ type: "tags", tag: "X" }] }),
            policy(2, [maskRule("T", { exceptions: { purposes: ["X"] } })], { name: "p2" }),
          ],
          projects: [{ id: 1, name: "X", purposes: ["X"] }],
          purposes: [{ name: "X" }],
          users: [
            { profileId: 1, name: "X", userid: "X", groups: ["X"] },
            { profileId: 2, name: "other" },
          ],
        }).replaceAll('"X', `"${x}`),
      );
    const run = (x: string) => {
      const bundle = valueOf(noThrow(() => parseBundle(build(x))));
      const engine = createEngine(bundle);
      return [1, 2].flatMap((user) =>
        [undefined, 1].map((projectId) => {
          const req = { dataSource: x, user: user === 1 ? x : user, ...(projectId !== undefined ? { projectId } : {}) };
          const info = valueOf(engine.policyInfo(req));
          return JSON.stringify([info.masked, info.visibilities, info.additionalFilters, valueOf(engine.visibilityReport(req)).userVisibilitiesCount]).replace(
            /[0-9a-f]{64}/g,
            "",
          );
        }),
      );
    };
    const lower = (s: string) => s.split(name).join(plain).split(name.toLowerCase()).join(plain);
    expect(run(name).map(lower)).toEqual(run(plain));
  });

  it.each(NAMES)("user authorizations `{%s: [...]}` are a valid bundle", (name) => {
    const bundle = valueOf(noThrow(() => parseBundle({ users: [{ profileId: 1, name: "u", authorizations: own([[name, ["a"]]]) }] })));
    expect(Object.keys(bundle.users[0]!.authorizations!)).toEqual([name]);
  });

  describe.each(NAMES)("`{%s: null}` never throws", (name) => {
    const nul = () => own([[name, null]]);
    const cases: [string, () => Raw, "ok" | (string | number)[]][] = [
      ["at the top", () => nul(), [name]],
      ["in authorizations", () => ({ users: [{ profileId: 1, name: "u", authorizations: nul() }] }), ["users", 0, "authorizations", name]],
      ["in a user", () => ({ users: [Object.assign(nul(), { profileId: 1, name: "u" })] }), ["users", 0, name]],
      ["in visibilities", () => ({ dataSources: [source([column("c")], { visibilities: [nul()] })] }), "ok"],
      ["in rows", () => ({ dataSources: [source([column("c")], { rows: [nul()] })] }), "ok"],
      ["in subscriptionPolicy", () => ({ dataSources: [source([column("c")], { subscriptionPolicy: nul() })] }), "ok"],
      ["in a column", () => ({ dataSources: [source([Object.assign(nul(), column("c"))])] }), ["dataSources", 0, "columns", 0, name]],
      [
        "in a tag object",
        () => ({ dataSources: [source([column("c", [Object.assign(nul(), { name: "T" })] as Raw)])] }),
        ["dataSources", 0, "columns", 0, "tags", 0, name],
      ],
      [
        "in v1 metadata",
        () => ({
          globalPolicies: [
            {
              id: 1,
              name: "p",
              type: "data",
              metadata: nul(),
              actions: [{ type: "masking", rules: [{ type: "masking", config: { fields: ["T"], maskingConfig: { type: "Reversible" } } }] }],
            },
          ],
        }),
        "ok",
      ],
      [
        "in a local policy's global",
        () => ({
          dataSources: [
            source([column("c")], {
              policyHandler: {
                jsonPolicies: [
                  { type: "masking", global: nul(), rules: [{ type: "masking", config: { fields: ["c"], maskingConfig: { type: "Reversible" } } }] },
                ],
              },
            }),
          ],
        }),
        "ok",
      ],
      [
        "in mask metadata",
        () => ({
          globalPolicies: [policy(1, [{ ...maskRule("T"), config: { ...maskRule("T").config, maskingConfig: Object.assign(nul(), { type: "Null" }) } }])],
        }),
        ["globalPolicies", 0, "actions", 0, "rules", 0, "config", "maskingConfig", name],
      ],
      ["in a policy", () => ({ globalPolicies: [Object.assign(nul(), policy(1, [maskRule("T")]))] }), ["globalPolicies", 0, name]],
    ];
    it.each(cases)("%s", (_what, make, expected) => {
      const r = noThrow(() => parseBundle(make()));
      if (expected === "ok") {
        const b = valueOf(r);
        expect(createEngine(b).policySet).toBeDefined();
      } else {
        const issues = issuesOf(r);
        expect(issues.map((i) => i.path)).toContainEqual(expected);
        expect(issues.find((i) => JSON.stringify(i.path) === JSON.stringify(expected))!.message).toMatch(/unknown key|expected/);
      }
      // The same through the JSON loader (JSON.parse makes `__proto__` an own key too).
      const text = JSON.stringify(make());
      expect(text).toContain(`"${name}":null`);
      const fromText = noThrow(() => loadBundleTexts([{ file: "hostile.json", text }]));
      expect(fromText.ok).toBe(expected === "ok");
    });
  });
});

describe(`nesting deeper than ${MAX_DEPTH} levels`, () => {
  const nest = (n: number, leaf: unknown = 1): unknown => {
    let v = leaf;
    for (let i = 0; i < n; i++) v = [v];
    return v;
  };
  const zeros = (n: number) => Array.from({ length: n }, () => 0);

  it.each([
    ["a policy", (deep: unknown) => ({ globalPolicies: [deep] }), ["globalPolicies", 0]],
    ["the top level", (deep: unknown) => deep, []],
    ["a row value", (deep: unknown) => ({ dataSources: [source([column("c")], { rows: [{ c: deep }] })] }), ["dataSources", 0, "rows", 0, "c"]],
    [
      "v1 metadata",
      (deep: unknown) => ({ globalPolicies: [{ id: 1, name: "p", type: "data", metadata: { a: deep }, actions: [] }] }),
      ["globalPolicies", 0, "metadata", "a"],
    ],
  ] as const)("is reported with its path in %s (100,000 nested arrays)", (_what, wrap, prefix) => {
    const [i, ...rest] = issuesOf(noThrow(() => parseBundle(wrap(nest(100_000)))));
    expect(rest).toEqual([]);
    expect(i!.code).toBe("invalid_input");
    expect(i!.message).toContain(`more than ${MAX_DEPTH} levels`);
    expect(i!.path).toHaveLength(MAX_DEPTH);
    expect(i!.path.slice(0, prefix.length)).toEqual(prefix);
    expect(i!.path.slice(prefix.length)).toEqual(zeros(MAX_DEPTH - prefix.length));
  });

  it("is exactly MAX_DEPTH: a row value nested to the limit is fine, one more level is not", () => {
    // root, dataSources, [0], rows, [0], c: the value at `c` is level 6.
    const at = (levels: number) => ({ dataSources: [source([column("c")], { rows: [{ c: nest(levels - 6 + 1, 1) }] })] });
    expect(parseBundle(at(MAX_DEPTH)).ok).toBe(true);
    expect(issuesOf(parseBundle(at(MAX_DEPTH + 1)))[0]!.message).toContain("levels");
  });

  it("an object that contains itself is rejected, not walked forever", () => {
    const loop: Raw = { dataSources: [source([column("c")], { rows: [{}] })] };
    loop.dataSources[0].rows[0].c = loop;
    const [i] = issuesOf(noThrow(() => parseBundle(loop)));
    expect(i!.message).toContain("contain themselves");
  });

  it("in a JSON text, with the file", () => {
    const text = `{"globalPolicies": [${"[".repeat(100_000)}${"]".repeat(100_000)}]}`;
    const [i, ...rest] = issuesOf(noThrow(() => loadBundleTexts([{ file: "deep.json", text }])));
    expect(rest).toEqual([]);
    expect(i).toMatchObject({ code: "invalid_input", file: "deep.json" });
    expect(i!.path.slice(0, 2)).toEqual(["globalPolicies", 0]);
    expect(i!.path).toHaveLength(MAX_DEPTH);
  });

  it.each([
    ["flow", `globalPolicies: [${"[".repeat(100_000)}${"]".repeat(100_000)}]`],
    ["block", Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}- `).join("\n") + "1"],
    ["block, shallow enough for the YAML parser", `globalPolicies:\n${Array.from({ length: 80 }, (_, i) => `${" ".repeat(i * 2 + 2)}- `).join("\n")}1`],
  ])("in a YAML text (%s), with the file", (_what, text) => {
    const [i, ...rest] = issuesOf(noThrow(() => loadBundleTexts([{ file: "deep.yaml", text }])));
    expect(rest).toEqual([]);
    expect(i).toMatchObject({ code: "invalid_input", file: "deep.yaml" });
    expect(i!.message).toContain(`more than ${MAX_DEPTH} levels`);
  });

  it.each([
    ["parentheses", `${"(".repeat(100_000)}@isInGroups('a')${")".repeat(100_000)}`],
    ["NOTs", `${"NOT ".repeat(100_000)}@isInGroups('a')`],
    ["alternating AND/OR", `${"@isInGroups('a') AND (@isInGroups('b') OR (".repeat(40)}@isInGroups('c')${"))".repeat(40)}`],
  ])("in an advanced expression (%s)", (_what, advanced) => {
    const [i, ...rest] = issuesOf(noThrow(() => parseBundle({ globalPolicies: [policy(1, [maskRule("T", { exceptions: { advanced } })])] })));
    expect(rest).toEqual([]);
    expect(i).toMatchObject({ code: "invalid_condition", path: ["globalPolicies", 0, "actions", 0, "rules", 0, "exceptions", "advanced"] });
    expect(i!.message).toContain("nests too deeply");
  });
});

describe("loaders say what failed", () => {
  const one = (file: string, text: string) => {
    const [i, ...rest] = issuesOf(noThrow(() => loadBundleTexts([{ file, text }])));
    expect(rest).toEqual([]);
    return i!;
  };

  it.each([
    ['{"users": [}', 1, 12, "Unexpected token"],
    ['{\n  "users": [\n    {"profileId": 1,}\n  ]\n}', 3, 21, "property name"],
    ['{"users": [\n', 2, 1, "end of JSON input"],
    ["", 1, 1, "end of JSON input"],
    ['{"users": []} trailing', 1, 15, "after JSON"],
    ['{"users": [tru]}', 1, 15, "Unexpected token"],
    ['\ufeff{"users": [}', 1, 13, "Unexpected token"],
  ])("JSON %j: line %i, column %i", (text, line, col, words) => {
    const i = one("bad.json", text);
    expect(i).toMatchObject({ code: "invalid_syntax", path: [], file: "bad.json" });
    expect(i.message).toContain(`invalid JSON at line ${line}, column ${col}: `);
    expect(i.message).toContain(words);
    expect(i.message).not.toContain("position");
    expect(i.message).not.toContain("is not valid JSON");
  });

  it.each([
    ["users: [", 1, 9, ""],
    ["users:\n  - profileId: 1\n - name: x", 3, 1, ""],
    ["users: []\nusers: []", 2, 1, "unique"],
    ["users: *nowhere", 1, 8, "unresolved alias"],
    ["users: []\n---\npurposes: []", 2, 1, "second document"],
    ["users:\n  - {profileId: 1, name:\tx}", 2, 25, "tab character"],
  ])("YAML %j: line %i, column %i", (text, line, col, words) => {
    const i = one("bad.yaml", text);
    expect(i).toMatchObject({ code: "invalid_syntax", path: [], file: "bad.yaml" });
    expect(i.message).toContain(`invalid YAML at line ${line}, column ${col}: `);
    expect(i.message).toContain(words);
  });

  it("YAML aliases that would expand exponentially are refused", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let k = 1; k < 12; k++)
      lines.push(
        `a${k}: &a${k} [${Array(9)
          .fill(k === 1 ? "*a" : `*a${k - 1}`)
          .join(",")}]`,
      );
    const i = one("bomb.yaml", lines.join("\n"));
    expect(i.code).toBe("invalid_syntax");
    expect(i.message).toContain("aliases");
  });

  it("a schema error names its path and file", () => {
    const i = one("users.yaml", "users:\n  - profileId: one\n    name: x\n");
    expect(i).toMatchObject({ code: "invalid_input", path: ["users", 0, "profileId"], file: "users.yaml" });
  });

  describe("loadBundleFile", () => {
    const dir = mkdtempSync(join(tmpdir(), "veil-hostile-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("a missing file cannot be read", () => {
      const [i] = issuesOf(loadBundleFile(join(dir, "missing.yaml")));
      expect(i).toMatchObject({ code: "io_error", file: join(dir, "missing.yaml") });
      expect(i!.message).toBe("cannot read: no such file or folder (ENOENT)");
    });

    it("a folder named like a bundle file cannot be read, and says which", () => {
      const folder = join(dir, "bundle-dir");
      mkdirSync(join(folder, "inner.json"), { recursive: true });
      writeFileSync(join(folder, "a.yaml"), "users: []\n");
      const [i, ...rest] = issuesOf(loadBundleFile(folder));
      expect(rest).toEqual([]);
      expect(i).toMatchObject({ code: "io_error", file: join(folder, "inner.json") });
      expect(i!.message).toBe("cannot read: is a folder (EISDIR)");
    });

    it("syntax, depth and schema errors are not `cannot read`", () => {
      const cases: [string, string, string][] = [
        ["syntax.json", '{"users": [}', "invalid_syntax"],
        ["syntax.yaml", "users: [", "invalid_syntax"],
        ["deep.json", `{"users": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`, "invalid_input"],
        ["deep.yaml", `users: ${"[".repeat(50_000)}${"]".repeat(50_000)}`, "invalid_input"],
        ["schema.json", '{"users": [{"profileId": "x", "name": "u"}]}', "invalid_input"],
      ];
      for (const [name, text, code] of cases) {
        writeFileSync(join(dir, name), text);
        const issues = issuesOf(noThrow(() => loadBundleFile(join(dir, name))));
        expect(issues.map((i) => [i.code, i.file])).toEqual([[code, join(dir, name)]]);
        expect(issues[0]!.message).not.toContain("cannot read");
      }
    });
  });
});

describe("policies without an id never collide with explicit ids", () => {
  const ids = (r: Result<Bundle>) => {
    const b = valueOf(r);
    return [...b.globalPolicies.map((p) => [p.order, p.id]), ...b.subscriptionPolicies.map((p) => [p.order, p.id])]
      .sort((a, c) => a[0]! - c[0]!)
      .map((x) => x[1]);
  };

  it("[{id: 2}, {no id}] is valid: the second is numbered after the largest id", () => {
    expect(ids(parseBundle({ globalPolicies: [policy(2, [maskRule("T")]), policy(undefined, [maskRule("T")])] }))).toEqual([2, 4]);
  });

  it("without explicit ids, a policy's id is its 1-based position (as the golden fixtures render it)", () => {
    expect(
      ids(parseBundle({ globalPolicies: [policy(undefined, [maskRule("T")]), policy(undefined, [maskRule("T")]), policy(undefined, [maskRule("T")])] })),
    ).toEqual([1, 2, 3]);
  });

  it("the largest explicit id counts wherever it is, subscriptions included", () => {
    const subscription = { id: 40, name: "s", type: "subscription", actions: { type: "anyone" } };
    const r = parseBundle({
      globalPolicies: [
        policy(undefined, [maskRule("T")]),
        policy(3, [maskRule("T")]),
        subscription,
        { name: "s2", type: "subscription", actions: { type: "anyone" } },
      ],
    });
    expect(ids(r)).toEqual([41, 3, 40, 44]);
  });

  it("an explicit duplicate is still one", () => {
    const [i] = issuesOf(parseBundle({ globalPolicies: [policy(2, [maskRule("T")]), policy(2, [maskRule("T")])] }));
    expect(i).toMatchObject({ code: "duplicate_id", path: ["globalPolicies", 1, "id"] });
  });

  it("a policy without an id counts as authored after the undated ones that have one", () => {
    const constant = { ...maskRule("T"), config: { ...maskRule("T").config, maskingConfig: { type: "Constant", constant: "X" } } };
    const b = valueOf(
      parseBundle({
        dataSources: [source([column("c", ["T"])])],
        globalPolicies: [policy(undefined, [constant]), policy(1, [maskRule("T")])],
        users: [{ profileId: 1, name: "u" }],
      }),
    );
    const [m] = valueOf(createEngine(b).policyInfo({ dataSource: 1, user: 1 })).masked;
    expect(m!.actionType).toBe("Nullify");
  });

  it("an id-less policy after the largest safe id is rejected, not numbered with a rounded id", () => {
    const [i] = issuesOf(parseBundle({ globalPolicies: [policy(Number.MAX_SAFE_INTEGER, [maskRule("T")]), policy(undefined, [maskRule("T")])] }));
    expect(i).toMatchObject({ code: "invalid_input", path: ["globalPolicies", 1, "id"] });
  });
});

describe("size", () => {
  it(`YAML above ${MAX_YAML_LENGTH} characters is refused with a pointer to JSON; the same bundle loads as JSON`, () => {
    const users = Array.from({ length: Math.ceil(MAX_YAML_LENGTH / 40) }, (_, i) => ({ profileId: i + 1, name: `user number ${i}` }));
    const yaml = `users:\n${users.map((u) => `  - { profileId: ${u.profileId}, name: ${u.name} }\n`).join("")}`;
    expect(yaml.length).toBeGreaterThan(MAX_YAML_LENGTH);
    const [i, ...rest] = issuesOf(noThrow(() => loadBundleTexts([{ file: "big.yaml", text: yaml }])));
    expect(rest).toEqual([]);
    expect(i).toMatchObject({ code: "unsupported", path: [], file: "big.yaml" });
    expect(i!.message).toContain("JSON");
    expect(valueOf(loadBundleTexts([{ file: "big.json", text: JSON.stringify({ users }) }])).users).toHaveLength(users.length);
  });

  it("a YAML bundle of modest size loads to the same bundle as its JSON", () => {
    const bundle = {
      dataSources: Array.from({ length: 200 }, (_, i) => ({
        id: i + 1,
        name: `s${i}`,
        columns: Array.from({ length: 10 }, (_, c) => column(`c${c}`, [`T${c}`])),
      })),
      globalPolicies: Array.from({ length: 50 }, (_, i) => policy(i + 1, [maskRule(`T${i % 10}`, { exceptions: { groups: [`g${i}`] } })], { name: `p${i}` })),
    };
    const fromYaml = valueOf(loadBundleTexts([{ file: "b.yaml", text: stringify(bundle) }]));
    const fromJson = valueOf(loadBundleTexts([{ file: "b.json", text: JSON.stringify(bundle) }]));
    const plain = (b: Bundle) => JSON.stringify(b, (_k, v) => (v instanceof Map ? [...v] : v));
    expect(plain(fromYaml)).toBe(plain(fromJson));
  });

  it(`a bundle with 150,000 or more problems lists ${MAX_ISSUES} and says it stopped`, () => {
    const cases: Raw[] = [
      { users: Array.from({ length: 150_000 }, () => ({ name: 1 })) },
      { dataSources: [source(Array.from({ length: 150_000 }, () => ({ name: 1, dataType: "text" })))] },
      { dataSources: [source([column("c", Array(150_000).fill(5))])] },
      {
        globalPolicies: [
          { id: 1, name: "p", type: "data", actions: [{ type: "masking", rules: Array.from({ length: 150_000 }, () => ({ type: "masking", config: {} })) }] },
        ],
      },
    ];
    for (const input of cases) {
      const issues = issuesOf(noThrow(() => parseBundle(input)));
      expect(issues.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
      expect(issues.length).toBeGreaterThan(0);
    }
  });

  it("loaded from a file, every issue of a cut list names the file", () => {
    const text = JSON.stringify({ users: Array.from({ length: 2 * MAX_ISSUES }, () => ({ name: 1 })) });
    const issues = issuesOf(loadBundleTexts([{ file: "users.json", text }]));
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues.at(-1)!.message).toContain(`stopped after ${MAX_ISSUES} problems`);
    expect(issues.filter((i) => i.file !== "users.json")).toEqual([]);
  });

  it("a tag deeper than 64 levels is rejected (binding walks every ancestor of every column tag)", () => {
    const deep = Array(100_000).fill("a").join(".");
    const [i, ...rest] = issuesOf(parseBundle({ dataSources: [source([column("c", [deep])])] }));
    expect(rest).toEqual([]);
    expect(i).toMatchObject({ code: "invalid_input", path: ["dataSources", 0, "columns", 0, "tags", 0] });
    expect(i!.message).toContain("at most 64 levels");
    expect(parseBundle({ dataSources: [source([column("c", [Array(64).fill("a").join(".")])])] }).ok).toBe(true);
  });
});

describe("any JSON value", () => {
  const values: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    "",
    "x",
    [],
    [null],
    {},
    [[]],
    { users: null },
    { users: [null] },
    { dataSources: [{}] },
    { globalPolicies: [[], {}, "x", 1] },
  ];
  it.each(values.map((v) => [JSON.stringify(v), v]))("parseBundle(%s) and its JSON and YAML texts return a result", (_text, v) => {
    for (const r of [
      noThrow(() => parseBundle(v)),
      noThrow(() => loadBundleTexts([{ file: "v.json", text: JSON.stringify(v) }])),
      noThrow(() => loadBundleTexts([{ file: "v.yaml", text: stringify(v) }])),
    ])
      expect(typeof r.ok).toBe("boolean");
  });
});
