/**
 * Law 6 and law 7 on a real engine, shared by the DuckDB and PGlite differentials: for a
 * generated case, load its rows into table `t`, run `renderSql`'s SELECT and its CREATE
 * VIEW (then `SELECT *` from the view), and compare rows and cells with `enforceRows`
 * over the same rows. The statements run as scripts that would execute any injected
 * statement; afterwards the table must still hold every row.
 */
import { expect } from "vitest";
import { enforceRows, hkdfKeyProvider, parseBundle, renderSql, type Bundle } from "../../src/index.js";
import { ENFORCE_COLUMNS, NOW, type EnforceCase } from "../arbitraries/enforce.js";

export const KEYS = hkdfKeyProvider("law-6 differential secret");

/** What a test needs of an engine. */
export interface EngineAdapter {
  readonly dialect: "duckdb" | "postgres";
  /** Empties `t` and inserts the rows (parameters, not SQL text). */
  load(rows: readonly Record<string, unknown>[]): Promise<void>;
  /** Runs a statement as a script; returns the rows of the last result. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Runs statements for their effect. */
  exec(sql: string): Promise<void>;
  /** PostgreSQL text cannot hold NUL: the rows the engine can store. */
  storable(v: string): string;
}

/** A cell in one comparable form: numbers as numbers, instants as epoch ms, text as text. */
export function normal(column: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.getTime();
  if (typeof v === "object" && v !== null && "micros" in v) return Number((v as { micros: bigint }).micros / 1000n);
  if (column === "ts" && typeof v === "string") return Date.parse(v);
  return v;
}

const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a["id"]) - Number(b["id"]);
const normalRow = (r: Record<string, unknown>) => Object.fromEntries(ENFORCE_COLUMNS.map((c) => [c.name, normal(c.name, r[c.name])]));

/** How each run of a case ended, for the tallies the tests assert on. */
export type Outcome = "compared" | "refusedBoth" | "sqlRefused";

let viewCounter = 0;

/** Rows compared so far, and how many of their cells differed from the input (masked): the cases are not vacuous. */
export const compared = { rows: 0, maskedCells: 0 };

/** Runs one case on the engine; asserts law 6 (same rows and cells) and law 7 (no error, table intact). */
export async function checkCase(engine: EngineAdapter, c: EnforceCase, viewName?: string): Promise<Outcome> {
  const parsed = parseBundle(c.bundle);
  if (!parsed.ok) throw new Error(`generated bundle is invalid: ${JSON.stringify(parsed.issues)}`);
  const bundle: Bundle = parsed.value;
  const rows = c.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "string" ? engine.storable(v) : v])));
  const request = { dataSource: 7, user: 1, now: NOW };
  const view = viewName ?? `veil_v${viewCounter++}`;
  const sql = renderSql(bundle, request, { dialect: engine.dialect, keys: KEYS, view });
  const memory = enforceRows(bundle, request, rows, { keys: KEYS });
  if (!memory.ok) {
    // What memory refuses, SQL may still do (a predicate that needs an engine); never the reverse for this pool.
    expect(memory.issues.every((i) => i.code === "unsupported" || i.code === "invalid_input")).toBe(true);
    return sql.ok ? "sqlRefused" : "refusedBoth";
  }
  if (!sql.ok) throw new Error(`renderSql refused what enforceRows did: ${JSON.stringify(sql.issues)}`);
  const expected = [...memory.value].map(normalRow).sort(byId);
  await engine.load(rows);
  const direct = (await engine.query(sql.value.select)).map(normalRow).sort(byId);
  expect(direct, sql.value.select).toEqual(expected);
  await engine.exec(sql.value.createView!);
  const viewed = (await engine.query(`SELECT * FROM ${`"${view.replaceAll('"', '""')}"`}`)).map(normalRow).sort(byId);
  await engine.exec(`DROP VIEW ${`"${view.replaceAll('"', '""')}"`}`);
  expect(viewed, sql.value.createView!).toEqual(expected);
  compared.rows += expected.length;
  const input = new Map(rows.map((r) => [r["id"], normalRow(r)]));
  for (const r of expected) for (const c of ENFORCE_COLUMNS) if (r[c.name] !== input.get(r["id"])![c.name]) compared.maskedCells++;
  const count = await engine.query("SELECT COUNT(*) AS n FROM t");
  expect(Number(count[0]!["n"])).toBe(rows.length);
  return "compared";
}
