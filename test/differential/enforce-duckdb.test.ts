/**
 * Law 6 and law 7 on DuckDB (`@duckdb/node-api`, in process): for generated policies,
 * users and rows, `renderSql`'s SELECT and CREATE VIEW return exactly the rows and cells
 * `enforceRows` returns on the same rows; adversarial attribute values never change which
 * rows come back, never raise an engine error, and never touch the table.
 *
 * Excluded, with reason: Reversible (a random IV per cell, and SQL needs a UDF), Format
 * Preserving (SQL needs a UDF), Randomized Response (random per row; SQL refuses it).
 * Everything else compares exactly. Runs are seeded (PROPERTY_SEED); PROPERTY_RUNS sets
 * the number of cases (default 300).
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enforceCaseArb } from "../arbitraries/enforce.js";
import { checkCase, compared, type EngineAdapter, type Outcome } from "../helpers/enforce-engines.js";

const SEED = Number(process.env["PROPERTY_SEED"] ?? 0x6e6f);
const RUNS = Number(process.env["PROPERTY_RUNS"]) || 300;

let instance: DuckDBInstance;
let conn: DuckDBConnection;

const COLUMNS = ["id", "region", "dept", "amount", "note", "ts"] as const;

const engine: EngineAdapter = {
  dialect: "duckdb",
  storable: (v) => v,
  async load(rows) {
    await conn.run("DELETE FROM t");
    if (rows.length === 0) return;
    const params: (string | number | null)[] = [];
    const tuples = rows.map((r) => {
      const marks = COLUMNS.map((c) => {
        params.push((r[c] ?? null) as string | number | null);
        return c === "ts" ? `CAST($${params.length} AS TIMESTAMPTZ)` : `$${params.length}`;
      });
      return `(${marks.join(", ")})`;
    });
    await conn.run(`INSERT INTO t VALUES ${tuples.join(", ")}`, params);
  },
  async query(sql) {
    return (await conn.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
  },
  async exec(sql) {
    await conn.run(sql);
  },
};

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
  await conn.run("SET TimeZone = 'UTC'");
  await conn.run("CREATE TABLE t (id INTEGER, region VARCHAR, dept VARCHAR, amount INTEGER, note VARCHAR, ts TIMESTAMPTZ)");
}, 120_000);

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

describe("law 6 and 7 on DuckDB: renderSql ≡ enforceRows", () => {
  it(`agrees on ${RUNS} generated cases`, { timeout: 300_000 }, async () => {
    const tally: Record<Outcome, number> = { compared: 0, refusedBoth: 0, sqlRefused: 0 };
    await fc.assert(
      fc.asyncProperty(enforceCaseArb("main", ["DuckDB", "PostgreSQL"]), async (c) => {
        tally[await checkCase(engine, c)]++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Nearly every case is compared, not refused.
    expect(tally.compared).toBeGreaterThanOrEqual(Math.floor(RUNS * 0.9));
    // …and they hold rows and masked cells, so the comparison is not vacuous.
    expect(compared.rows).toBeGreaterThan(RUNS);
    expect(compared.maskedCells).toBeGreaterThan(RUNS / 2);
  });
});
