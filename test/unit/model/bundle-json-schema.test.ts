/**
 * The bundle JSON Schema (src/model/bundle-json-schema.ts) against Veil's own loader:
 * every bundle and policy in fixtures/ is accepted by both, every bad-input fixture is
 * rejected by both, and the patterns standing in for zod refinements (case-insensitive
 * rule and mask names, dictionary data types) agree with `parseBundle` on generated input.
 *
 * fixtures/bad-input/*.json: each is fixtures/seed/bundle.yaml with one defect, named
 * after it (bundles reject unknown keys, so the file name is the only place to say why).
 * They mirror the schema-level cases of test/bad-input/*.test.ts. Left out on purpose,
 * because JSON Schema cannot express them (or the schema leaves them open, see the
 * module's doc comment): duplicate ids and names, a user's unknown `currentProject`,
 * invalid regexes, unknown `@functions` or syntax errors in advanced expressions and
 * custom WHERE predicates, an entitlement match of type `attribute` without its
 * attribute name, and YAML/JSON syntax errors.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadBundleTexts, parseBundle } from "../../../src/index.js";
import { BUNDLE_SCHEMA_FILE, BUNDLE_SCHEMA_ID, bundleJsonSchema } from "../../../src/model/bundle-json-schema.js";
import { ACCEPTED_DATA_TYPES } from "../../../src/model/data-type.js";
import { V2_MASK_TYPES } from "../../../src/model/masking-config.js";
import { V2_RULE_TYPES } from "../../../src/model/policy-v2.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "fixtures");
const rel = (path: string) => path.slice(FIXTURES.length + 1);

const schema = bundleJsonSchema();
// ajv is CommonJS: under NodeNext its default import is `module.exports`, whose `default` is the class.
const Ajv2020 = ajv2020.default;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

/** The schema's verdict, with its errors when it rejects. */
function check(doc: unknown): { ok: boolean; errors: string } {
  const ok = validate(doc);
  return { ok, errors: ok ? "" : ajv.errorsText(validate.errors, { separator: "\n" }) };
}

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(FIXTURES, dir, f));
}

/** A document as Veil reads it (JSON by extension, YAML otherwise). */
function readDocument(path: string): { text: string; doc: unknown } {
  const text = readFileSync(path, "utf8");
  return { text, doc: path.endsWith(".json") ? (JSON.parse(text) as unknown) : (parse(text) as unknown) };
}

const VALID = [
  join(FIXTURES, "seed", "bundle.yaml"),
  ...readdirSync(join(FIXTURES, "scenarios"))
    .sort()
    .flatMap((d) => files(join("scenarios", d), /^bundle.*\.(ya?ml|json)$/)),
  ...files("corpus", /\.json$/),
  ...files(join("corpus", "yaml"), /\.ya?ml$/),
];
const BAD = files("bad-input", /\.json$/);

const seed = () => readDocument(join(FIXTURES, "seed", "bundle.yaml")).doc as { dataSources: unknown[]; globalPolicies: unknown[] };

describe("the schema itself", () => {
  it("is a valid draft 2020-12 schema with its $id and title", () => {
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(schema["$schema"]).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema["$id"]).toBe(BUNDLE_SCHEMA_ID);
    expect(BUNDLE_SCHEMA_ID.endsWith(`/${BUNDLE_SCHEMA_FILE}`)).toBe(true);
    expect(schema["title"]).toEqual(expect.any(String));
    expect(schema["description"]).toEqual(expect.any(String));
  });

  it("is a document of one of three forms: a bundle, a policy, a list of policies", () => {
    expect((schema["anyOf"] as unknown[]).length).toBe(3);
  });

  it("is reasonably sized (well under 100 KB minified)", () => {
    expect(JSON.stringify(schema).length).toBeLessThan(100_000);
  });

  it("is pure: two calls give equal, independent objects", () => {
    const again = bundleJsonSchema();
    expect(again).toEqual(schema);
    expect(again).not.toBe(schema);
  });

  it("carries descriptions for editors", () => {
    const defs = schema["$defs"] as Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;
    for (const name of ["Bundle", "DataSource", "Column", "V1Policy", "V2Policy", "V2Rule", "V2Condition", "User"]) {
      expect(defs[name]?.description, name).toEqual(expect.any(String));
    }
    expect(defs["Bundle"]?.properties?.["globalPolicies"]?.description).toEqual(expect.any(String));
  });

  it("rejects unknown keys where zod does: every object shape is closed", () => {
    const open: string[] = [];
    let shapes = 0;
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (!node || typeof node !== "object") return;
      const o = node as Record<string, unknown>;
      // Records have `additionalProperties: {...}`; bare `{type: object, required}` are constraints beside a shape.
      if (o["type"] === "object" && o["properties"] !== undefined) {
        shapes++;
        if (o["additionalProperties"] === undefined) open.push(path);
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
    };
    walk(schema, "#");
    expect(shapes).toBeGreaterThan(50);
    expect(open).toEqual([]);
  });
});

describe("accepts every bundle and policy in fixtures/, as Veil does", () => {
  it("finds them", () => {
    expect(VALID.length).toBeGreaterThanOrEqual(1 + 50 + 26 + 22);
  });

  it.each(VALID.map((p) => [rel(p), p]))("%s", (_name, path) => {
    const { text, doc } = readDocument(path);
    const veil = loadBundleTexts([{ file: basename(path), text }]);
    expect(veil.ok ? [] : veil.issues).toEqual([]);
    expect(check(doc).errors).toBe("");
  });

  it("accepts a list of policies as one document", () => {
    const list = files("corpus", /^pttep-0[1-3].*\.json$/).map((p) => readDocument(p).doc);
    expect(list).toHaveLength(3);
    expect(check(list).errors).toBe("");
    expect(loadBundleTexts([{ file: "policies.json", text: JSON.stringify(list) }]).ok).toBe(true);
  });
});

describe("rejects every bad-input fixture, as Veil does", () => {
  it("has at least ten, each one defect away from the seed (which both accept)", () => {
    expect(BAD.length).toBeGreaterThanOrEqual(10);
    expect(check(seed()).ok).toBe(true);
    expect(parseBundle(seed()).ok).toBe(true);
  });

  it.each(BAD.map((p) => [basename(p, ".json"), p]))("%s (and the schema's errors point where Veil's do)", (_name, path) => {
    const { text, doc } = readDocument(path);
    const veil = parseBundle(doc);
    if (veil.ok) throw new Error("parseBundle accepts it");
    expect(loadBundleTexts([{ file: basename(path), text }]).ok).toBe(false);
    expect(validate(doc)).toBe(false);
    // An error's place: its instance path plus the key it names (missing, unknown or not allowed).
    const places = (validate.errors ?? []).map((e) => {
      const p = e.params as { missingProperty?: string; additionalProperty?: string; propertyName?: string };
      const key = p.missingProperty ?? p.additionalProperty ?? p.propertyName;
      return key === undefined ? e.instancePath : `${e.instancePath}/${key}`;
    });
    for (const issue of veil.issues) {
      const at = issue.path.map((k) => `/${k}`).join("");
      expect(
        places.some((p) => p === at || p.startsWith(`${at}/`)),
        `${at} in ${[...new Set(places)].join(", ")}`,
      ).toBe(true);
    }
  });

  it("rejects a single policy or a policy in a list with an unknown key", () => {
    const policy = { ...(seed().globalPolicies[0] as object), circumstanceOperater: "any" };
    for (const doc of [policy, [policy]]) {
      expect(check(doc).ok).toBe(false);
      expect(loadBundleTexts([{ file: "p.json", text: JSON.stringify(doc) }]).ok).toBe(false);
    }
  });
});

/** A one-data-source bundle with one V2 rule, for the agreement checks below. */
const DS = { id: 1, name: "T", columns: [{ name: "region", dataType: "text", tags: ["Geo"] }] };
const withRule = (rule: unknown) => ({ dataSources: [DS], globalPolicies: [{ id: 1, name: "P", type: "data", actions: [{ rules: [rule] }] }] });
const maskRule = (maskingConfig: unknown) => ({ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: "Geo" }], maskingConfig } });
const v1Rows = (actionType: string, rule: unknown) => ({
  dataSources: [DS],
  globalPolicies: [{ id: 1, name: "P", type: "data", actions: [{ type: actionType, rules: [rule] }] }],
});

/** Asserts the schema and `parseBundle` give the same verdict (and, if given, the expected one). */
function agree(doc: unknown, expected?: boolean): void {
  const veil = parseBundle(doc).ok;
  const mine = check(doc);
  if (mine.ok !== veil) {
    throw new Error(`the schema ${mine.ok ? "accepts" : "rejects"}, parseBundle ${veil ? "accepts" : "rejects"}: ${JSON.stringify(doc)}\n${mine.errors}`);
  }
  if (expected !== undefined) expect(veil).toBe(expected);
}

describe("agrees with parseBundle where zod refines or preprocesses", () => {
  it("v1 `rowOrObjectRestriction` rules: a custom WHERE with a predicate, a visibility rule otherwise", () => {
    agree(v1Rows("rowOrObjectRestriction", { type: "rowOrObjectRestriction", config: { predicate: "region = 'EU'" } }), true);
    agree(v1Rows("rowOrObjectRestriction", { type: "rowOrObjectRestriction", conditions: [{ type: "groups", field: "region", group: { name: "EU" } }] }), true);
    agree(v1Rows("rowOrObjectRestriction", { type: "rowOrObjectRestriction", config: {} }), false);
    agree(v1Rows("rowOrObjectRestriction", { type: "visibility" }), false);
    agree(v1Rows("masking", { type: "customWhere", config: { predicate: "1=1" } }), false);
  });

  it("v1 mask metadata: keys per type, required keys", () => {
    const v1Mask = (maskingConfig: unknown) => v1Rows("masking", { type: "masking", config: { fields: ["Geo"], maskingConfig } });
    agree(v1Mask({ type: "Grouping", metadata: { bucketSize: 10 } }), true);
    agree(v1Mask({ type: "Grouping", metadata: {} }), false);
    agree(v1Mask({ type: "Reversible", metadata: {} }), true);
    agree(v1Mask({ type: "Reversible", metadata: { constant: "x" } }), false);
    agree(v1Mask({ type: "Custom Function" }), false);
    agree(v1Mask({ type: "Custom Function", metadata: { sqlFunction: "UPPER(@column)" } }), true);
  });

  it("V2 mask metadata: inline or in `metadata`", () => {
    agree(withRule(maskRule({ type: "Regex", regex: "\\d", metadata: { replacement: "#" } })), true);
    agree(withRule(maskRule({ type: "constant", metadata: { constant: "x" } })), true);
    agree(withRule(maskRule({ type: "Rounding", timePrecision: "DAY" })), true);
    agree(withRule(maskRule({ type: "Rounding" })), false);
    agree(withRule(maskRule({ type: "Hash", regex: "x" })), false);
  });

  it("V2 conditions need a non-empty audience; domains an id or a name", () => {
    agree(withRule({ ...maskRule({ type: "Hash" }), exceptions: { groups: [] } }), false);
    agree(withRule({ ...maskRule({ type: "Hash" }), exceptions: { groups: ["HR"] } }), true);
    agree(withRule({ ...maskRule({ type: "Hash" }), exceptions: { advanced: "@isInGroups('HR')" } }), true);
    const domains = (domain: unknown) => {
      const doc = withRule(maskRule({ type: "Hash" }));
      return { ...doc, globalPolicies: [{ ...doc.globalPolicies[0], circumstances: [{ type: "domains", domains: [domain] }] }] };
    };
    agree(domains({ name: "Finance" }), true);
    agree(domains({}), false);
  });

  const letterCase = (s: string) =>
    fc
      .array(fc.constantFrom("lower", "upper", "same"), { minLength: s.length, maxLength: s.length })
      .map((cs) => [...s].map((ch, i) => (cs[i] === "lower" ? ch.toLowerCase() : cs[i] === "upper" ? ch.toUpperCase() : ch)).join(""));
  const spaced = (s: string) =>
    fc
      .array(fc.constantFrom(" ", "  ", "\t", " \n "), { minLength: s.split(" ").length - 1, maxLength: s.split(" ").length - 1 })
      .map((ws) => s.split(" ").reduce((acc, w, i) => acc + (i > 0 ? ws[i - 1] : "") + w));
  /** Small corruptions: a dropped, doubled or replaced character, surrounding space. */
  const corrupt = (s: string) =>
    fc
      .tuple(fc.nat(s.length), fc.constantFrom("drop", "double", "x", "pad"))
      .map(([i, how]) =>
        how === "drop"
          ? s.slice(0, i) + s.slice(i + 1)
          : how === "double"
            ? s.slice(0, i) + s.slice(i, i + 1) + s.slice(i)
            : how === "x"
              ? s.slice(0, i) + "x" + s.slice(i + 1)
              : ` ${s}`,
      );

  it("V2 rule types: case-insensitive, runs of white space as one", () => {
    const configs: Record<string, unknown> = {
      Masking: maskRule({ type: "Hash" }).config,
      "Row Restriction by Custom Where Clause": { predicate: "region = 'EU'" },
      "Row Restriction by User Entitlements": { matches: [{ type: "group", tag: "Geo" }] },
      "Time Restriction": { time: 3600 },
      Minimization: { percent: 10 },
      "Purpose Restriction": { purposes: ["Research"] },
      "Row Restriction by Never": {},
    };
    expect(Object.keys(configs).sort()).toEqual(Object.values(V2_RULE_TYPES).sort());
    agree(withRule({ type: "Row Restriction By User Entitlements", config: configs["Row Restriction by User Entitlements"] }), true);
    agree(withRule({ type: "MAS\u212AING", config: configs["Masking"] }), true); // KELVIN SIGN lower-cases to `k`
    for (const [type, config] of Object.entries(configs)) {
      const variants = fc.oneof(letterCase(type).chain(spaced), corrupt(type));
      fc.assert(
        fc.property(variants, (t) => agree(withRule({ type: t, config }))),
        { numRuns: 60 },
      );
    }
  });

  it("V2 mask type names: case-insensitive", () => {
    const metadata: Record<string, unknown> = {
      "Regular Expression": { regex: "\\d", replacement: "#" },
      "Custom Function": { sqlFunction: "UPPER(@column)" },
      "Consistent Value": { constant: "x" },
      Grouping: { bucketSize: 5 },
    };
    agree(withRule(maskRule({ type: "\u212A-Anonymization" })), true);
    for (const [name, { type }] of Object.entries(V2_MASK_TYPES)) {
      const config = (t: string) => ({ type: t, ...(name.startsWith("null") ? {} : (metadata[type] as object)) });
      fc.assert(
        fc.property(fc.oneof(letterCase(name), corrupt(name)), (t) => agree(withRule(maskRule(config(t))))),
        { numRuns: 40 },
      );
    }
  });

  it("column data types: what columnTypeOf knows", () => {
    const column = (dataType: string) => ({ dataSources: [{ ...DS, columns: [{ name: "c", dataType }] }] });
    for (const t of ["VARCHAR(255)", " Integer ", "decimal(10, 0)", "timestamp with time zone", "int[]", "Foo Bar(1)[]", "\u212Aey[]"]) agree(column(t), true);
    for (const t of ["varchr", "", "double  precision", "text(", "text)", "int 4", "[]x"]) agree(column(t), false);
    const known = fc.constantFrom(...ACCEPTED_DATA_TYPES).chain(letterCase);
    const dataType = fc
      .tuple(
        fc.constantFrom("", " ", "\t"),
        fc.oneof(known, known.chain(corrupt), fc.stringMatching(/^[a-zA-Z0-9_ ]{0,12}$/)),
        fc.constantFrom("", " ", "(10)", " (10, 2)", "(", "(a)(b)"),
        fc.constantFrom("", "", "[]", "[", " []"),
        fc.constantFrom("", " ", "\n"),
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(dataType, (t) => agree(column(t))),
      { numRuns: 400 },
    );
  });
});
