/**
 * Law 4: a row policy only hides. Adding any row policy to a bundle never lets a
 * user see a row they could not see before. Rows are counted by running the
 * reported filters (customWhere, visibilities, time window) on DuckDB.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { rowActionArb as action, rowUserArb as userArb } from "../arbitraries/rows.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckdb } from "../../src/sql/dialects/duckdb.js";

const quoteLiteral = duckdb.quoteString;
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import type { PolicyInfo } from "../../src/report/policy-info.js";

const NOW = "2024-06-01T00:00:00.000Z";
const ROWS = [
  { id: 1, region: "EU", amount: 5, ts: "2024-05-31T00:00:00.000Z" },
  { id: 2, region: "US", amount: 50, ts: "2024-05-01T00:00:00.000Z" },
  { id: 3, region: "APAC", amount: 15, ts: "2023-01-01T00:00:00.000Z" },
  { id: 4, region: "EU", amount: 500, ts: "2024-04-01T00:00:00.000Z" },
  { id: 5, region: "US", amount: 1, ts: "2020-01-01T00:00:00.000Z" },
];

function bundle(actions: unknown[], users: { groups: string[]; regions: string[]; project: number | null }[]) {
  return {
    dataSources: [
      {
        id: 1,
        name: "Sales",
        eventTime: "ts",
        columns: [
          { name: "id", dataType: "integer" },
          { name: "region", dataType: "text", tags: ["Geo.Region"] },
          { name: "amount", dataType: "integer" },
          { name: "ts", dataType: "timestamp" },
        ],
        rows: ROWS,
      },
    ],
    globalPolicies: actions.map((a, i) => ({ id: i + 1, name: `Row ${i + 1}`, type: "data", actions: [a] })),
    projects: [{ id: 1, name: "Audit", purposes: ["Audit"] }],
    users: users.map((u, i) => ({ profileId: i + 1, name: `u${i + 1}`, groups: u.groups, authorizations: { Region: u.regions }, currentProject: u.project })),
  };
}

/** The SQL condition a consumer of policyInfo applies. */
function whereOf(info: PolicyInfo): string {
  const parts: string[] = [];
  const f = info.additionalFilters as { customWhere?: { predicate: string }; time?: string; isOlderOrNewer?: string };
  if (f.customWhere) parts.push(`(${f.customWhere.predicate})`);
  if (info.visibilityRuleApplies) {
    const regions = info.visibilities.map((v) => quoteLiteral(v["region"]!));
    parts.push(regions.length ? `region IN (${regions.join(", ")})` : "false");
  }
  if (f.time) parts.push(`ts ${f.isOlderOrNewer === "older" ? "<" : ">"} TIMESTAMP ${quoteLiteral(f.time.replace("T", " ").replace("Z", ""))}`);
  return parts.length ? parts.join(" AND ") : "true";
}

let conn: DuckDBConnection;
let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  conn = await instance.connect();
  await conn.run("CREATE TABLE t (id INTEGER, region VARCHAR, amount INTEGER, ts TIMESTAMP)");
  const values = ROWS.map((r) => `(${r.id}, ${quoteLiteral(r.region)}, ${r.amount}, TIMESTAMP ${quoteLiteral(r.ts.replace("T", " ").replace("Z", ""))})`);
  await conn.run(`INSERT INTO t VALUES ${values.join(", ")}`);
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

async function visibleIds(obj: unknown): Promise<number[][]> {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  const engine = createEngine(b.value);
  const out: number[][] = [];
  for (const u of b.value.users) {
    const info = engine.policyInfo({ dataSource: 1, user: u.profileId, now: NOW });
    if (!info.ok) throw new Error(JSON.stringify(info.issues));
    const reader = await conn.runAndReadAll(`SELECT id FROM t WHERE ${whereOf(info.value)} ORDER BY id`);
    out.push(reader.getRows().map((r) => Number(r[0])));
  }
  return out;
}

describe("law 4: row policies only hide", () => {
  it("adding a row policy never shows any user a row they could not see", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 3 }), action, fc.array(userArb, { minLength: 1, maxLength: 3 }), async (existing, added, users) => {
        const before = await visibleIds(bundle(existing, users));
        const after = await visibleIds(bundle([...existing, added], users));
        after.forEach((ids, i) => {
          const was = new Set(before[i]);
          for (const id of ids) expect(was.has(id)).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });
});
