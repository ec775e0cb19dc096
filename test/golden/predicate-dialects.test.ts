/**
 * Golden SQL for every @-function in every dialect: fixtures/sql/predicate-dialects.json
 * holds, for each predicate, what each dialect renders for a user with no values and for
 * one whose every value is adversarial (quotes, backslashes, comment markers, `$$`,
 * backticks, unicode, a newline, a NUL). The file is compared byte for byte.
 *
 * UPDATE_GOLDENS=1 (or UPDATE_GOLDEN=1, as for the other goldens) rewrites the file;
 * review every line of the diff, per dialect, before committing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIALECT_IDS, type DialectId } from "../../src/sql/dialect.js";
import { prepareWhere, type WhereSource, type WhereUser } from "../helpers/where.js";

const FILE = join(import.meta.dirname, "../../fixtures/sql/predicate-dialects.json");
const update = process.env["UPDATE_GOLDENS"] === "1" || process.env["UPDATE_GOLDEN"] === "1";

const COLUMNS: WhereSource["columns"] = [
  { name: "region" },
  { name: "team" },
  { name: "owner" },
  { name: "idp" },
  { name: 'we"ird' },
  { name: "it's" },
  { name: "a\\b" },
  { name: "back`tick" },
  { name: "tagged col", tags: ["Sensitive"] },
];

const VALUES = ["it's", "a\\b", "\\'", "'); DROP TABLE t; --", "*/ OR /*", "$$", "`", '"q"', "é日本🙂", "line\nbreak", "nul\u0000byte"];

const USERS: Record<string, WhereUser> = {
  none: {},
  adversary: { groups: VALUES, authorizations: { dept: VALUES }, purposes: VALUES, userid: "o'neil\\", iamid: 'saml"--' },
};

/** [name, predicate]: each function, each form of column argument, and predicates that read differently per dialect. */
const CASES: readonly (readonly [string, string])[] = [
  ["@attributeValuesContains on a column", "@attributeValuesContains('dept', 'region')"],
  ["@attributeValuesContains on @columnReference", "@attributeValuesContains('dept', @columnReference('we\\\"ird'))"],
  ["@attributeValuesContains on @columnTagged", "@attributeValuesContains('dept', @columnTagged('Sensitive'))"],
  ["@attributeValuesContains on a subquery", "@attributeValuesContains('dept', (SELECT max(region) FROM t WHERE owner = @username))"],
  ["@attributeValuesContains on an SQL expression string", "@attributeValuesContains('dept', 'lower(region)')"],
  ["@attributeValuesContains with a placeholder", "@attributeValuesContains('dept', 'region', 'it''s none')"],
  ["@groupsContains", "@groupsContains('team')"],
  ["@groupsContains with a placeholder", "@groupsContains(@columnReference('team'), 'no group')"],
  ["@purposesContains", "@purposesContains('team')"],
  ["@hasAttribute", "@hasAttribute('dept', 'it''s') OR @hasAttribute('dept', 'absent')"],
  ["@isInGroups", "@isInGroups('it''s', 'a\\b')"],
  ["@isUsingPurpose", "@isUsingPurpose('$$')"],
  ["@username", "owner = @username"],
  ["@iam", "idp = @iam()"],
  ["@columnTagged", "@columnTagged('Sensitive') = 'x'"],
  ["@columnTagged of an absent tag", "@columnTagged('Absent') = 'x'"],
  [
    "@columnReference with escapes",
    "@columnReference('it\\'s') = @columnReference('a\\\\b') OR @columnReference('back\\`tick') <> @columnReference('we\\\"ird')",
  ],
  ["@columnReference of a missing column", "@columnReference('nope') = 1"],
  ["comments are dropped", "region = 'x' -- @username\n OR /* @iam */ team = 'y'"],
  ["a backslash before a quote", "note = 'a\\' OR owner = @username -- '"],
  ["a dollar-quoted string", "$$ @username $$ = owner"],
  ["backticks", "` @iam ` = idp"],
  ["a double-quoted token", "\"@iam\" = 'x'"],
  ["the author's prefixed and triple-quoted strings", "x = E'@iam' OR y = r'@iam' OR z = '''@iam'''"],
  ["a string only some engines end", "note = 'a\\'"],
  ["# comments", "x = 1 # @username"],
  ["// comments", "x = 1 // @username"],
];

function outcome(predicate: string, dialect: DialectId, user: WhereUser): string {
  const r = prepareWhere(predicate, { dialect, columns: COLUMNS });
  if (!r.ok) return `invalid: ${r.issues.map((i) => i.message).join("; ")}`;
  const e = r.value.expand(user);
  if (e.status === "sql") return e.sql;
  if (e.status === "noRows") return `noRows: ${e.problems.join("; ")}`;
  return `notApplied: ${e.detail}`;
}

function goldenCase([name, predicate]: readonly [string, string]) {
  return {
    name,
    predicate,
    ...Object.fromEntries(DIALECT_IDS.map((d) => [d, Object.fromEntries(Object.entries(USERS).map(([u, user]) => [u, outcome(predicate, d, user)]))])),
  };
}

const actual = { columns: COLUMNS, users: USERS, cases: CASES.map(goldenCase) };
const text = `${JSON.stringify(actual, null, 2)}\n`;
if (update) writeFileSync(FILE, text);
const golden = JSON.parse(readFileSync(FILE, "utf8")) as typeof actual;

describe("predicate SQL per dialect (fixtures/sql/predicate-dialects.json)", () => {
  it("covers every function and every dialect", () => {
    const predicates = CASES.map(([, p]) => p).join("\n");
    for (const f of [
      "@attributeValuesContains",
      "@groupsContains",
      "@purposesContains",
      "@hasAttribute",
      "@isInGroups",
      "@isUsingPurpose",
      "@username",
      "@iam",
      "@columnTagged",
      "@columnReference",
    ]) {
      expect(predicates).toContain(`${f}`);
    }
    expect(Object.keys(golden.cases[0]!)).toEqual(["name", "predicate", ...DIALECT_IDS]);
  });

  it.each(actual.cases.map((c, i) => [c.name, c, i] as const))("%s", (_name, c, i) => {
    expect(c).toEqual(golden.cases[i]);
  });

  it("the file matches byte for byte", () => {
    expect(text).toBe(readFileSync(FILE, "utf8"));
  });
});
