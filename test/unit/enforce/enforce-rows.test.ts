/**
 * `enforceRows` and `renderSql` semantics that the differentials do not pin by themselves:
 * streaming (and K-anonymization's buffering), refusals before any row is read, the row
 * semantics choices (NULL event time, NULL high-cardinality value, NULL visibility value),
 * minimization's keep-test, conditional masks failing closed, column order, and
 * reversible tokens that unmask to the clear value.
 */
import { describe, expect, it } from "vitest";
import { createEngine, enforceRows, hkdfKeyProvider, parseBundle, renderSql, unmaskReversible, type Bundle, type Result } from "../../../src/index.js";
import { sampleBucket, sampleSaltHex } from "../../../src/enforce/sample.js";

const KEYS = hkdfKeyProvider("unit secret");
const NOW = "2024-06-01T00:00:00Z";

function bundleWith(policies: unknown[], extra: Record<string, unknown> = {}): Bundle {
  const b = parseBundle({
    dataSources: [
      {
        id: 3,
        name: "S",
        eventTime: "at",
        highCardinality: "id",
        columns: [
          { name: "id", dataType: "integer" },
          { name: "region", dataType: "text", tags: ["Geo"] },
          { name: "secret", dataType: "text", tags: ["PII"] },
          { name: "at", dataType: "timestamp" },
        ],
        ...extra,
      },
    ],
    globalPolicies: policies.map((p, i) => ({ id: i + 1, name: `P${i}`, type: "data", ...(p as object) })),
    projects: [{ id: 1, name: "Proj", purposes: ["Audit"] }],
    users: [{ profileId: 1, name: "u", groups: ["g"], authorizations: { Region: ["EU"] } }],
  });
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  return b.value;
}
const rule = (r: unknown) => ({ actions: [{ rules: [r] }] });
const mask = (tag: string, maskingConfig: unknown, extra: Record<string, unknown> = {}) =>
  rule({ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: tag }], maskingConfig, ...extra } });
const REQ = { dataSource: 3, user: 1, now: NOW };

function rowsOf(r: Result<Iterable<Record<string, unknown>>>): Record<string, unknown>[] {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return [...r.value];
}

describe("streaming", () => {
  it("yields each row before reading the next (no buffering without K-anonymization)", () => {
    const b = bundleWith([mask("PII", { type: "Null" })]);
    let pulled = 0;
    function* input() {
      for (let i = 1; i <= 3; i++) {
        pulled++;
        yield { id: i, region: "EU", secret: "s", at: NOW };
      }
    }
    const r = enforceRows(b, REQ, input(), { keys: null });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const it = r.value[Symbol.iterator]();
    expect(it.next().value).toEqual({ id: 1, region: "EU", secret: null, at: NOW });
    expect(pulled).toBe(1);
  });

  it("buffers under K-anonymization: QI values of groups smaller than k are NULL", () => {
    const b = bundleWith([mask("Geo", { type: "K-Anonymization", groupSize: 2 })]);
    let pulled = 0;
    function* input() {
      for (const region of ["EU", "EU", "US"]) {
        pulled++;
        yield { id: pulled, region, secret: "s", at: NOW };
      }
    }
    const r = enforceRows(b, REQ, input(), { keys: null });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const it = r.value[Symbol.iterator]();
    it.next();
    expect(pulled).toBe(3);
    expect(rowsOf(enforceRows(b, REQ, input(), { keys: null })).map((x) => x["region"])).toEqual(["EU", "EU", null]);
  });

  it("takes async iterables, and an engine instead of a bundle", async () => {
    const b = bundleWith([mask("PII", { type: "Constant", constant: "x" })]);
    async function* input() {
      yield { id: 1, region: "EU", secret: "s", at: NOW };
    }
    const r = enforceRows(createEngine(b), REQ, input(), { keys: null });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const out: unknown[] = [];
    for await (const row of r.value) out.push(row);
    expect(out).toEqual([{ id: 1, region: "EU", secret: "x", at: NOW }]);
  });
});

describe("rows", () => {
  it("every column in dictionary order; missing cells NULL, unknown keys dropped; CSV text read by type", () => {
    const b = bundleWith([]);
    const out = rowsOf(enforceRows(b, REQ, [{ extra: 1, secret: "s", id: "7" }], { keys: null }));
    expect(out).toEqual([{ id: 7, region: null, secret: "s", at: null }]);
    expect(Object.keys(out[0]!)).toEqual(["id", "region", "secret", "at"]);
  });

  it("a time window hides NULL and unreadable event times; no `now` is refused", () => {
    const b = bundleWith([rule({ type: "Time Restriction", config: { time: 86_400, direction: "newer" } })]);
    const rows = [
      { id: 1, at: "2024-05-31T12:00:00Z" },
      { id: 2, at: "2024-05-30T12:00:00Z" },
      { id: 3, at: null },
      { id: 4, at: "yesterday" },
      { id: 5, at: "2024-05-31T00:00:00Z" }, // exactly the start: newer keeps it
    ];
    expect(rowsOf(enforceRows(b, REQ, rows, { keys: null })).map((r) => r["id"])).toEqual([1, 5]);
    const older = bundleWith([rule({ type: "Time Restriction", config: { time: 86_400, direction: "older" } })]);
    expect(rowsOf(enforceRows(older, REQ, rows, { keys: null })).map((r) => r["id"])).toEqual([2]);
    const r = enforceRows(b, { dataSource: 3, user: 1 }, rows, { keys: null });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.path).toEqual(["now"]);
    // `now` may come in the options instead.
    expect(rowsOf(enforceRows(b, { dataSource: 3, user: 1 }, rows, { keys: null, now: NOW })).map((r) => r["id"])).toEqual([1, 5]);
  });

  it("visibilities: a row passes when its value is one of the user's; NULL matches nothing", () => {
    const b = bundleWith([
      rule({ type: "Row Restriction by User Entitlements", config: { matches: [{ type: "attribute", attribute: "Region", tag: "Geo" }] } }),
    ]);
    const rows = [
      { id: 1, region: "EU" },
      { id: 2, region: "US" },
      { id: 3, region: null },
      { id: 4, region: "eu" },
    ];
    expect(rowsOf(enforceRows(b, REQ, rows, { keys: null })).map((r) => r["id"])).toEqual([1]);
  });

  it("minimization keeps exactly the rows whose salted bucket is below percent; NULL is dropped; no key is refused", () => {
    const b = bundleWith([rule({ type: "Minimization", config: { percent: 40 } })]);
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i }));
    const kept = rowsOf(enforceRows(b, REQ, [...rows, { id: null }], { keys: KEYS })).map((r) => r["id"]);
    const salt = sampleSaltHex(KEYS, 3, "id");
    expect(kept).toEqual(rows.filter((r) => sampleBucket(salt, String(r.id))! < 40).map((r) => r.id));
    expect(kept.length).toBeGreaterThan(330);
    expect(kept.length).toBeLessThan(470);
    const refused = enforceRows(b, REQ, rows, { keys: null });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.issues[0]!.message).toContain("VEIL_SECRET");
    expect(renderSql(b, REQ, { keys: null }).ok).toBe(false);
  });

  it("never and purpose denials show no rows, and SQL says WHERE FALSE", () => {
    for (const r of [{ type: "Row Restriction by Never" }, { type: "Purpose Restriction", config: { purposes: ["Audit"] } }]) {
      const b = bundleWith([rule(r)]);
      expect(rowsOf(enforceRows(b, REQ, [{ id: 1 }], { keys: null }))).toEqual([]);
      const sql = renderSql(b, REQ, { keys: null });
      expect(sql.ok && sql.value.select.endsWith("WHERE FALSE")).toBe(true);
    }
  });

  it("a custom WHERE that needs an engine is refused in memory, naming the predicate; SQL still renders it", () => {
    const b = bundleWith([rule({ type: "Row Restriction by Custom Where Clause", config: { predicate: "lower(region) = 'eu'" } })]);
    const r = enforceRows(b, REQ, [{ id: 1 }], { keys: null });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]!.code).toBe("unsupported");
      expect(r.issues[0]!.message).toContain("custom WHERE predicate 1 of data source `S` needs a SQL engine");
    }
    const sql = renderSql(b, REQ, { keys: null });
    expect(sql.ok && sql.value.select).toContain("lower(region) = 'eu'");
    // Carried to another engine it cannot be read, so it is refused there.
    expect(renderSql(b, REQ, { keys: null, dialect: "bigquery" }).ok).toBe(false);
  });
});

describe("masks", () => {
  it("a conditional mask applies where the predicate is true or unknown, and clears only where it is false", () => {
    const b = bundleWith([mask("PII", { type: "Null" }, { conditionalPredicate: "region = 'EU'" })]);
    const rows = [
      { id: 1, region: "EU", secret: "a" },
      { id: 2, region: "US", secret: "b" },
      { id: 3, region: null, secret: "c" },
    ];
    expect(rowsOf(enforceRows(b, REQ, rows, { keys: null })).map((r) => r["secret"])).toEqual([null, "b", null]);
  });

  it("a conditional predicate that cannot be bound masks every row (fail closed)", () => {
    const b = bundleWith([mask("PII", { type: "Null" }, { conditionalPredicate: "@columnReference('nope') = 'x'" })]);
    expect(rowsOf(enforceRows(b, REQ, [{ id: 1, secret: "a" }], { keys: null })).map((r) => r["secret"])).toEqual([null]);
    const sql = renderSql(b, REQ, { keys: null });
    expect(sql.ok && sql.value.select).not.toContain("CASE");
  });

  it("hashing without a key provider is refused before any row is read", () => {
    const b = bundleWith([mask("PII", { type: "Hash" })]);
    let pulled = 0;
    const r = enforceRows(
      b,
      REQ,
      (function* () {
        pulled++;
        yield { id: 1 };
      })(),
      { keys: null },
    );
    expect(r.ok).toBe(false);
    expect(pulled).toBe(0);
  });

  it("reversible tokens unmask to the clear value; SQL refuses them without a UDF", () => {
    const b = bundleWith([mask("PII", { type: "Reversible" })]);
    let n = 0;
    const randomBytes = (k: number) => Uint8Array.from({ length: k }, () => n++ % 256);
    const [row] = rowsOf(enforceRows(b, REQ, [{ id: 1, secret: "hello" }], { keys: KEYS, randomBytes }));
    expect(row!["secret"]).not.toBe("hello");
    const clear = unmaskReversible(String(row!["secret"]), { keys: KEYS, dataSourceId: 3, column: "secret" });
    expect(clear).toEqual({ ok: true, value: "hello" });
    const sql = renderSql(b, REQ, { keys: KEYS });
    expect(sql.ok).toBe(false);
    if (!sql.ok) expect(sql.issues[0]!.message).toContain("udfs.reversible");
    const withUdf = renderSql(b, REQ, { keys: KEYS, udfs: { reversible: "veil.reversible" } });
    expect(withUdf.ok && withUdf.value.select).toContain(`"veil"."reversible"(`);
  });
});

describe("renderSql", () => {
  it("leaves out of IN lists the values PostgreSQL cannot store, so a false test stays false under NOT", () => {
    const b = bundleWith([mask("PII", { type: "Null" }, { conditionalPredicate: "@attributeValuesContains('Region', 'region')" })]);
    const user = (values: string[]) => ({ dataSource: 3, user: { name: "p", authorizations: { Region: values } }, now: NOW });
    const some = renderSql(b, user(["US", "a\u0000b"]), { keys: null });
    expect(some.ok && some.value.select).toContain(`CASE WHEN NOT ("region" IN ('US')) THEN "secret"`);
    const none = renderSql(b, user(["a\u0000b"]), { keys: null });
    expect(none.ok && none.value.select).toContain(`CASE WHEN NOT (("region" IS NULL) AND NULL) THEN "secret"`);
    // DuckDB stores NUL: the value stays.
    const duck = renderSql(b, user(["a\u0000b"]), { keys: null, dialect: "duckdb" });
    expect(duck.ok && duck.value.select).toContain(`"region" IN (('a' || chr(0) || 'b'))`);
  });

  it("quotes the table and view, and refuses an unknown dialect or an empty view name", () => {
    const b = bundleWith([], { sqlSchemaName: 'my"schema', sqlTableName: "t'x" });
    const r = renderSql(b, REQ, { keys: null, view: 'v"1', dialect: "duckdb" });
    expect(r.ok && r.value.createView).toBe(`CREATE VIEW "v""1" AS SELECT "id", "region", "secret", "at" FROM "my""schema"."t'x" WHERE TRUE`);
    expect(renderSql(b, REQ, { keys: null, dialect: "oracle" as never }).ok).toBe(false);
    expect(renderSql(b, REQ, { keys: null, view: "" }).ok).toBe(false);
  });
});
