/**
 * Custom-WHERE predicates: parsing (`parsePredicate`, per dialect) and expansion through
 * the real pipeline (test/helpers/where.ts: bundle → plan → rows → SQL). Expected SQL is
 * PostgreSQL's rendering (a source without `blobHandlerType`) unless a test names another
 * dialect; test/golden/predicate-dialects.test.ts pins every function in every dialect.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { VeilIssue } from "../../../src/errors.js";
import { callsOf, parsePredicate, taggedColumnsOf, type PredicateTemplate } from "../../../src/lang/predicate.js";
import { DIALECT_IDS, type DialectId, type LexRules } from "../../../src/sql/dialect.js";
import { DIALECTS } from "../../../src/sql/dialects/index.js";
import { quotedTokens } from "../../../src/sql/lexer.js";
import { prepareWhere, type WhereOutcome, type WhereSource, type WhereUser } from "../../helpers/where.js";

const YAML_DIR = join(import.meta.dirname, "../../../fixtures/corpus/yaml");
const PG = DIALECTS.postgres.lex;
const PATH = ["globalPolicies", 0, "actions", 0, "rules", 1, "config", "predicate"];

function parsed(text: string, lex: LexRules = PG): PredicateTemplate {
  const r = parsePredicate(text, lex);
  if (!r.ok) throw new Error(`expected ok for ${text}, got ${JSON.stringify(r.issues)}`);
  return r.value;
}

function rejected(text: string, lex: LexRules = PG): VeilIssue {
  const r = parsePredicate(text, lex, PATH);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  expect(r.issues).toHaveLength(1);
  const i = r.issues[0]!;
  expect(i.code).toBe("invalid_condition");
  expect(i.path).toEqual(PATH);
  // House style: lowercase start, no final period.
  expect(i.message).toMatch(/^[a-z`$]/);
  expect(i.message).not.toMatch(/\.$/);
  return i;
}

interface Fixture {
  groups?: string[];
  attributes?: Record<string, string[]>;
  purposes?: string[];
  username?: string;
  iam?: string;
}

const COLUMNS: WhereSource["columns"] = [
  { name: "rls_department", tags: ["Data Entity.PO.Department"] },
  { name: "region" },
  { name: "team" },
  { name: "owner" },
];

interface On {
  dialect?: DialectId;
  columns?: WhereSource["columns"];
}

function toUser(f: Fixture): WhereUser {
  return {
    groups: f.groups ?? [],
    authorizations: f.attributes ?? {},
    purposes: f.purposes ?? [],
    userid: f.username ?? "alice",
    iamid: f.iam ?? "okta",
  };
}

/** The outcome of `text` for the user `f` on a source (PostgreSQL, COLUMNS unless told). */
function outcome(text: string, f: Fixture = {}, on: On = {}): WhereOutcome {
  const r = prepareWhere(text, { dialect: on.dialect ?? "postgres", columns: on.columns ?? COLUMNS });
  if (!r.ok) throw new Error(`expected ${text} to be valid, got ${JSON.stringify(r.issues)}`);
  return r.value.expand(toUser(f));
}

function sql(text: string, f: Fixture = {}, on: On = {}): string {
  const e = outcome(text, f, on);
  if (e.status !== "sql") throw new Error(`expected SQL for ${text}, got ${JSON.stringify(e)}`);
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
      { kind: "call", call: { name: "@username", args: [], at: 4 } },
      { kind: "sql", text: " AND " },
      {
        kind: "call",
        call: {
          name: "@isInGroups",
          args: [
            { kind: "string", value: "a'b" },
            { kind: "string", value: "c" },
          ],
          at: 18,
        },
      },
    ]);
  });

  it("does not look for functions inside strings or quoted identifiers, in every form of each dialect", () => {
    const cases: Record<DialectId, string[]> = {
      postgres: [
        "email = 'x@username.com'",
        `"@iam" = 1`,
        "a = 'it''s @hasAttribute'",
        `"a""@x" = 'y'`,
        "E'\\'@iam' = x",
        "$$@iam$$ = x",
        "$t$ @iam $ $$ $t$ = x",
        "U&'@iam' = x",
        `U&"@iam" = 1`,
      ],
      duckdb: ["E'\\'@iam' = x", "$$@iam$$ = x", `"@iam" = 1`],
      redshift: ["'\\'@iam' = x", "$$@iam$$ = x", `"@iam" = 1`],
      snowflake: ["'\\'@iam' = x", "'it''s @iam' = x", "$$@iam$$ = x", `"@iam" = 1`],
      databricks: ["'\\'@iam' = x", `"@iam" = x`, `"\\"@iam" = x`, "r'@iam' = x", "`@foo``@bar` = 1"],
      trino: ["'it''s @iam' = x", "U&'@iam' = x", `"@iam" = 1`],
      bigquery: ["'\\'@iam' = x", `"@iam" = x`, "'''@iam ' '' '''", `"""@iam " """`, "r'@x' = b'@y'", "rb'@x' = RB'@y'", "`@foo\\`@bar` = 1"],
    };
    for (const d of DIALECT_IDS) {
      for (const text of cases[d]) expect(parsed(text, DIALECTS[d].lex).parts, `${d}: ${text}`).toEqual([{ kind: "sql", text }]);
    }
  });

  it("reads a quote the way the dialect does: a string in one engine is code in another", () => {
    // PostgreSQL's `'…'` keeps a backslash; Snowflake's escapes the quote, so the @iam is inside the string.
    const text = "x = 'a\\' OR y = @iam -- '";
    expect(parsed(text).parts.map((p) => p.kind)).toEqual(["sql", "call", "sql"]);
    for (const d of ["snowflake", "databricks", "bigquery", "redshift"] as const) expect(parsed(text, DIALECTS[d].lex).parts).toEqual([{ kind: "sql", text }]);
    // Backticks quote only in Databricks and BigQuery.
    expect(() => parsed("` @foo ` = 1")).toThrow("unknown function `@foo`");
    // `$$` quotes only where the engine has dollar quoting.
    expect(parsed("$$ @iam $$", DIALECTS.trino.lex).parts.map((p) => p.kind)).toEqual(["sql", "call", "sql"]);
  });

  it("treats an @ not followed by a letter as SQL", () => {
    expect(parsed("@ -5 = 5 AND @1").parts).toEqual([{ kind: "sql", text: "@ -5 = 5 AND @1" }]);
  });

  it("accepts whitespace around arguments and before the parenthesis", () => {
    expect(parsed("@hasAttribute ( 'n' ,'v' )").parts).toEqual([
      {
        kind: "call",
        call: {
          name: "@hasAttribute",
          args: [
            { kind: "string", value: "n" },
            { kind: "string", value: "v" },
          ],
          at: 0,
        },
      },
    ]);
  });

  it("accepts @username and @iam with an optional empty ()", () => {
    expect(sql("@username() = owner AND @iam( ) = 'x'")).toBe("'alice' = owner AND 'okta' = 'x'");
    // The parentheses must follow the name directly; `@username ()` is the call then SQL.
    expect(parsed("@username ()").parts).toEqual([
      { kind: "call", call: { name: "@username", args: [], at: 0 } },
      { kind: "sql", text: " ()" },
    ]);
  });

  it("column arguments: a string, @columnReference, @columnTagged or a parenthesised SQL expression", () => {
    expect(parsed("@attributeValuesContains('a', @columnReference('c'), 'ph')").parts).toEqual([
      {
        kind: "call",
        call: {
          name: "@attributeValuesContains",
          args: [
            { kind: "string", value: "a" },
            { kind: "call", call: { name: "@columnReference", args: [{ kind: "string", value: "c" }], at: 30 } },
            { kind: "string", value: "ph" },
          ],
          at: 0,
        },
      },
    ]);
    expect(parsed("@groupsContains(@columnTagged('T'), 'none')").parts).toEqual([
      {
        kind: "call",
        call: {
          name: "@groupsContains",
          args: [
            { kind: "call", call: { name: "@columnTagged", args: [{ kind: "string", value: "T" }], at: 16 } },
            { kind: "string", value: "none" },
          ],
          at: 0,
        },
      },
    ]);
    const text = "@purposesContains((SELECT max(x) FROM t /* ) */ WHERE o = @username AND p = ')'))";
    expect(parsed(text).parts).toEqual([
      {
        kind: "call",
        call: {
          name: "@purposesContains",
          args: [
            {
              kind: "sql",
              template: {
                source: "(SELECT max(x) FROM t /* ) */ WHERE o = @username AND p = ')')",
                parts: [
                  { kind: "sql", text: "(SELECT max(x) FROM t  WHERE o = " },
                  { kind: "call", call: { name: "@username", args: [], at: 58 } },
                  { kind: "sql", text: " AND p = ')')" },
                ],
              },
            },
          ],
          at: 0,
        },
      },
    ]);
  });

  it("@columnReference takes backslash escapes for \\ ' \" ` (and '' still works); other functions do not", () => {
    const arg = (text: string) => callsOf(parsed(text))[0]!.args[0];
    expect(arg("@columnReference('it\\'s')")).toEqual({ kind: "string", value: "it's" });
    expect(arg("@columnReference('it''s')")).toEqual({ kind: "string", value: "it's" });
    expect(arg("@columnReference('a\\\\b')")).toEqual({ kind: "string", value: "a\\b" });
    expect(arg("@columnReference('we\\\"ird')")).toEqual({ kind: "string", value: 'we"ird' });
    expect(arg("@columnReference('back\\`tick')")).toEqual({ kind: "string", value: "back`tick" });
    // Elsewhere a backslash is an ordinary character.
    expect(arg("@isInGroups('a\\')")).toEqual({ kind: "string", value: "a\\" });
  });

  it("callsOf and taggedColumnsOf see calls nested in column arguments and subqueries", () => {
    const t = parsed("@attributeValuesContains('a', @columnTagged('x')) OR @groupsContains((SELECT @columnTagged('y') FROM t)) OR @columnTagged('x') = 1");
    expect(callsOf(t).map((c) => c.name)).toEqual(["@attributeValuesContains", "@columnTagged", "@groupsContains", "@columnTagged", "@columnTagged"]);
    expect(taggedColumnsOf(t)).toEqual(["x", "y"]);
  });

  it("taggedColumnsOf lists @columnTagged tags once, in order", () => {
    expect(taggedColumnsOf(parsed("@columnTagged('b') = @columnTagged('a') OR @columnTagged('b') > 0 OR '@columnTagged(''c'')' = x"))).toEqual(["b", "a"]);
    expect(taggedColumnsOf(parsed("1=1"))).toEqual([]);
  });
});

describe("parsePredicate: comments are read and dropped", () => {
  it("an @-function inside a comment is neither expanded nor an error", () => {
    expect(parsed("a = 1 -- @foo('x')\nAND b = 2 /* @bar( */ OR c").parts).toEqual([{ kind: "sql", text: "a = 1 AND b = 2  OR c" }]);
    expect(parsed("x = 1 -- @nope('").parts).toEqual([{ kind: "sql", text: "x = 1 " }]);
    expect(sql("owner = @username -- @iam\n OR /* @username */ region = 'x'")).toBe("owner = 'alice'  OR  region = 'x'");
  });

  it("a dropped comment still separates the tokens around it", () => {
    expect(parsed("x/**/=--c\n1").parts).toEqual([{ kind: "sql", text: "x = 1" }]);
    expect(parsed("/* lead */ x").parts).toEqual([{ kind: "sql", text: " x" }]);
  });

  it("comment markers inside strings are text, and quotes inside comments open nothing", () => {
    expect(sql("'a -- b' = @username AND '/* c */' = owner")).toBe("'a -- b' = 'alice' AND '/* c */' = owner");
    expect(sql("owner = @username -- it's\nAND 1 = 1")).toBe("owner = 'alice' AND 1 = 1");
  });

  it("each dialect's own comment forms", () => {
    expect(parsed("x = 1 # @nope\nAND y", DIALECTS.bigquery.lex).parts).toEqual([{ kind: "sql", text: "x = 1 AND y" }]);
    expect(parsed("x = 1 // @nope\nAND y", DIALECTS.snowflake.lex).parts).toEqual([{ kind: "sql", text: "x = 1 AND y" }]);
    // Elsewhere `#` and `//` are code, so the @-function after them is a call.
    expect(rejected("x = 1 # @nope").message).toContain("unknown function `@nope`");
    expect(rejected("x = 1 // @nope", DIALECTS.bigquery.lex).message).toContain("unknown function `@nope`");
  });

  it("block comments nest where the engine nests them", () => {
    const text = "/* a /* @x */ @y */ 1";
    for (const d of ["postgres", "duckdb", "redshift", "databricks"] as const)
      expect(parsed(text, DIALECTS[d].lex).parts).toEqual([{ kind: "sql", text: " 1" }]);
    for (const d of ["snowflake", "trino", "bigquery"] as const) expect(rejected(text, DIALECTS[d].lex).message).toContain("unknown function `@y`");
  });

  it("no expanded value ever sits inside a comment", () => {
    expect(sql("owner = @username -- trailing")).toBe("owner = 'alice' ");
    for (const d of DIALECT_IDS) {
      const out = sql("/* a */ owner = @username -- b\n OR @groupsContains('team') /* c */ -- d", { groups: ["x"] }, { dialect: d });
      const lexed = quotedTokens(out, DIALECTS[d].lex);
      expect("tokens" in lexed && lexed.tokens.every((t) => t.kind !== "comment"), `${d}: ${out}`).toBe(true);
    }
  });
});

describe("expansion: functions", () => {
  const user: Fixture = { groups: ["eng", "ops"], attributes: { dept: ["EMI", "OLG", "EMI"] }, purposes: ["Audit"] };

  it("@attributeValuesContains on a column: quoted identifier, values in order, deduplicated", () => {
    expect(sql("@attributeValuesContains('dept', 'rls_department')", user)).toBe(`"rls_department" IN ('EMI', 'OLG')`);
  });

  it("@attributeValuesContains on an SQL expression inserts the author's text in parentheses", () => {
    expect(sql(`@attributeValuesContains('dept', 'split( X, "/") [safe_offset(0)]')`, user)).toBe(`(split( X, "/") [safe_offset(0)]) IN ('EMI', 'OLG')`);
    // Column names compare exactly: `Region` is not the column `region`.
    expect(sql("@attributeValuesContains('dept', 'Region')", user)).toBe("(Region) IN ('EMI', 'OLG')");
    // The expression is lexed too: its comments are dropped.
    expect(sql("@attributeValuesContains('dept', 'lower(team) -- x')", user)).toBe("(lower(team) ) IN ('EMI', 'OLG')");
  });

  it("@attributeValuesContains on @columnReference, @columnTagged and a subquery", () => {
    expect(sql("@attributeValuesContains('dept', @columnReference('region'))", user)).toBe(`"region" IN ('EMI', 'OLG')`);
    expect(sql("@attributeValuesContains('dept', @columnTagged('Data Entity.PO.Department'))", user)).toBe(`"rls_department" IN ('EMI', 'OLG')`);
    expect(sql("@attributeValuesContains('dept', (SELECT max(region) FROM t WHERE owner = @username))", user)).toBe(
      `((SELECT max(region) FROM t WHERE owner = 'alice')) IN ('EMI', 'OLG')`,
    );
  });

  it("empty value lists keep the IN shape and match nothing", () => {
    expect(sql("@attributeValuesContains('dept', 'region')")).toBe(`"region" IN (NULL)`);
    expect(sql("@attributeValuesContains('missing', 'region')", user)).toBe(`"region" IN (NULL)`);
    expect(sql("@attributeValuesContains('constructor', 'region')", user)).toBe(`"region" IN (NULL)`);
    expect(sql("@attributeValuesContains('__proto__', 'region')", user)).toBe(`"region" IN (NULL)`);
    expect(sql("@groupsContains('team')")).toBe(`"team" IN (NULL)`);
    expect(sql("@purposesContains('team')")).toBe(`"team" IN (NULL)`);
  });

  it("a placeholder is the only value when the user's list is empty, and unused otherwise", () => {
    expect(sql("@attributeValuesContains('dept', 'region', 'No Value')")).toBe(`"region" IN ('No Value')`);
    expect(sql("@attributeValuesContains('dept', 'region', 'No Value')", user)).toBe(`"region" IN ('EMI', 'OLG')`);
    expect(sql("@attributeValuesContains('missing', @columnReference('region'), 'it''s')", user)).toBe(`"region" IN ('it''s')`);
    expect(sql("@groupsContains('team', 'none')")).toBe(`"team" IN ('none')`);
    expect(sql("@groupsContains('team', 'none')", user)).toBe(`"team" IN ('eng', 'ops')`);
    // The placeholder is a value like any other: quoted by the dialect.
    expect(sql("@groupsContains('team', 'it''s\\')", {}, { dialect: "snowflake" })).toBe(`"team" IN ('it\\'s\\\\')`);
  });

  it("@groupsContains and @purposesContains", () => {
    expect(sql("@groupsContains('team')", user)).toBe(`"team" IN ('eng', 'ops')`);
    expect(sql("@purposesContains('lower(team)')", user)).toBe("(lower(team)) IN ('Audit')");
    expect(sql("@groupsContains(@columnReference('team'))", user)).toBe(`"team" IN ('eng', 'ops')`);
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
    expect(sql("@columnTagged('t') = 1", {}, { columns: [{ name: 'we"ird', tags: ["t"] }] })).toBe(`"we""ird" = 1`);
    expect(outcome("@username = owner AND @columnTagged('Nope') = 1")).toEqual({ status: "notApplied", detail: "no column is tagged `Nope`" });
    // Also as a column argument, and inside a subquery.
    expect(outcome("@groupsContains(@columnTagged('Nope'))")).toEqual({ status: "notApplied", detail: "no column is tagged `Nope`" });
    expect(outcome("@groupsContains((SELECT @columnTagged('Nope') FROM t))")).toEqual({ status: "notApplied", detail: "no column is tagged `Nope`" });
  });

  it("@columnReference becomes the quoted column; a column the source lacks shows no rows (fail closed)", () => {
    expect(sql("@columnReference('region') = 'US'")).toBe(`"region" = 'US'`);
    for (const text of ["@columnReference('REGION') = 'US'", "@groupsContains(@columnReference('REGION'))"]) {
      const e = outcome(text);
      expect(e.status).toBe("noRows");
      if (e.status === "noRows") expect(e.problems.join("\n")).toContain("`@columnReference('REGION')` names a column the data source does not have");
    }
  });

  it("@columnReference with escapes names the exact column", () => {
    const columns = [{ name: "it's" }, { name: "a\\b" }, { name: 'we"ird' }, { name: "back`tick" }];
    const text = "@columnReference('it\\'s') = @columnReference('a\\\\b') OR @columnReference('we\\\"ird') = @columnReference('back\\`tick')";
    expect(sql(text, {}, { columns })).toBe(`"it's" = "a\\b" OR "we""ird" = "back\`tick"`);
    expect(sql(text, {}, { columns, dialect: "databricks" })).toBe("`it's` = `a\\b` OR `we\"ird` = `back``tick`");
    expect(sql(text, {}, { columns, dialect: "bigquery" })).toBe("`it's` = `a\\\\b` OR `we\"ird` = `back\\`tick`");
  });

  it("a string column argument that the engine cannot read, or that holds an @-function, shows no rows", () => {
    const unreadable = outcome("@groupsContains('lower(''x)')");
    expect(unreadable.status).toBe("noRows");
    if (unreadable.status === "noRows")
      expect(unreadable.problems.join("\n")).toContain("is neither a column of the data source nor SQL it can read: unterminated string");
    const nested = outcome("@groupsContains('@username')");
    expect(nested.status).toBe("noRows");
    if (nested.status === "noRows") expect(nested.problems.join("\n")).toContain("holds an @-function; write it as a parenthesised expression instead");
  });
});

describe("expansion: user values are data", () => {
  const nasty = ["it's", "''", "\\", "\\'", "a -- b", "/* x", "*/", "; DROP TABLE t", `"q"`, "`", "$$", "é日本🙂", "a\nb", "a\u0000b", "", " "];

  it("every user value enters only through the dialect's quoteString, every column through quoteIdent", () => {
    for (const id of DIALECT_IDS) {
      const d = DIALECTS[id];
      const q = (v: string) => d.quoteString(v);
      for (const v of nasty) {
        const f: Fixture = { groups: [v], attributes: { A: [v] }, purposes: [v], username: v, iam: v };
        const on = { dialect: id };
        expect(sql("@attributeValuesContains('A', 'region')", f, on)).toBe(`${d.quoteIdent("region")} IN (${q(v)})`);
        expect(sql("@groupsContains('team') AND @purposesContains('team')", f, on)).toBe(
          `${d.quoteIdent("team")} IN (${q(v)}) AND ${d.quoteIdent("team")} IN (${q(v)})`,
        );
        expect(sql("@username = @iam", f, on)).toBe(`${q(v)} = ${q(v)}`);
        expect(sql(`@hasAttribute('A', '${v.replaceAll("'", "''")}')`, f, on)).toBe("true");
      }
    }
  });

  it("a NUL: NULL in PostgreSQL (text cannot hold it), spliced in with chr(0) in DuckDB", () => {
    const f = { username: "x\u0000' OR 1=1 --" };
    expect(sql("@username = owner", f)).toBe("NULL = owner");
    expect(sql("@username = owner", f, { dialect: "redshift" })).toBe("NULL = owner");
    expect(sql("@username = owner", f, { dialect: "duckdb" })).toBe("('x' || chr(0) || ''' OR 1=1 --') = owner");
    expect(sql("@username = owner", f, { dialect: "trino" })).toBe("U&'x\\0000'' OR 1=1 --' = owner");
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
    expect(rejected("@constructor('x')").message).toContain("unknown function `@constructor`");
    expect(rejected("-- @foo\n@bar").message).toContain("unknown function `@bar` at column 9");
  });

  it("wrong arity", () => {
    expect(rejected("@groupsContains()").message).toBe("`@groupsContains` at column 1 takes 1 to 2 arguments, got 0");
    expect(rejected("@groupsContains('a', 'b', 'c')").message).toBe("`@groupsContains` at column 1 takes 1 to 2 arguments, got 3");
    expect(rejected("@purposesContains('a', 'b')").message).toBe("`@purposesContains` at column 1 takes exactly 1 argument, got 2");
    expect(rejected("x AND @hasAttribute('a')").message).toBe("`@hasAttribute` at column 7 takes exactly 2 arguments, got 1");
    expect(rejected("@hasAttribute('a','b','c')").message).toContain("takes exactly 2 arguments, got 3");
    expect(rejected("@attributeValuesContains('a')").message).toBe("`@attributeValuesContains` at column 1 takes 2 to 3 arguments, got 1");
    expect(rejected("@attributeValuesContains('a', 'b', 'c', 'd')").message).toContain("takes 2 to 3 arguments, got 4");
    expect(rejected("@isInGroups()").message).toBe("`@isInGroups` at column 1 takes at least 1 argument, got 0");
    expect(rejected("@isUsingPurpose('a','b')").message).toContain("takes exactly 1 argument, got 2");
    expect(rejected("@columnTagged()").message).toContain("takes exactly 1 argument, got 0");
    expect(rejected("@columnReference('a','b')").message).toContain("takes exactly 1 argument, got 2");
    expect(rejected("@attributeValuesContains('a', @columnTagged('x', 'y'))").message).toBe("`@columnTagged` at column 31 takes exactly 1 argument, got 2");
    expect(rejected("@username('x')").message).toBe("`@username` takes no arguments (column 10)");
    expect(rejected("1 = @iam(x)").message).toBe("`@iam` takes no arguments (column 9)");
  });

  it("arguments must be single-quoted literals; column arguments may also be column functions or parenthesised SQL", () => {
    expect(rejected("@groupsContains(team)").message).toBe(
      "arguments of `@groupsContains` must be single-quoted strings, `@columnReference(…)`, `@columnTagged(…)` or a parenthesised SQL expression; found `team` at column 17",
    );
    expect(rejected(`@isInGroups("a")`).message).toBe('arguments of `@isInGroups` must be single-quoted strings; found `"a"` at column 13');
    expect(rejected("@isInGroups('a',)").message).toContain("found `)` at column 17");
    expect(rejected("@isInGroups('a' 'b')").message).toBe("expected `,` or `)` in the arguments of `@isInGroups`; found `'` at column 17");
    expect(rejected("@hasAttribute('a', @username)").message).toContain("found `@username` at column 20");
    // Only the column argument takes a column function, and only a column function.
    expect(rejected("@attributeValuesContains('a', @username)").message).toBe(
      "the column argument of `@attributeValuesContains` may be `@columnReference` or `@columnTagged`, not `@username` (column 31)",
    );
    expect(rejected("@attributeValuesContains(@columnReference('x'), 'y')").message).toBe(
      "arguments of `@attributeValuesContains` must be single-quoted strings; found `@columnReference` at column 26",
    );
    expect(rejected("@attributeValuesContains('a', 'b', @columnReference('x'))").message).toContain("found `@columnReference` at column 36");
    expect(rejected("@attributeValuesContains('a', 'b', (SELECT 1))").message).toContain("must be single-quoted strings; found `(` at column 36");
    expect(rejected("@isInGroups(@columnReference('x'))").message).toContain("found `@columnReference` at column 13");
    expect(rejected("@attributeValuesContains('a', @foo('x'))").message).toContain("unknown function `@foo` at column 31");
  });

  it("a column-or-expression target may not be blank", () => {
    expect(rejected("@groupsContains('')").message).toBe("`@groupsContains` at column 1 needs a column name or SQL expression, got an empty string");
    expect(rejected("@attributeValuesContains('a', '  ')").message).toContain("column 1");
  });

  it("missing parentheses", () => {
    expect(rejected("@groupsContains = 1").message).toBe("`@groupsContains` at column 1 must be followed by `(`; found `=`");
    expect(rejected("x = @isInGroups").message).toBe("`@isInGroups` at column 5 must be followed by `(`; found end of text");
    expect(rejected("@groupsContains(@columnTagged)").message).toBe("`@columnTagged` at column 17 must be followed by `(`; found `)`");
    expect(rejected("@isInGroups('a'").message).toBe("missing `)` after the arguments of `@isInGroups` at column 1");
    expect(rejected("@isInGroups('a', ").message).toBe("missing `)` after the arguments of `@isInGroups` at column 1");
    expect(rejected("@isInGroups(").message).toContain("missing `)`");
    expect(rejected("@attributeValuesContains('a', (SELECT 1)").message).toBe("missing `)` after the arguments of `@attributeValuesContains` at column 1");
    expect(rejected("@attributeValuesContains('a', (SELECT f(1) ").message).toBe("missing `)` for the SQL expression starting at column 31");
    // A parenthesis inside a string or comment of the expression does not close it.
    expect(rejected("@groupsContains((SELECT ')' /* ) */ ").message).toBe("missing `)` for the SQL expression starting at column 17");
  });

  it("unterminated strings, identifiers and comments", () => {
    expect(rejected("a = 'x").message).toBe("unterminated string starting at column 5");
    expect(rejected("a = 'x''").message).toBe("unterminated string starting at column 5");
    expect(rejected(`"a = 1`).message).toBe("unterminated quoted identifier starting at column 1");
    expect(rejected("`a = 1", DIALECTS.databricks.lex).message).toBe("unterminated quoted identifier starting at column 1");
    expect(rejected("`a = 1", DIALECTS.bigquery.lex).message).toBe("unterminated quoted identifier starting at column 1");
    expect(rejected("@isInGroups('a)").message).toBe("unterminated string starting at column 13");
    expect(rejected("@columnReference('a\\')").message).toBe("unterminated string starting at column 18");
    expect(rejected("a /* x").message).toBe("unterminated comment starting at column 3");
    expect(rejected("a /* x /* y */").message).toBe("unterminated comment starting at column 3");
    expect(rejected("$$abc").message).toBe("unterminated $$ string starting at column 1");
    expect(rejected("x = $t$abc$$").message).toBe("unterminated $t$ string starting at column 5");
    expect(rejected("x = E'a\\'").message).toBe("unterminated string starting at column 5");
    expect(rejected("x = 'a\\'", DIALECTS.snowflake.lex).message).toBe("unterminated string starting at column 5");
    expect(rejected("x = '''a''", DIALECTS.bigquery.lex).message).toBe("unterminated string starting at column 5");
  });

  it("counts columns in code points", () => {
    expect(rejected("'🙂' = @nope").message).toContain("column 7");
  });

  it("defaults the path to the root", () => {
    const r = parsePredicate("@nope", PG);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.path).toEqual([]);
  });

  it("a bundle reports the issue at the rule's predicate", () => {
    const r = prepareWhere("@nope", { dialect: "trino", columns: COLUMNS });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]!.code).toBe("invalid_condition");
      expect(r.issues[0]!.path).toEqual(["globalPolicies", 0, "actions", 0, "rules", 0, "config", "predicate"]);
    }
  });
});

/**
 * An expansion must stay a token of its own, whatever author text touches it. The
 * predicate is lexed once, with each call where its `@name` stands; the engine reads the
 * result afresh, and an expansion starts and ends with a quote, so text glued to it could
 * change the tokens around it:
 *   1. before it: `E@username` would render `E'…'`, a PostgreSQL escape string, and
 *      `r@username` a Databricks raw string, so a value such as `\' OR true --` would
 *      escape its literal;
 *   2. after it: `@username$$` would render `'u'$$`, where the engine opens a dollar-quoted
 *      string that Veil read as code;
 *   3. between quotes: two quotes then `@username` would render a BigQuery triple quote;
 *      and a comment dropped between two calls must still separate them.
 * So a call that touches a word character, a quote, `$`, `\` or another call is rejected,
 * with its column [ours], and a dropped comment leaves a space.
 */
describe("an expansion stays a token of its own, whatever author text touches it", () => {
  const tokenTexts = (text: string, d: DialectId): string[] => {
    const r = quotedTokens(text, DIALECTS[d].lex);
    if ("kind" in r) return [`<lex error: ${r.message}>`];
    return r.tokens.map((t) => text.slice(t.start, t.end));
  };
  const columns = [{ name: "a" }, { name: "b" }];

  it.each([
    ["postgres", "x = E@username", "`@username` at column 6 touches the SQL before it"],
    ["duckdb", "x = e@username", "`@username` at column 6 touches the SQL before it"],
    ["databricks", "x = r@username", "`@username` at column 6 touches the SQL before it"],
    ["postgres", "@username$$ = a$$", "`@username` at column 1 touches the SQL after it"],
    ["snowflake", "@username$$ = a$$", "`@username` at column 1 touches the SQL after it"],
    ["redshift", "@username$t$ = a$t$", "`@username` at column 1 touches the SQL after it"],
    ["bigquery", "x = ''@username", "`@username` at column 7 touches the SQL before it"],
    ["postgres", "@isInGroups('a')OR x", "`@isInGroups` at column 1 touches the SQL after it"],
    ["postgres", "@username@iam = x", "`@username` at column 1 touches the SQL after it"],
    ["postgres", "x = 'a'@username", "`@username` at column 8 touches the SQL before it"],
  ] as const)("rejects (%s) `%s`", (d, text, message) => {
    const r = parsePredicate(text, DIALECTS[d].lex);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]!.message).toContain(message);
  });

  it("keeps calls apart across a dropped comment", () => {
    expect(tokenTexts(sql("@columnReference('a')/**/@columnReference('b') = 1", {}, { columns }), "postgres")).toEqual(['"a"', '"b"']);
    expect(tokenTexts(sql("x = @username--c\n@iam"), "postgres")).toEqual(["'alice'", "'okta'"]);
  });

  it("accepts calls next to operators, parentheses, commas and spaces", () => {
    for (const text of ["(@username)", "@username||'x'", "x=@username", "x IN (@username,@iam)", "a=1 /*c*/@username"]) {
      expect(parsePredicate(text, DIALECTS.postgres.lex).ok, text).toBe(true);
    }
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

  it.each(all)("%s parses in every dialect and applies: %s", (_file, text) => {
    for (const d of DIALECT_IDS) {
      const t = parsed(text, DIALECTS[d].lex);
      const columns = [...COLUMNS, { name: "tagged", tags: taggedColumnsOf(t) }];
      const e = outcome(text, { attributes: { "EntraID.department": ["EMI"] } }, { dialect: d, columns });
      expect(e.status, d).toBe("sql");
      if (t.parts.every((p) => p.kind === "sql") && e.status === "sql") expect(e.sql, d).toBe(text);
    }
  });

  it("pttep-13/21: @attributeValuesContains over a column and over a BigQuery expression", () => {
    const text = `@attributeValuesContains('EntraID.department', 'rls_department') or (@attributeValuesContains('EntraID.department', 'split( ContractHolderDepartmentSection_IHERZ, "/") [safe_offset(0)]') or x='OLG/M')`;
    const calls = callsOf(parsed(text, DIALECTS.bigquery.lex));
    expect(calls.map((c) => c.args)).toEqual([
      [
        { kind: "string", value: "EntraID.department" },
        { kind: "string", value: "rls_department" },
      ],
      [
        { kind: "string", value: "EntraID.department" },
        { kind: "string", value: 'split( ContractHolderDepartmentSection_IHERZ, "/") [safe_offset(0)]' },
      ],
    ]);
    const f = { attributes: { "EntraID.department": ["EMI"] } };
    expect(sql(text, f)).toBe(`"rls_department" IN ('EMI') or ((split( ContractHolderDepartmentSection_IHERZ, "/") [safe_offset(0)]) IN ('EMI') or x='OLG/M')`);
    expect(sql(text, f, { dialect: "bigquery" })).toBe(
      "`rls_department` IN ('EMI') or ((split( ContractHolderDepartmentSection_IHERZ, \"/\") [safe_offset(0)]) IN ('EMI') or x='OLG/M')",
    );
  });

  it("pttep-14: @columnTagged", () => {
    const text = "@columnTagged('Data Entity.PO.Department') IN ('EMI','OLG','OLG/M','EMX','EME')";
    expect(taggedColumnsOf(parsed(text))).toEqual(["Data Entity.PO.Department"]);
    expect(outcome(text, {}, { columns: [{ name: "rls_department" }] }).status).toBe("notApplied");
  });

  it("pttep-15: two tags", () => {
    const text = "@columnTagged('Data Entity.PO.Plant')='4101' AND @columnTagged('Data Entity.PO.Date') < '2014-01-01'";
    expect(taggedColumnsOf(parsed(text))).toEqual(["Data Entity.PO.Plant", "Data Entity.PO.Date"]);
    const columns = [
      { name: "plant", tags: ["Data Entity.PO.Plant"] },
      { name: "d", tags: ["Data Entity.PO.Date"] },
    ];
    expect(outcome(text, {}, { columns })).toEqual({ status: "sql", sql: `"plant"='4101' AND "d" < '2014-01-01'` });
  });
});
