/**
 * Golden SQL: the whole statement `renderSql` writes for one scenario (every mask kind SQL
 * can write, a conditional mask, entitlements, custom WHERE, time and minimization) in
 * each dialect, pinned in fixtures/sql/enforce/<dialect>.sql and read by an independent
 * parser for that dialect (@polyglot-sql/sdk). UPDATE_GOLDEN=1 rewrites the files.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hkdfKeyProvider, renderSql } from "../../../src/index.js";
import { loadBundleFile } from "../../../src/node.js";
import { parseProblem } from "../../helpers/sql-parser.js";

const DIR = join(import.meta.dirname, "..", "..", "..", "fixtures", "sql", "enforce");
const update = process.env["UPDATE_GOLDENS"] === "1" || process.env["UPDATE_GOLDEN"] === "1";
const KEYS = hkdfKeyProvider("golden secret");
const REQUEST = { dataSource: "Orders", user: "Ana", now: "2024-06-01T00:00:00Z" };

const DIALECTS = ["postgres", "duckdb", "snowflake", "databricks", "trino", "bigquery"] as const;

const bundle = loadBundleFile(join(DIR, "bundle.yaml"));

describe("renderSql golden statements", () => {
  it("the scenario loads", () => expect(bundle.ok).toBe(true));

  it.each(DIALECTS)("%s: the statement is pinned and parses", (dialect) => {
    if (!bundle.ok) throw new Error(JSON.stringify(bundle.issues));
    const r = renderSql(bundle.value, REQUEST, { dialect, keys: KEYS, view: "ana_orders" });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const text = `${r.value.select};\n\n${r.value.createView};\n`;
    const file = join(DIR, `${dialect}.sql`);
    if (update || !existsSync(file)) writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, "utf8"));
    for (const statement of [r.value.select, r.value.createView!]) {
      expect(parseProblem(statement, dialect), `${dialect} parser\n${statement}`).toBeUndefined();
    }
  });
});
