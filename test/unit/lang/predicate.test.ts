import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { VeilIssue } from "../../../src/errors.js";
import { expandPredicate, parsePredicate, taggedColumnsOf, type ExpansionContext, type PredicateTemplate } from "../../../src/lang/predicate.js";
import { quoteLiteral } from "../../../src/sql/quote.js";

const YAML_DIR = join(import.meta.dirname, "../../../fixtures/corpus/yaml");

function parsed(text: string): PredicateTemplate {
  const r = parsePredicate(text);
  if (!r.ok) throw new Error(`expected ok for ${text}, got ${JSON.stringify(r.issues)}`);
  return r.value;
}

function rejected(text: string): VeilIssue {
  const r = parsePredicate(text, ["globalPolicies", 0, "actions", 0, "rules", 1, "config", "predicate"]);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  expect(r.issues).toHaveLength(1);
  const i = r.issues[0]!;
  expect(i.code).toBe("invalid_condition");
  expect(i.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 1, "config", "predicate"]);
  // House style: lowercase start, no final period.
  expect(i.message).toMatch(/^[a-z`]/);
  expect(i.message).not.toMatch(/\.$/);
  return i;
}

interface Fixture {
  groups?: string[];
  attributes?: Record<string, string[]>;
  purposes?: string[];
  username?: string;
  iam?: string;
  columns?: string[];
  tags?: Record<string, string>;
}

function ctx(f: Fixture = {}): ExpansionContext {
  const columns = f.columns ?? ["rls_department", "region", "team", "owner"];
  const tags = f.tags ?? { "Data Entity.PO.Department": "rls_department" };
  return {
    groups: f.groups ?? [],
    attributes: f.attributes ?? {},
    purposes: f.purposes ?? [],
    username: f.username ?? "alice",
    iam: f.iam ?? "okta",
    columnForTag: (tag) => (Object.hasOwn(tags, tag) ? tags[tag] : undefined),
    hasColumn: (name) => columns.includes(name),
  };
}

function sql(text: string, f: Fixture = {}): string {
  const e = expandPredicate(parsed(text), ctx(f));
  if (!e.applies) throw new Error(`expected the rule to apply: ${e.reason}`);
  return e.sql;
}

describe("parsePredicate: structure", () => {
  it("keeps plain SQL as one part and the source as given", () => {
    expect(parsed("1=1")).toEqual({ source: "1=1", parts: [{ kind: "sql", text: "1=1" }] });
    expect(parsed("")).toEqual({ source: "", parts: [] });
  });

  it("splits SQL and calls, with unescaped args and the offset of the @", () => {
    expect(parsed("x = @username AND @isInGroups('a''b', 'c')").parts).toEqual([
      { kind: "sql", text: "x = " },
      { kind: "call", name: "@username", args: [], at: 4 },
      { kind: "sql", text: " AND " },
      { kind: "call", name: "@isInGroups", args: ["a'b", "c"], at: 18 },
    ]);
  });

  it("does not look for functions inside strings, quoted identifiers or backticks", () => {
    for (const text of ["email = 'x@username.com'", `"@iam" = 1`, "`@foo``@bar` = 1", "a = 'it''s @hasAttribute'", `"a""@x" = 'y'`]) {
      expect(parsed(text).parts).toEqual([{ kind: "sql", text }]);
    }
  });

  it("treats an @ not followed by a letter as SQL", () => {
    expect(parsed("@ -5 = 5 AND @1").parts).toEqual([{ kind: "sql", text: "@ -5 = 5 AND @1" }]);
  });

  it("accepts whitespace around arguments and before the parenthesis", () => {
    expect(parsed("@hasAttribute ( 'n' ,'v' )").parts).toEqual([{ kind: "call", name: "@hasAttribute", args: ["n", "v"], at: 0 }]);
  });

  it("accepts @username and @iam with an optional empty ()", () => {
    expect(sql("@username() = owner AND @iam( ) = 'x'")).toBe("'alice' = owner AND 'okta' = 'x'");
  });
});

describe("expandPredicate: functions", () => {
  const user: Fixture = { groups: ["eng", "ops"], attributes: { dept: ["EMI", "OLG", "EMI"] }, purposes: ["Audit"] };

  it("@attributeValuesContains on a column: quoted identifier, values in order, deduplicated", () => {
    expect(sql("@attributeValuesContains('dept', 'rls_department')", user)).toBe(`"rls_department" IN ('EMI', 'OLG')`);
  });

  it("@attributeValuesContains on an SQL expression inserts the author's text in parentheses", () => {
    expect(sql(`@attributeValuesContains('dept', 'split( X, "/") [safe_offset(0)]')`, user)).toBe(`(split( X, "/") [safe_offset(0)]) IN ('EMI', 'OLG')`);
    // Column names compare exactly: `Region` is not the column `region`.
    expect(sql("@attributeValuesContains('dept', 'Region')", user)).toBe("(Region) IN ('EMI', 'OLG')");
  });

  it("empty value lists keep the IN shape and match nothing", () => {
    expect(sql("@attributeValuesContains('dept', 'region')")).toBe(`"region" IN (NULL)`);
    expect(sql("@attributeValuesContains('missing', 'region')", user)).toBe(`"region" IN (NULL)`);
    expect(sql("@attributeValuesContains('constructor', 'region')", user)).toBe(`"region" IN (NULL)`);
    expect(sql("@attributeValuesContains('__proto__', 'region')", user)).toBe(`"region" IN (NULL)`);
    expect(sql("@groupsContains('team')")).toBe(`"team" IN (NULL)`);
    expect(sql("@purposesContains('team')")).toBe(`"team" IN (NULL)`);
  });

  it("@groupsContains and @purposesContains", () => {
    expect(sql("@groupsContains('team')", user)).toBe(`"team" IN ('eng', 'ops')`);
    expect(sql("@purposesContains('lower(team)')", user)).toBe("(lower(team)) IN ('Audit')");
  });

  it("@hasAttribute is exact", () => {
    expect(sql("@hasAttribute('dept', 'OLG')", user)).toBe("true");
    expect(sql("@hasAttribute('dept', 'olg')", user)).toBe("false");
    expect(sql("@hasAttribute('Dept', 'OLG')", user)).toBe("false");
    expect(sql("@hasAttribute('toString', '')", user)).toBe("false");
  });

  it("@isInGroups needs every group; @isUsingPurpose", () => {
    expect(sql("@isInGroups('eng')", user)).toBe("true");
    expect(sql("@isInGroups('eng', 'ops')", user)).toBe("true");
    expect(sql("@isInGroups('eng', 'hr')", user)).toBe("false");
    expect(sql("@isInGroups('ENG')", user)).toBe("false");
    expect(sql("@isUsingPurpose('Audit')", user)).toBe("true");
    expect(sql("@isUsingPurpose('audit')", user)).toBe("false");
  });

  it("@username and @iam become literals", () => {
    expect(sql("owner = @username OR idp = @iam", { username: "o'neil", iam: "saml" })).toBe("owner = 'o''neil' OR idp = 'saml'");
  });

  it("@columnTagged becomes the tagged column, or the rule does not apply", () => {
    expect(sql("@columnTagged('Data Entity.PO.Department') IN ('EMI','OLG')")).toBe(`"rls_department" IN ('EMI','OLG')`);
    expect(sql("@columnTagged('t') = 1", { tags: { t: 'we"ird' } })).toBe(`"we""ird" = 1`);
    expect(expandPredicate(parsed("@username = owner AND @columnTagged('Nope') = 1"), ctx())).toEqual({ applies: false, reason: "no column is tagged `Nope`" });
  });

  it("@columnReference becomes the quoted column, or the rule does not apply", () => {
    expect(sql("@columnReference('region') = 'US'")).toBe(`"region" = 'US'`);
    const e = expandPredicate(parsed("@columnReference('REGION') = 'US'"), ctx());
    expect(e.applies).toBe(false);
    if (!e.applies) expect(e.reason).toContain("`REGION`");
  });

  it("taggedColumnsOf lists @columnTagged tags once, in order", () => {
    expect(taggedColumnsOf(parsed("@columnTagged('b') = @columnTagged('a') OR @columnTagged('b') > 0 OR '@columnTagged(''c'')' = x"))).toEqual(["b", "a"]);
    expect(taggedColumnsOf(parsed("1=1"))).toEqual([]);
  });
});

describe("expandPredicate: user values are data", () => {
  const nasty = ["it's", "''", "\\", "\\'", "a -- b", "/* x", "*/", "; DROP TABLE t", `"q"`, "é日本🙂", "a\u0000b", "", " "];

  it("every user value enters only as quoteLiteral", () => {
    for (const v of nasty) {
      const f: Fixture = { groups: [v], attributes: { A: [v] }, purposes: [v], username: v, iam: v };
      expect(sql("@attributeValuesContains('A', 'region')", f)).toBe(`"region" IN (${quoteLiteral(v)})`);
      expect(sql("@groupsContains('team') AND @purposesContains('team')", f)).toBe(`"team" IN (${quoteLiteral(v)}) AND "team" IN (${quoteLiteral(v)})`);
      expect(sql("@username = @iam", f)).toBe(`${quoteLiteral(v)} = ${quoteLiteral(v)}`);
      expect(sql(`@hasAttribute('A', '${v.replaceAll("'", "''")}')`, f)).toBe("true");
    }
  });

  it("a NUL stays inside the literal it belongs to", () => {
    expect(sql("@username = owner", { username: "x\u0000' OR 1=1 --" })).toBe("'x\u0000'' OR 1=1 --' = owner");
  });
});

describe("parsePredicate: errors", () => {
  it("unknown functions name the accepted ones", () => {
    const i = rejected("a = 1 AND @foo('x')");
    expect(i.message).toContain("`@foo`");
    expect(i.message).toContain("column 11");
    expect(i.message).toContain(
      "@attributeValuesContains, @groupsContains, @purposesContains, @hasAttribute, @isInGroups, @isUsingPurpose, @username, @iam, @columnTagged, @columnReference",
    );
    expect(rejected("@USERNAME").message).toContain("`@USERNAME`");
    expect(rejected("@username_x = 1").message).toContain("`@username_x`");
    expect(rejected("@usernames").message).toContain("`@usernames`");
  });

  it("wrong arity", () => {
    expect(rejected("@groupsContains()").message).toBe("`@groupsContains` at column 1 takes 1 argument, got 0");
    expect(rejected("@purposesContains('a', 'b')").message).toBe("`@purposesContains` at column 1 takes 1 argument, got 2");
    expect(rejected("x AND @hasAttribute('a')").message).toBe("`@hasAttribute` at column 7 takes 2 arguments, got 1");
    expect(rejected("@hasAttribute('a','b','c')").message).toContain("takes 2 arguments, got 3");
    expect(rejected("@attributeValuesContains('a')").message).toContain("takes 2 arguments, got 1");
    expect(rejected("@isInGroups()").message).toBe("`@isInGroups` at column 1 takes at least 1 argument, got 0");
    expect(rejected("@isUsingPurpose('a','b')").message).toContain("takes 1 argument, got 2");
    expect(rejected("@columnTagged()").message).toContain("takes 1 argument, got 0");
    expect(rejected("@columnReference('a','b')").message).toContain("takes 1 argument, got 2");
    expect(rejected("@username('x')").message).toBe("`@username` takes no arguments (column 10)");
    expect(rejected("1 = @iam(x)").message).toBe("`@iam` takes no arguments (column 9)");
  });

  it("arguments must be single-quoted literals", () => {
    expect(rejected("@groupsContains(team)").message).toBe("arguments of `@groupsContains` must be single-quoted strings; found `team` at column 17");
    expect(rejected(`@isInGroups("a")`).message).toContain('found `"a"` at column 13');
    expect(rejected("@isInGroups('a',)").message).toContain("found `)` at column 17");
    expect(rejected("@isInGroups('a' 'b')").message).toBe("expected `,` or `)` in the arguments of `@isInGroups`; found `'` at column 17");
    expect(rejected("@hasAttribute('a', @username)").message).toContain("found `@username` at column 20");
  });

  it("a column-or-expression target may not be blank", () => {
    expect(rejected("@groupsContains('')").message).toContain("needs a column name or SQL expression");
    expect(rejected("@attributeValuesContains('a', '  ')").message).toContain("column 1");
  });

  it("missing parentheses", () => {
    expect(rejected("@groupsContains = 1").message).toBe("`@groupsContains` at column 1 must be followed by `(`; found `=`");
    expect(rejected("x = @isInGroups").message).toBe("`@isInGroups` at column 5 must be followed by `(`; found end of text");
    expect(rejected("@isInGroups('a'").message).toBe("missing `)` after the arguments of `@isInGroups` at column 1");
    expect(rejected("@isInGroups('a', ").message).toBe("missing `)` after the arguments of `@isInGroups` at column 1");
    expect(rejected("@isInGroups(").message).toContain("missing `)`");
  });

  it("unterminated strings and identifiers", () => {
    expect(rejected("a = 'x").message).toBe("unterminated string starting at column 5");
    expect(rejected("a = 'x''").message).toBe("unterminated string starting at column 5");
    expect(rejected(`"a = 1`).message).toBe("unterminated quoted identifier starting at column 1");
    expect(rejected("`a = 1").message).toBe("unterminated quoted identifier starting at column 1");
    expect(rejected("@isInGroups('a)").message).toBe("unterminated string starting at column 13");
  });

  it("counts columns in code points", () => {
    expect(rejected("'🙂' = @nope").message).toContain("column 7");
  });

  it("defaults the path to the root", () => {
    const r = parsePredicate("@nope");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.path).toEqual([]);
  });
});

/** Every `predicate` string in a YAML document. */
function predicatesIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) predicatesIn(x, out);
  else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "predicate" && typeof v === "string") out.push(v);
      else predicatesIn(v, out);
    }
  }
  return out;
}

describe("real-world corpus predicates", () => {
  const files = readdirSync(YAML_DIR).filter((f) => f.endsWith(".yaml"));
  const all = files.flatMap((f) => predicatesIn(parseYaml(readFileSync(join(YAML_DIR, f), "utf8"))).map((p) => [f, p] as const));

  it("finds the corpus", () => {
    for (const prefix of ["pttep-13", "pttep-14", "pttep-17", "pttep-21"]) expect(all.some(([f]) => f.startsWith(prefix))).toBe(true);
  });

  it.each(all)("%s parses: %s", (_file, text) => {
    const t = parsed(text);
    const tags = Object.fromEntries(taggedColumnsOf(t).map((tag) => [tag, "tagged"]));
    const e = expandPredicate(t, ctx({ attributes: { "EntraID.department": ["EMI"] }, tags }));
    expect(e.applies).toBe(true);
    if (t.parts.every((p) => p.kind === "sql") && e.applies) expect(e.sql).toBe(text);
  });

  it("pttep-13/21: @attributeValuesContains over a column and over a BigQuery expression", () => {
    const text = `@attributeValuesContains('EntraID.department', 'rls_department') or (@attributeValuesContains('EntraID.department', 'split( ContractHolderDepartmentSection_IHERZ, "/") [safe_offset(0)]') or x='OLG/M')`;
    const calls = parsed(text).parts.filter((p) => p.kind === "call");
    expect(calls.map((c) => c.args)).toEqual([
      ["EntraID.department", "rls_department"],
      ["EntraID.department", 'split( ContractHolderDepartmentSection_IHERZ, "/") [safe_offset(0)]'],
    ]);
    expect(sql(text, { attributes: { "EntraID.department": ["EMI"] } })).toBe(
      `"rls_department" IN ('EMI') or ((split( ContractHolderDepartmentSection_IHERZ, "/") [safe_offset(0)]) IN ('EMI') or x='OLG/M')`,
    );
  });

  it("pttep-14: @columnTagged", () => {
    const t = parsed("@columnTagged('Data Entity.PO.Department') IN ('EMI','OLG','OLG/M','EMX','EME')");
    expect(taggedColumnsOf(t)).toEqual(["Data Entity.PO.Department"]);
    const e = expandPredicate(t, ctx({ tags: {} }));
    expect(e.applies).toBe(false);
  });

  it("pttep-15: two tags", () => {
    const t = parsed("@columnTagged('Data Entity.PO.Plant')='4101' AND @columnTagged('Data Entity.PO.Date') < '2014-01-01'");
    expect(taggedColumnsOf(t)).toEqual(["Data Entity.PO.Plant", "Data Entity.PO.Date"]);
    expect(expandPredicate(t, ctx({ tags: { "Data Entity.PO.Plant": "plant", "Data Entity.PO.Date": "d" } }))).toEqual({
      applies: true,
      sql: `"plant"='4101' AND "d" < '2014-01-01'`,
    });
  });
});
