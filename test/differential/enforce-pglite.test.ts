/**
 * Law 6 and law 7 on PostgreSQL (PGlite, in process): for generated policies, users and
 * rows, `renderSql`'s SELECT and CREATE VIEW return exactly the rows and cells
 * `enforceRows` returns on the same rows; adversarial attribute values never change which
 * rows come back, never raise an engine error, and never touch the table. PostgreSQL text
 * cannot hold NUL, so the rows (for both sides) hold the generated values with NUL removed;
 * a user value holding NUL reaches SQL as NULL and matches nothing, as in memory.
 *
 * Excluded, with reason: Reversible (a random IV per cell, and SQL needs a UDF), Format
 * Preserving (SQL needs a UDF), Randomized Response (random per row; SQL refuses it).
 * Everything else compares exactly. Runs are seeded (PROPERTY_SEED); PROPERTY_RUNS sets
 * the number of cases (default 300).
 */
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enforceCaseArb } from "../arbitraries/enforce.js";
import { checkCase, compared, type EngineAdapter, type Outcome } from "../helpers/enforce-engines.js";

const SEED = Number(process.env["PROPERTY_SEED"] ?? 0x7067);
const RUNS = Number(process.env["PROPERTY_RUNS"]) || 300;

let db: PGlite;

const COLUMNS = ["id", "region", "dept", "amount", "note", "ts"] as const;

const engine: EngineAdapter = {
  dialect: "postgres",
  storable: (v) => v.replaceAll("\u0000", ""),
  async load(rows) {
    await db.exec("DELETE FROM t");
    if (rows.length === 0) return;
    const params: (string | number | null)[] = [];
    const tuples = rows.map((r) => `(${COLUMNS.map((c) => (params.push((r[c] ?? null) as string | number | null), `$${params.length}`)).join(", ")})`);
    await db.query(`INSERT INTO t VALUES ${tuples.join(", ")}`, params);
  },
  async query(sql) {
    // exec runs the text as a script: an injected second statement would run too.
    const results = await db.exec(sql);
    return results.at(-1)!.rows as Record<string, unknown>[];
  },
  async exec(sql) {
    await db.exec(sql);
  },
};

beforeAll(async () => {
  db = new PGlite();
  await db.exec("SET TimeZone = 'UTC'; CREATE TABLE t (id INTEGER, region TEXT, dept TEXT, amount INTEGER, note TEXT, ts TIMESTAMPTZ)");
}, 120_000);

afterAll(async () => {
  await db.close();
});

describe("law 6 and 7 on PostgreSQL (PGlite): renderSql ≡ enforceRows", () => {
  it(`agrees on ${RUNS} generated cases`, { timeout: 600_000 }, async () => {
    const tally: Record<Outcome, number> = { compared: 0, refusedBoth: 0, sqlRefused: 0 };
    await fc.assert(
      fc.asyncProperty(enforceCaseArb("public", ["PostgreSQL", "DuckDB"]), async (c) => {
        tally[await checkCase(engine, c)]++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(tally.compared).toBeGreaterThanOrEqual(Math.floor(RUNS * 0.9));
    // …and they hold rows and masked cells, so the comparison is not vacuous.
    expect(compared.rows).toBeGreaterThan(RUNS);
    expect(compared.maskedCells).toBeGreaterThan(RUNS / 2);
  });
});
