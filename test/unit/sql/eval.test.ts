/**
 * In-memory SQL evaluation (`src/sql/eval.ts`): the author-SQL subset it reads, what it
 * refuses, three-valued logic, and — as a property — agreement with DuckDB and PostgreSQL
 * (PGlite) on which rows `WHERE <expr>` keeps, for generated trees and author text over a
 * small table with NULLs, including comparisons of an integer column with numeric text.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, author, column, compare, inList, literal, not, or, type CompareOp, type SqlExpr } from "../../../src/sql/ast.js";
import { DIALECTS } from "../../../src/sql/dialects/index.js";
import { evalExpr, SqlTypeError, type SqlValue } from "../../../src/sql/eval.js";
import { resolveExpr, type ResolvedExpr } from "../../../src/sql/resolve.js";
import { renderExpr } from "../../../src/sql/render.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || 200;
const LEX = DIALECTS.postgres.lex;
const COLS = ["n", "s"];

function resolve(e: SqlExpr): ResolvedExpr {
  const r = resolveExpr(e, LEX, COLS, "test predicate");
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.value;
}
const run = (e: SqlExpr, row: Record<string, SqlValue>) => evalExpr(resolve(e), (c) => row[c] ?? null);
const text = (sql: string) => author([sql]);

describe("reading author SQL", () => {
  it("reads columns, literals, comparisons, IN, IS NULL, AND/OR/NOT and parentheses", () => {
    const row = { n: 5, s: "it's" };
    expect(run(text("n = 5 AND s = 'it''s'"), row)).toBe(true);
    expect(run(text(`NOT (n IN (1, 2)) OR "s" IS NULL`), row)).toBe(true);
    expect(run(text("n NOT IN (5, 6)"), row)).toBe(false);
    expect(run(text("s IS NOT NULL AND n >= 5 AND n <= 5 AND n <> 4 AND n != 4"), row)).toBe(true);
    expect(run(text("TRUE AND NOT FALSE"), row)).toBe(true);
    expect(run(text("N = 5"), row)).toBe(true); // unquoted names fold case when one column matches
  });

  it("evaluates holes (expanded @-functions) inside author text", () => {
    const e = author(["(", inList(column("s"), [literal("a"), literal("b")]), ") OR n > 3"]);
    expect(run(e, { n: 1, s: "b" })).toBe(true);
    expect(run(e, { n: 1, s: "c" })).toBe(false);
  });

  it.each([
    ["lower(s) = 'a'", "`lower`(…)"],
    ["s LIKE 'a%'", "`LIKE`"],
    ["n::text = '1'", "`:"],
    ["E'a' = s", "`E'a'`"],
    ["missing = 1", "`missing`, which is not a column"],
    ['"N" = 1', "`N`, which is not a column"],
    ["n + 1 = 2", "`+"],
    ["n IN (SELECT 1)", "`SELECT`"],
  ])("refuses %s, naming what needs an engine", (sql, what) => {
    const r = resolveExpr(text(sql), LEX, COLS, "custom WHERE predicate 1", ["p"]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]!.code).toBe("unsupported");
    expect(r.issues[0]!.path).toEqual(["p"]);
    expect(r.issues[0]!.message).toContain("custom WHERE predicate 1 needs a SQL engine");
    expect(r.issues[0]!.message).toContain(what);
  });

  it("refuses Veil-emitted calls it has no meaning for", () => {
    const r = resolveExpr({ kind: "call", name: "upper", args: [column("s")] }, LEX, COLS, "x");
    expect(r.ok).toBe(false);
  });
});

describe("three-valued logic", () => {
  const row = { n: null, s: "a" };
  it("comparisons and IN with NULL are unknown", () => {
    expect(run(compare("=", column("n"), literal(1)), row)).toBe(null);
    expect(run(inList(column("s"), [literal("b"), literal(null)]), row)).toBe(null);
    expect(run(inList(column("s"), [literal("a"), literal(null)]), row)).toBe(true);
    expect(run(inList(column("s"), []), row)).toBe(null);
    expect(run(not(compare("=", column("n"), literal(1))), row)).toBe(null);
  });
  it("AND and OR follow Kleene logic", () => {
    const u = compare("=", column("n"), literal(1));
    expect(run(or([u, literal(true)]), row)).toBe(true);
    expect(run(or([u, literal(false)]), row)).toBe(null);
    expect(run(and([u, literal(false)]), row)).toBe(false);
    expect(run(and([u, literal(true)]), row)).toBe(null);
    expect(run(and([]), row)).toBe(true);
    expect(run(or([]), row)).toBe(false);
  });
  it("a non-numeric string against a number is a type error, as in the engines", () => {
    expect(() => run(compare("=", column("n"), literal("abc")), { n: 1, s: null })).toThrow(SqlTypeError);
    expect(run(compare("=", column("n"), literal("10")), { n: 10, s: null })).toBe(true);
    expect(run(compare(">", column("n"), literal("9")), { n: 10, s: null })).toBe(true); // numeric, not text order
  });
  it("strings compare by code point (UTF-8 byte order), not UTF-16 units", () => {
    expect(run(compare("<", literal("\uffff"), literal("😀")), {})).toBe(true);
  });
});

// ---- Agreement with the engines ------------------------------------------------------------

const N_VALUES = [null, -3, 0, 1, 5, 10, 42];
const S_VALUES = [null, "", "a", "b", "B", "it's", "é", "😀", "\uffff", "10"];
const TABLE = N_VALUES.flatMap((n, i) => S_VALUES.map((s, j) => ({ id: i * S_VALUES.length + j, n, s })));

const OPS: CompareOp[] = ["=", "<>", "<", "<=", ">", ">="];
const nLit = fc.oneof(fc.constantFrom<SqlValue>(null, -3, 0, 1, 5, 10), fc.constantFrom("1", "5", "10", "-3"));
const sLit = fc.constantFrom<SqlValue>(null, "", "a", "b", "B", "it's", "é", "😀", "\uffff", "10");

const atom: fc.Arbitrary<SqlExpr> = fc.oneof(
  fc.tuple(fc.constantFrom(...OPS), nLit).map(([op, v]) => compare(op, column("n"), literal(v))),
  fc.tuple(fc.constantFrom(...OPS), sLit).map(([op, v]) => compare(op, column("s"), literal(v))),
  fc.array(nLit, { minLength: 1, maxLength: 3 }).map((vs) => inList(column("n"), vs.map(literal))),
  fc.array(sLit, { minLength: 1, maxLength: 3 }).map((vs) => inList(column("s"), vs.map(literal))),
  fc.tuple(fc.constantFrom("n", "s"), fc.boolean()).map(([c, negated]) => ({ kind: "isNull", item: column(c), negated }) as SqlExpr),
  fc.constantFrom(literal(true), literal(false), literal(null)),
);
const tree: fc.Arbitrary<SqlExpr> = fc.letrec<{ e: SqlExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc.array(tie("e"), { minLength: 1, maxLength: 3 }).map(and),
    fc.array(tie("e"), { minLength: 1, maxLength: 3 }).map(or),
    tie("e").map(not),
  ),
})).e;

/** The ids `WHERE e` keeps, computed in memory. */
function memoryIds(e: SqlExpr): number[] {
  const r = resolve(e);
  return TABLE.filter((row) => evalExpr(r, (c) => (row as Record<string, SqlValue>)[c] ?? null) === true).map((row) => row.id);
}

let duck: DuckDBConnection;
let duckInstance: DuckDBInstance;
let pg: PGlite;

beforeAll(async () => {
  duckInstance = await DuckDBInstance.create(":memory:");
  duck = await duckInstance.connect();
  await duck.run("CREATE TABLE t (id INTEGER, n INTEGER, s VARCHAR)");
  const params = TABLE.flatMap((r) => [r.id, r.n, r.s]);
  const marks = TABLE.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`).join(", ");
  await duck.run(`INSERT INTO t VALUES ${marks}`, params);
  pg = new PGlite();
  await pg.exec('CREATE TABLE t (id INTEGER, n INTEGER, s TEXT COLLATE "C")');
  await pg.query(`INSERT INTO t VALUES ${marks}`, params);
}, 120_000);

afterAll(async () => {
  duck?.closeSync();
  duckInstance?.closeSync();
  await pg.close();
});

async function duckIds(e: SqlExpr): Promise<number[]> {
  const rows = (await duck.runAndReadAll(`SELECT id FROM t WHERE ${renderExpr(e, DIALECTS.duckdb)} ORDER BY id`)).getRowObjects();
  return rows.map((r) => Number(r["id"]));
}
async function pgIds(e: SqlExpr): Promise<number[]> {
  const rows = (await pg.query<{ id: number }>(`SELECT id FROM t WHERE ${renderExpr(e, DIALECTS.postgres)} ORDER BY id`)).rows;
  return rows.map((r) => r.id);
}

describe("agreement with DuckDB and PostgreSQL", () => {
  it("numeric text against an integer column compares as a number in both engines", async () => {
    const e = text("n > '5' OR n = '-3'");
    expect(await duckIds(e)).toEqual(memoryIds(e));
    expect(await pgIds(e)).toEqual(memoryIds(e));
    expect(memoryIds(e).length).toBeGreaterThan(0);
  });

  it("both engines refuse non-numeric text against an integer, as evaluation does", async () => {
    const e = compare("=", column("n"), literal("abc"));
    await expect(duckIds(e)).rejects.toThrow();
    await expect(pgIds(e)).rejects.toThrow();
    expect(() => memoryIds(e)).toThrow(SqlTypeError);
  });

  it("generated trees keep the same rows as in the engines", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (e) => {
        const expected = memoryIds(e);
        expect(await duckIds(e)).toEqual(expected);
        expect(await pgIds(e)).toEqual(expected);
      }),
      { numRuns: RUNS, seed: 0x3e7a1 },
    );
  });

  it("the same trees written as author text evaluate alike", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (e) => {
        const asText = text(renderExpr(e, DIALECTS.postgres));
        expect(memoryIds(asText)).toEqual(memoryIds(e));
        expect(await pgIds(asText)).toEqual(memoryIds(e));
      }),
      { numRuns: RUNS, seed: 0x3e7a2 },
    );
  });
});
