/**
 * Memory ≡ SQL, per mask kind, on real engines: DuckDB (@duckdb/node-api) and PostgreSQL
 * (PGlite, in process). Generated values go into a table; `maskSql` of each mask runs as
 * `SELECT id, CAST((<mask>) AS text) … ORDER BY id` and each row must equal `maskValue`.
 *
 * Normalisation, explicitly: every engine result is read back as text (CAST … AS
 * VARCHAR / text). Numbers compare as the double the text reads as (both engines print
 * the shortest text that reads back exactly; -0 equals 0). Times compare as instants: the
 * engine's `YYYY-MM-DD HH:MM:SS[.fff]` is UTC wall time, memory's the ISO text. Time
 * values are stored as text and cast in the column expression (`CAST(v AS TIMESTAMP)`).
 * Booleans compare as `true`/`false`.
 *
 * Known differences, kept out of the generated cases and pinned in the last block, on
 * PostgreSQL: `.` matches a newline (ARE), where the author's JavaScript `.` does not;
 * global replacement takes an empty match right after a match (`a*` on `baaac` gives
 * `XbXXcX`), where RE2 (memory, DuckDB) skips it (`XbXcX`). Doubles are normal (PGlite
 * refuses subnormal input).
 *
 * PROPERTY_RUNS=n sets the values per case (default 200); PROPERTY_SEED fixes the seed.
 */
import { DuckDBInstance, DuckDBScalarFunction, INTEGER as DUCK_INTEGER, VARCHAR, type DuckDBConnection } from "@duckdb/node-api";
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kAnonymize, kAnonymizeSql, maskSql, maskValue, unmaskReversible } from "../../../../src/enforce/masks/index.js";
import type { ColumnType } from "../../../../src/model/data-type.js";
import type { MaskSpec } from "../../../../src/model/policy.js";
import { DIALECTS } from "../../../../src/sql/dialects/index.js";
import { BOOLEAN, ctx, DOUBLE, HASH, INTEGER, mask, NULLIFY, RUNS, seededBytes, sqlCtx, STRING, TIME, value } from "./helpers.js";

const SEED = process.env["PROPERTY_SEED"] ? Number(process.env["PROPERTY_SEED"]) : 20261201;

type Stored = "text" | "double" | "bigint";
type Cell = string | number | null;
interface Engine {
  readonly dialect: "duckdb" | "postgres";
  load(columns: Record<string, { type: Stored; values: readonly Cell[] }>): Promise<void>;
  /** Each row's expressions as text, by id. */
  select(exprs: readonly string[]): Promise<(string | null)[][]>;
  close(): Promise<void>;
}

/**
 * The UDFs the reversible and FPE masks call (src/enforce/masks/udf.ts), as a caller would
 * install them: here in JavaScript on DuckDB, deriving keys from the same key provider.
 */
function registerUdfs(conn: DuckDBConnection): void {
  conn.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: "veil_reversible",
      mainFunction: (_info, input, output) => {
        for (let i = 0; i < input.rowCount; i++) {
          const [text, source, column] = [0, 1, 2].map((c) => input.getColumnVector(c).getItem(i)) as [string, number, string];
          output.setItem(i, value(maskValue(mask("Reversible"), text, ctx({ dataSourceId: source, column, randomBytes: seededBytes(i + 1) }))) as string);
        }
        output.flush();
      },
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, DUCK_INTEGER, VARCHAR],
      volatile: true,
    }),
  );
  conn.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: "veil_fpe",
      mainFunction: (_info, input, output) => {
        for (let i = 0; i < input.rowCount; i++) {
          const [text, source, column, settings] = [0, 1, 2, 3].map((c) => input.getColumnVector(c).getItem(i)) as [string, number, string, string];
          const { type, metadata } = JSON.parse(settings) as { type: "string" | "integer"; metadata: Record<string, unknown> };
          const columnType = type === "integer" ? INTEGER : STRING;
          const out = value(
            maskValue(mask("Format Preserving Masking", metadata), type === "integer" ? Number(text) : text, ctx({ dataSourceId: source, column, columnType })),
          );
          output.setItem(i, out === null ? null : String(out));
        }
        output.flush();
      },
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, DUCK_INTEGER, VARCHAR, VARCHAR],
    }),
  );
}

async function duckdb(): Promise<Engine> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn: DuckDBConnection = await instance.connect();
  registerUdfs(conn);
  return {
    dialect: "duckdb",
    async load(columns) {
      const names = Object.keys(columns);
      const sqlType = { text: "VARCHAR", double: "DOUBLE", bigint: "BIGINT" } as const;
      await conn.run(`DROP TABLE IF EXISTS t; CREATE TABLE t (id INTEGER, ${names.map((n) => `"${n}" ${sqlType[columns[n]!.type]}`).join(", ")})`);
      const app = await conn.createAppender("t");
      const rows = columns[names[0]!]!.values.length;
      for (let i = 0; i < rows; i++) {
        app.appendInteger(i);
        for (const n of names) {
          const { type, values } = columns[n]!;
          const v = values[i]!;
          if (v === null) app.appendNull();
          else if (type === "text") app.appendVarchar(String(v));
          else if (type === "double") app.appendDouble(Number(v));
          else app.appendBigInt(BigInt(v));
        }
        app.endRow();
      }
      app.closeSync();
    },
    async select(exprs) {
      const sql = `SELECT ${exprs.map((e, i) => `CAST((${e}) AS VARCHAR) AS m${i}`).join(", ")} FROM t ORDER BY id`;
      const cols = (await conn.runAndReadAll(sql)).getColumns();
      return cols[0]!.map((_, row) => cols.map((c) => c[row] as string | null));
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

async function postgres(): Promise<Engine> {
  const db = new PGlite();
  await db.waitReady;
  return {
    dialect: "postgres",
    async load(columns) {
      const names = Object.keys(columns);
      const sqlType = { text: "text", double: "float8", bigint: "int8" } as const;
      await db.exec(`DROP TABLE IF EXISTS t; CREATE TABLE t (id int, ${names.map((n) => `"${n}" ${sqlType[columns[n]!.type]}`).join(", ")})`);
      const rows = columns[names[0]!]!.values.length;
      const params = [Array.from({ length: rows }, (_, i) => i), ...names.map((n) => columns[n]!.values.map((v) => (v === null ? null : String(v))))];
      await db.query(`INSERT INTO t SELECT * FROM unnest($1::int[], ${names.map((n, i) => `$${i + 2}::${sqlType[columns[n]!.type]}[]`).join(", ")})`, params);
    },
    async select(exprs) {
      const r = await db.query<(string | null)[]>(`SELECT ${exprs.map((e) => `CAST((${e}) AS text)`).join(", ")} FROM t ORDER BY id`, [], { rowMode: "array" });
      return r.rows;
    },
    async close() {
      await db.close();
    },
  };
}

const sample = <T>(arb: fc.Arbitrary<T>, n = RUNS): T[] => fc.sample(arb, { numRuns: n, seed: SEED });

/** An engine's text as the value memory would give, per the column type (see the module notes). */
function normalise(text: string | null, t: ColumnType): unknown {
  if (text === null) return null;
  if (t.family === "number") return Number(text) === 0 ? 0 : Number(text);
  if (t.family === "time") return new Date(`${text.replace(" ", "T")}Z`).toISOString();
  if (t.family === "boolean") return text === "true" || text === "t";
  return text;
}

const memoryNormal = (v: unknown) => (typeof v === "number" && v === 0 ? 0 : v);

/** Text mixing what SQL quoting and regexes care about; no NUL (PostgreSQL text cannot hold it). */
const TEXT = fc.string({ unit: fc.constantFrom(..."abcxyzABC0129 .-_@'\"\\$%é日🙂\t"), maxLength: 16 });
/** Doubles PGlite reads back from text (it refuses subnormals: "value out of range: underflow"). */
const NORMAL_DOUBLE = fc.double({ min: -1e9, max: 1e9, noNaN: true }).filter((x) => x === 0 || Math.abs(x) >= 1e-300);
const WITH_NULLS = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 8 });

interface Case {
  readonly name: string;
  readonly mask: MaskSpec;
  readonly type: ColumnType;
  readonly stored: Stored;
  readonly values: readonly Cell[];
  /** The column expression over the stored column (times are stored as text). */
  readonly column?: (quoted: string) => string;
  /** The in-memory value of a stored cell, when it differs from the stored form. */
  readonly memoryValue?: (v: Cell) => unknown;
  /** An engine known to differ here (pinned in the last block instead). */
  readonly notOn?: "postgres";
}

const timeText = fc.date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => d.toISOString());
const regexValues = sample(WITH_NULLS(fc.string({ unit: fc.constantFrom(..."abcAB12 .-é🙂xy"), maxLength: 12 })));

const REGEXES: readonly { regex: string; replacement: string; global?: boolean; caseInsensitive?: boolean; notOn?: "postgres" }[] = [
  { regex: "\\d", replacement: "#" },
  { regex: "\\d+", replacement: "#", global: true },
  { regex: "[aeiou]", replacement: "*", global: true },
  { regex: "a", replacement: "_", caseInsensitive: true },
  { regex: "ab|b", replacement: "<$1\\0&>", global: true, caseInsensitive: true },
  { regex: "a*", replacement: "X", global: true, notOn: "postgres" },
  { regex: "x*", replacement: "-" },
  { regex: "^.", replacement: "^" },
  { regex: ".$", replacement: "$", global: true },
  { regex: "[^a-z]+", replacement: "", global: true },
  { regex: "(ab)+", replacement: "()", global: true },
  { regex: "é|🙂", replacement: "?", global: true },
  { regex: "\\s", replacement: "_", global: true },
  { regex: "b{2,}", replacement: "B", caseInsensitive: true, global: true },
];

const CASES: readonly Case[] = [
  { name: "hashing", mask: HASH, type: STRING, stored: "text", values: sample(WITH_NULLS(TEXT)) },
  { name: "nullify (text)", mask: NULLIFY, type: STRING, stored: "text", values: sample(WITH_NULLS(TEXT), 20) },
  { name: "nullify (integer)", mask: NULLIFY, type: INTEGER, stored: "bigint", values: sample(WITH_NULLS(fc.integer()), 20) },
  {
    name: "constant (text)",
    mask: mask("Consistent Value", { constant: "it's \\ 'REDACTED' 🙂" }),
    type: STRING,
    stored: "text",
    values: sample(WITH_NULLS(TEXT), 20),
  },
  {
    name: "constant (integer)",
    mask: mask("Consistent Value", { constant: "-42" }),
    type: INTEGER,
    stored: "bigint",
    values: sample(WITH_NULLS(fc.integer()), 20),
  },
  {
    name: "constant (decimal)",
    mask: mask("Consistent Value", { constant: "9999.00" }),
    type: DOUBLE,
    stored: "double",
    values: sample(WITH_NULLS(NORMAL_DOUBLE), 20),
  },
  {
    name: "constant (boolean)",
    mask: mask("Consistent Value", { constant: "TRUE" }),
    type: BOOLEAN,
    stored: "text",
    values: sample(WITH_NULLS(fc.constantFrom("true", "false")), 20),
    column: (c) => `CAST(${c} AS BOOLEAN)`,
  },
  {
    name: "constant (time, with offset)",
    mask: mask("Consistent Value", { constant: "2020-01-01T12:00:00+09:00" }),
    type: TIME,
    stored: "text",
    values: sample(WITH_NULLS(timeText), 20),
    column: (c) => `CAST(${c} AS TIMESTAMP)`,
  },
  ...[10, 0.5, 3, 1e-3, 7.25].map<Case>((b) => ({
    name: `rounding doubles to ${b}`,
    mask: mask("Grouping", { bucketSize: b }),
    type: DOUBLE,
    stored: "double",
    values: sample(WITH_NULLS(fc.oneof(NORMAL_DOUBLE, fc.integer({ min: -1000, max: 1000 })))),
  })),
  ...[10, 2.5, 1].map<Case>((b) => ({
    name: `rounding integers to ${b}`,
    mask: mask("Grouping", { bucketSize: b }),
    type: INTEGER,
    stored: "bigint",
    values: sample(WITH_NULLS(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }))),
  })),
  ...(["HOUR", "DAY", "MONTH", "QUARTER", "YEAR"] as const).map<Case>((p) => ({
    name: `rounding times to ${p}`,
    mask: mask("Grouping", { timePrecision: p }),
    type: TIME,
    stored: "text",
    values: sample(WITH_NULLS(timeText)).map((t) => (t === null ? null : t.replace("T", " ").replace("Z", ""))),
    column: (c) => `CAST(${c} AS TIMESTAMP)`,
    memoryValue: (v) => (v === null ? null : `${String(v).replace(" ", "T")}Z`),
  })),
  ...REGEXES.map<Case>(({ notOn, ...r }) => ({
    name: `regex /${r.regex}/${r.global ? "g" : ""}${r.caseInsensitive ? "i" : ""} → ${JSON.stringify(r.replacement)}`,
    mask: mask("Regular Expression", { ...r }),
    ...(notOn ? { notOn } : {}),
    type: STRING,
    stored: "text",
    values: regexValues,
  })),
];

// One instance of each engine for the whole file (PGlite: one per test file).
const ENGINES: Partial<Record<"duckdb" | "postgres", Engine>> = {};
beforeAll(async () => {
  ENGINES.duckdb = await duckdb();
  ENGINES.postgres = await postgres();
}, 120_000);
afterAll(async () => {
  await ENGINES.duckdb?.close();
  await ENGINES.postgres?.close();
});

describe.each(["duckdb", "postgres"] as const)("memory ≡ SQL on %s", (dialect) => {
  let engine: Engine;
  beforeAll(() => {
    engine = ENGINES[dialect]!;
  });

  it.each(CASES.filter((c) => c.notOn !== dialect))("$name", async (c) => {
    await engine.load({ v: { type: c.stored, values: c.values } });
    const column = (c.column ?? ((q: string) => q))(DIALECTS[dialect].quoteIdent("v"));
    const sql = value(maskSql(c.mask, column, sqlCtx({ dialect, columnType: c.type })));
    const rows = await engine.select([sql]);
    const got = rows.map((r) => normalise(r[0]!, c.type));
    const want = c.values.map((v, rowIndex) =>
      memoryNormal(value(maskValue(c.mask, c.memoryValue ? c.memoryValue(v) : v, ctx({ columnType: c.type, rowIndex })))),
    );
    expect(got).toEqual(want);
  });

  it("k-anonymization: kAnonymizeSql over the QI columns equals kAnonymize", async () => {
    const rows = sample(fc.record({ a: WITH_NULLS(fc.constantFrom("x", "y", "z")), b: WITH_NULLS(fc.integer({ min: 0, max: 2 })), c: fc.integer() }), 300);
    await engine.load({
      a: { type: "text", values: rows.map((r) => r.a) },
      b: { type: "bigint", values: rows.map((r) => r.b) },
      c: { type: "bigint", values: rows.map((r) => r.c) },
    });
    const q = (n: string) => DIALECTS[dialect].quoteIdent(n);
    for (const k of [1, 2, 5, 20, 0]) {
      const got = await engine.select([...["a", "b"].map((col) => kAnonymizeSql(q(col), [q("a"), q("b")], k, dialect)), q("c")]);
      const want = kAnonymize(rows, ["a", "b"], k).map((r) => [r["a"], r["b"], r["c"]]);
      expect(got.map(([a, b, cc]) => [a, b === null ? null : Number(b), cc === null ? null : Number(cc)])).toEqual(want);
    }
  });
});

describe("reversible and FPE through caller-installed UDFs (DuckDB)", () => {
  const udfs = { reversible: "veil_reversible", fpe: "veil_fpe" };
  it("reversible: every SQL token unmasks to the value in memory; NULL stays NULL", async () => {
    const e = ENGINES.duckdb!;
    const values = sample(WITH_NULLS(TEXT), 100);
    await e.load({ v: { type: "text", values } });
    const sql = value(maskSql(mask("Reversible"), '"v"', sqlCtx({ dialect: "duckdb", dataSourceId: 3, column: "v", udfs })));
    const rows = await e.select([sql]);
    expect(rows.map(([t]) => (t === null || t === undefined ? null : value(unmaskReversible(t, { keys: ctx().keys, dataSourceId: 3, column: "v" }))))).toEqual(
      values,
    );
  });

  it.each([
    ["strings, default alphabet, ignoreNonAlphabet", STRING, "text", { ignoreNonAlphabet: true, salt: "t" }, sample(WITH_NULLS(TEXT), 100)],
    [
      "strings, digits only",
      STRING,
      "text",
      { alphabets: [{ minChar: 48, maxChar: 57 }], prefix: 1 },
      sample(WITH_NULLS(fc.stringMatching(/^\d{0,12}$/)), 100),
    ],
    ["whole numbers", INTEGER, "bigint", {}, sample(WITH_NULLS(fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), 100)],
  ] as const)("format preserving, %s: SQL equals memory", async (_name, type, stored, metadata, values) => {
    const e = ENGINES.duckdb!;
    await e.load({ v: { type: stored, values: values as readonly Cell[] } });
    const m = mask("Format Preserving Masking", { ...metadata });
    const sql = value(maskSql(m, '"v"', sqlCtx({ dialect: "duckdb", column: "v", columnType: type, udfs })));
    const got = (await e.select([sql])).map(([t]) => normalise(t ?? null, type));
    expect(got).toEqual(values.map((v) => value(maskValue(m, v, ctx({ column: "v", columnType: type })))));
  });
});

describe("known engine differences (pinned, so a change shows)", () => {
  it("PostgreSQL takes an empty match right after a match in a global replace; RE2 (memory, DuckDB) does not", async () => {
    const m = mask("Regular Expression", { regex: "a*", replacement: "X", global: true });
    expect(value(maskValue(m, "baaac", ctx()))).toBe("XbXcX");
    for (const e of [ENGINES.duckdb!, ENGINES.postgres!]) {
      await e.load({ v: { type: "text", values: ["baaac"] } });
      const [[out]] = (await e.select([value(maskSql(m, '"v"', sqlCtx({ dialect: e.dialect })))])) as [[string]];
      expect(out).toBe(e.dialect === "postgres" ? "XbXXcX" : "XbXcX");
    }
  });

  it("PostgreSQL's `.` matches a newline; the author's JavaScript `.` (and DuckDB, on the RE2 translation) does not", async () => {
    const m = mask("Regular Expression", { regex: "a.b", replacement: "X" });
    expect(value(maskValue(m, "a\nb", ctx()))).toBe("a\nb");
    for (const e of [ENGINES.duckdb!, ENGINES.postgres!]) {
      await e.load({ v: { type: "text", values: ["a\nb"] } });
      const [[out]] = (await e.select([value(maskSql(m, '"v"', sqlCtx({ dialect: e.dialect })))])) as [[string]];
      expect(out).toBe(e.dialect === "postgres" ? "X" : "a\nb");
    }
  });
});
