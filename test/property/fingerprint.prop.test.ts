/**
 * The plan fingerprint covers everything a policyInfo depends on apart from the user:
 * whenever an edit to the dictionary or the engine changes some user's policyInfo, the
 * fingerprint changes too (so a diff that skips equal fingerprints never misses it).
 * Edits: a tag moved between columns, a column added or renamed, blobHandlerType changed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planFingerprint } from "../../src/bulk/fingerprint.js";
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import { bundleArb, TAGS, type BundleObject } from "../arbitraries/bundle.js";

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 200);
const ENGINES = [undefined, "PostgreSQL", "Snowflake", "Databricks", "Google BigQuery", "Trino", "Redshift", "DuckDB"] as const;

/** Row policies that read the dictionary: `@columnTagged`, `@columnReference`, an entitlement on a tag. */
const rowPolicies = (tag: string) => [
  {
    id: 900,
    name: "Rows by tag",
    type: "data",
    actions: [
      {
        rules: [
          {
            type: "Row Restriction by Custom Where Clause",
            config: { predicate: `@columnTagged('${tag}') = @username OR @attributeValuesContains('Dept', 'c0')` },
          },
        ],
      },
    ],
  },
  {
    id: 901,
    name: "Rows by column",
    type: "data",
    actions: [{ rules: [{ type: "Row Restriction by Custom Where Clause", config: { predicate: "@columnReference('c1') IN ('x''y')" } }] }],
  },
  {
    id: 902,
    name: "Rows by entitlement",
    type: "data",
    actions: [{ rules: [{ type: "Row Restriction by User Entitlements", config: { matches: [{ type: "group", tag }] } }] }],
  },
];

const edit = fc.oneof(
  fc.record({ kind: fc.constant("moveTag" as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("addColumn" as const), tags: fc.uniqueArray(fc.constantFrom<string>(...TAGS), { maxLength: 2 }) }),
  fc.record({ kind: fc.constant("renameColumn" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("engine" as const), to: fc.constantFrom(...ENGINES) }),
);

type Column = { name: string; tags?: string[] };

function applyEdit(obj: BundleObject, e: { kind: string } & Record<string, unknown>): BundleObject {
  const b = structuredClone(obj);
  const ds = b.dataSources[0]! as unknown as { columns: Column[]; blobHandlerType?: string };
  const cols = ds.columns;
  if (e.kind === "moveTag") {
    const from = cols[(e["from"] as number) % cols.length]!;
    const to = cols[(e["to"] as number) % cols.length]!;
    const tag = from.tags?.[0];
    if (tag !== undefined) {
      from.tags = from.tags!.slice(1);
      to.tags = [...new Set([...(to.tags ?? []), tag])];
    }
  }
  if (e.kind === "addColumn") cols.push({ name: `c${cols.length}`, dataType: "text", tags: e["tags"] as string[] } as Column);
  if (e.kind === "renameColumn") cols[(e["at"] as number) % cols.length]!.name = "renamed";
  if (e.kind === "engine") {
    if (e["to"] === undefined) delete ds.blobHandlerType;
    else ds.blobHandlerType = e["to"] as string;
  }
  return b;
}

function observe(obj: BundleObject): { fingerprint: string; infos: string } {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(JSON.stringify(b.issues));
  const engine = createEngine(b.value);
  const plan = engine.planFor(1);
  if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
  const infos = b.value.users.map((u) => engine.policyInfo({ dataSource: 1, user: u.profileId }));
  return { fingerprint: planFingerprint(plan.value), infos: JSON.stringify(infos) };
}

describe("plan fingerprint", () => {
  it("changes whenever an edit to the dictionary or the engine changes a policyInfo", () => {
    fc.assert(
      fc.property(bundleArb, fc.constantFrom<string>(...TAGS), fc.constantFrom(...ENGINES), edit, (base, tag, engine, e) => {
        const before = structuredClone(base);
        before.globalPolicies.push(...(rowPolicies(tag) as never[]));
        // Users whose names carry a quote, so that every engine renders them differently.
        for (const u of before.users as { userid?: string }[]) u.userid = "o'neil\\";
        if (engine !== undefined) (before.dataSources[0] as { blobHandlerType?: string }).blobHandlerType = engine;
        const after = applyEdit(before, e);
        const a = observe(before);
        const b = observe(after);
        if (a.fingerprint === b.fingerprint) expect(b.infos).toBe(a.infos);
      }),
      { numRuns: RUNS },
    );
  });
});
