/**
 * `veil sql` and `veil enforce`: the statement `veil sql` prints runs unchanged on DuckDB
 * and PostgreSQL (PGlite) and returns what `veil enforce` prints for the same rows; rows
 * come as NDJSON or CSV, from a file or stdin; VEIL_SECRET is required exactly when a
 * secret is (exit 2 with a message saying to set it); errors are `error:` lines, exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCliAsync } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BUNDLE = join(ROOT, "fixtures", "sql", "enforce", "bundle.yaml");
const NOW = "2024-06-01T00:00:00Z";
const ARGS = ["--data-source", "Orders", "--user", "Ana", "--now", NOW];

const tmp = mkdtempSync(join(tmpdir(), "veil-enforce-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let saved: string | undefined;
beforeEach(() => {
  saved = process.env["VEIL_SECRET"];
  process.env["VEIL_SECRET"] = "cli test secret";
});
afterEach(() => {
  if (saved === undefined) delete process.env["VEIL_SECRET"];
  else process.env["VEIL_SECRET"] = saved;
});

const COLUMNS = ["order_id", "email", "ssn", "phone", "region", "dept", "amount", "zip", "note", "placed_at"] as const;
/** Rows that exercise every filter and mask of the scenario (quotes and comment markers in the data too). */
const ROWS = Array.from({ length: 60 }, (_, i) => ({
  order_id: i + 1,
  email: i % 7 === 0 ? null : `user${i}@example.com`,
  ssn: `123-45-${String(1000 + i)}`,
  phone: `+1 (555) 01${String(i).padStart(2, "0")}`,
  region: ["EU", "US", "APAC", null][i % 4],
  dept: ["finance", "hr", "o'brien -- x", "ops"][i % 4 === 0 ? 0 : (i >> 2) % 4],
  amount: (i * 37) % 250,
  zip: ["10115", "75001", "94105"][i % 3],
  note: i % 5 === 0 ? "it's /* not */ a comment" : `n${i}`,
  placed_at: new Date(Date.parse(NOW) - (i % 40) * 86_400_000 - 3_600_000).toISOString(),
}));
const ndjson = ROWS.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** A cell in one comparable form (engines return numbers as bigint, instants as Date or micros). */
function normal(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.getTime();
  if (v !== null && typeof v === "object" && "micros" in v) return Number((v as { micros: bigint }).micros / 1000n);
  if (typeof v === "string" && /^\d{4}-\d\d-\d\dT/.test(v)) return Date.parse(v);
  return v;
}
const normalRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, normal(r[c])]))).sort((a, b) => Number(a["order_id"]) - Number(b["order_id"]));

async function enforced(): Promise<Record<string, unknown>[]> {
  const file = join(tmp, "rows.ndjson");
  writeFileSync(file, ndjson);
  const out = await runCliAsync(["enforce", BUNDLE, ...ARGS, file]);
  expect(out.stderr).toBe("");
  expect(out.code).toBe(0);
  return out.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectError(out: { stdout: string; stderr: string; code: number }): string {
  expect(out.code).toBe(2);
  expect(out.stdout).toBe("");
  expect(out.stderr.startsWith("error: ")).toBe(true);
  expect(out.stderr).not.toMatch(/^\s+at /m);
  return out.stderr;
}

describe("veil sql runs unchanged on the engines and agrees with veil enforce", () => {
  it("DuckDB", async () => {
    const out = await runCliAsync(["sql", BUNDLE, ...ARGS, "--dialect", "duckdb"]);
    expect(out.code).toBe(0);
    expect(out.stdout.endsWith(";\n")).toBe(true);
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      await conn.run("SET TimeZone = 'UTC'; CREATE SCHEMA sales");
      await conn.run(
        "CREATE TABLE sales.orders (order_id INTEGER, email VARCHAR, ssn VARCHAR, phone VARCHAR, region VARCHAR, dept VARCHAR, amount INTEGER, zip VARCHAR, note VARCHAR, placed_at TIMESTAMPTZ)",
      );
      const params = ROWS.flatMap((r) => COLUMNS.map((c) => r[c] as string | number | null));
      const marks = ROWS.map(
        (_, i) => `(${COLUMNS.map((c, j) => (c === "placed_at" ? `CAST($${i * 10 + j + 1} AS TIMESTAMPTZ)` : `$${i * 10 + j + 1}`)).join(", ")})`,
      );
      await conn.run(`INSERT INTO sales.orders VALUES ${marks.join(", ")}`, params);
      const got = (await conn.runAndReadAll(out.stdout)).getRowObjects() as Record<string, unknown>[];
      const expected = await enforced();
      expect(expected.length).toBeGreaterThan(5);
      expect(normalRows(got)).toEqual(normalRows(expected));
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it("PostgreSQL (PGlite), as a view", async () => {
    const out = await runCliAsync(["sql", BUNDLE, ...ARGS, "--dialect", "postgres", "--view", "ana_orders"]);
    expect(out.code).toBe(0);
    expect(out.stdout.startsWith('CREATE VIEW "ana_orders" AS SELECT ')).toBe(true);
    const db = new PGlite();
    try {
      await db.exec(
        "SET TimeZone = 'UTC'; CREATE SCHEMA sales; CREATE TABLE sales.orders (order_id INTEGER, email TEXT, ssn TEXT, phone TEXT, region TEXT, dept TEXT, amount INTEGER, zip TEXT, note TEXT, placed_at TIMESTAMPTZ)",
      );
      const params = ROWS.flatMap((r) => COLUMNS.map((c) => r[c] as string | number | null));
      const marks = ROWS.map((_, i) => `(${COLUMNS.map((_, j) => `$${i * 10 + j + 1}`).join(", ")})`);
      await db.query(`INSERT INTO sales.orders VALUES ${marks.join(", ")}`, params);
      await db.exec(out.stdout);
      const got = (await db.query<Record<string, unknown>>("SELECT * FROM ana_orders")).rows;
      expect(normalRows(got)).toEqual(normalRows(await enforced()));
    } finally {
      await db.close();
    }
  });
});

describe("veil enforce input", () => {
  it("reads CSV (empty unquoted cells are NULL) and NDJSON from stdin alike", async () => {
    const header = COLUMNS.join(",");
    const csvCell = (v: unknown) => (v === null ? "" : `"${String(v).replaceAll('"', '""')}"`);
    const csv = `${header}\n${ROWS.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(",")).join("\n")}\n`;
    const file = join(tmp, "rows.csv");
    writeFileSync(file, csv);
    const fromCsv = await runCliAsync(["enforce", BUNDLE, ...ARGS, file]);
    const fromStdin = await runCliAsync(["enforce", BUNDLE, ...ARGS, "-"], { stdin: ndjson });
    const fromStdinCsv = await runCliAsync(["enforce", BUNDLE, ...ARGS], { stdin: csv });
    expect(fromCsv.code).toBe(0);
    expect(fromCsv.stdout).toBe(fromStdin.stdout);
    expect(fromStdinCsv.stdout).toBe(fromStdin.stdout);
    expect(fromStdin.stdout.split("\n").length).toBeGreaterThan(5);
  });

  it("a line that is not a JSON object is an error naming the line, with nothing on stdout", async () => {
    const out = await runCliAsync(["enforce", BUNDLE, ...ARGS, "-"], { stdin: `${JSON.stringify(ROWS[0])}\n[1, 2]\n` });
    expect(expectError(out)).toContain("line 2: expected a JSON object");
  });

  it("a missing rows file is an error naming it", async () => {
    const out = await runCliAsync(["enforce", BUNDLE, ...ARGS, join(tmp, "nope.ndjson")]);
    expect(expectError(out)).toContain("nope.ndjson");
  });
});

describe("VEIL_SECRET and usage", () => {
  it("without VEIL_SECRET, hashing and sampling are refused with exit 2 and a message to set it", async () => {
    delete process.env["VEIL_SECRET"];
    for (const argv of [
      ["sql", BUNDLE, ...ARGS],
      ["enforce", BUNDLE, ...ARGS, "-"],
    ]) {
      const out = await runCliAsync(argv, { stdin: ndjson });
      expect(expectError(out)).toContain("VEIL_SECRET");
    }
  });

  it("an unknown --dialect lists the accepted ones", async () => {
    const out = await runCliAsync(["sql", BUNDLE, ...ARGS, "--dialect", "oracle"]);
    expect(expectError(out)).toContain("postgres, duckdb, snowflake, databricks, trino, bigquery");
  });

  it("the bundle and the rows cannot both be stdin", async () => {
    const out = await runCliAsync(["enforce", "-", ...ARGS, "-"], { stdin: "" });
    expect(expectError(out)).toContain("both come from stdin");
  });

  it("an unknown user names what was asked for", async () => {
    const out = await runCliAsync(["sql", BUNDLE, "--data-source", "Orders", "--user", "nobody", "--now", NOW]);
    expect(expectError(out)).toContain("nobody");
  });
});
