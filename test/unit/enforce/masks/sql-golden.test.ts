/**
 * Golden SQL for every mask kind in the six dialects (fixtures/sql/masks.json, compared
 * byte for byte), and a parse check of each with an independent SQL parser for that
 * dialect (@polyglot-sql/sdk): `SELECT <mask> AS m FROM t` must parse.
 *
 * The column is `we"ird` (quoted by the dialect) and the constants hold a quote and a
 * backslash, so quoting shows in every line. The salt comes from the tests' fixed secret.
 * UPDATE_GOLDEN=1 rewrites the file; review every line of the diff before committing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kAnonymizeSql, maskSql } from "../../../../src/enforce/masks/index.js";
import type { ColumnType } from "../../../../src/model/data-type.js";
import type { MaskSpec } from "../../../../src/model/policy.js";
import type { DialectId } from "../../../../src/sql/dialect.js";
import { DIALECTS } from "../../../../src/sql/dialects/index.js";
import { parseProblem } from "../../../helpers/sql-parser.js";
import { BOOLEAN, DOUBLE, HASH, INTEGER, mask, NULLIFY, sqlCtx, STRING, TIME } from "./helpers.js";

const FILE = join(import.meta.dirname, "../../../../fixtures/sql/masks.json");
const update = process.env["UPDATE_GOLDEN"] === "1" || process.env["UPDATE_GOLDENS"] === "1";

const TARGETS = ["postgres", "duckdb", "snowflake", "databricks", "trino", "bigquery"] as const satisfies readonly DialectId[];

const CASES: readonly (readonly [string, MaskSpec, ColumnType])[] = [
  ["hashing", HASH, STRING],
  ["nullify (string)", NULLIFY, STRING],
  ["nullify (integer)", NULLIFY, INTEGER],
  ["constant (string)", mask("Consistent Value", { constant: "it's \\ REDACTED" }), STRING],
  ["constant (integer)", mask("Consistent Value", { constant: "0" }), INTEGER],
  ["constant (decimal)", mask("Consistent Value", { constant: "9999.00" }), DOUBLE],
  ["constant (boolean)", mask("Consistent Value", { constant: "false" }), BOOLEAN],
  ["constant (time)", mask("Consistent Value", { constant: "2020-01-01T12:00:00+09:00" }), TIME],
  ["regex first match", mask("Regular Expression", { regex: "\\d{3}-(\\d{2})", replacement: "XXX-$1\\" }), STRING],
  ["regex global", mask("Regular Expression", { regex: "\\d", replacement: "#", global: true }), STRING],
  ["regex first match, case-insensitive", mask("Regular Expression", { regex: "it's.", replacement: "x", caseInsensitive: true }), STRING],
  ["regex global, case-insensitive", mask("Regular Expression", { regex: "[a-z]+\\s", replacement: "$", caseInsensitive: true, global: true }), STRING],
  ["rounding (double)", mask("Grouping", { bucketSize: 0.25 }), DOUBLE],
  ["rounding (integer)", mask("Grouping", { bucketSize: 1000 }), INTEGER],
  ...(["HOUR", "DAY", "MONTH", "QUARTER", "YEAR"] as const).map((p) => [`rounding (${p})`, mask("Grouping", { timePrecision: p }), TIME] as const),
  ["reversible (UDF)", mask("Reversible"), STRING],
  ["format preserving (UDF)", mask("Format Preserving Masking"), STRING],
  ["custom function", mask("Custom Function", { sqlFunction: "concat(substr(@column, 1, 2), '**') /* keep @column */" }), STRING],
  ["randomized response", mask("Randomized Response", { replacementRate: 0.1, domain: ["a"] }), STRING],
];

const UDFS = { reversible: "veil.reversible_mask", fpe: "veil.fpe_mask" };

function render(d: (typeof TARGETS)[number]): Record<string, string | { refused: string }> {
  const out: Record<string, string | { refused: string }> = {};
  const column = DIALECTS[d].quoteIdent('we"ird');
  for (const [name, m, type] of CASES) {
    const r = maskSql(m, column, sqlCtx({ dialect: d, columnType: type, column: 'we"ird', dataSourceId: 7, udfs: UDFS }));
    out[name] = r.ok ? r.value : { refused: r.issues.map((i) => `${i.code}: ${i.message}`).join("; ") };
  }
  out["k-anonymization"] = kAnonymizeSql(column, [column, DIALECTS[d].quoteIdent("zip")], 5, d);
  return out;
}

const rendered = Object.fromEntries(TARGETS.map((d) => [d, render(d)]));

describe("golden mask SQL (fixtures/sql/masks.json)", () => {
  it("matches the file byte for byte", () => {
    const text = `${JSON.stringify(rendered, null, 2)}\n`;
    if (update) writeFileSync(FILE, text);
    expect(text).toBe(readFileSync(FILE, "utf8"));
  });
});

describe.each(TARGETS)("%s: an independent parser reads every mask expression", (d) => {
  it.each(Object.entries(rendered[d]!).filter((e): e is [string, string] => typeof e[1] === "string"))("%s", (_name, sql) => {
    expect(parseProblem(`SELECT ${sql} AS m FROM t`, d), `${d}\n${sql}`).toBeUndefined();
  });

  it("refuses only randomized response", () => {
    expect(
      Object.entries(rendered[d]!)
        .filter(([, v]) => typeof v !== "string")
        .map(([k]) => k),
    ).toEqual(["randomized response"]);
  });
});
