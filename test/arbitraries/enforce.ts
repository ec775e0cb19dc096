/**
 * Enforcement cases (law 6 and law 7): one table `t` with a fixed dictionary, generated
 * masking and row policies over it, a user whose groups, attribute values and login are
 * partly adversarial text, and rows drawn from the same pools (so adversarial user values
 * do match rows). Masks whose output is random (Reversible IVs, Randomized Response) and
 * masks SQL refuses without a UDF (FPE, Reversible) are left out: law 6 compares cells
 * exactly.
 */
import fc from "fast-check";
import { NASTY } from "../helpers/adversarial.js";

export const NOW = "2024-06-01T00:00:00.000Z";
const NOW_MS = Date.parse(NOW);
const DAY = 86_400_000;

/** The table's dictionary; `ts` is the event time, `id` the high-cardinality column. */
export const ENFORCE_COLUMNS = [
  { name: "id", dataType: "integer", tags: ["Key"] },
  { name: "region", dataType: "text", tags: ["Geo.Region"] },
  { name: "dept", dataType: "text", tags: ["Org"] },
  { name: "amount", dataType: "integer", tags: ["Money"] },
  { name: "note", dataType: "text", tags: ["Free"] },
  { name: "ts", dataType: "timestamp", tags: [] as string[] },
] as const;

/** Adversarial text: quotes, backslashes, comment openers, statement separators, unicode and NUL. */
export const ADVERSARIAL = [
  ...NASTY,
  "'; DROP TABLE t; --",
  "*/ OR 1=1 /*",
  "x' OR '1'='1",
  "\\'; DROP TABLE t; --",
  "$$; DROP TABLE t; --",
  "a\u0000b",
  "EU\u0000",
  "EU ",
  "eu",
  "İ",
  "e\u0301",
];

const REGIONS = ["EU", "US", "APAC"];
const DEPTS = ["a", "b"];
const GROUPS = ["ops", "eu-team", "EU", "US", "a", "b"];

const text = (base: readonly string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...base) }, { weight: 1, arbitrary: fc.constantFrom(...ADVERSARIAL) });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 6 });

const MASKS = [
  { type: "Hash" },
  { type: "Null" },
  { type: "Constant", constant: "X" },
  { type: "Constant", constant: "0" },
  { type: "Regex", regex: "[aeiouE]", replacement: "*", global: true },
  { type: "Rounding", bucketSize: 10 },
  { type: "K-Anonymization", groupSize: 2 },
];

const CONDITIONS = ["region = 'EU'", "amount > 10", "@attributeValuesContains('Region', 'region')", "@isInGroups('ops')", "dept IS NULL", "note <> 'a'"];

const exceptionsArb = fc.option(fc.record({ groups: fc.subarray(["ops", "eu-team"], { minLength: 1 }) }), { nil: undefined, freq: 3 });

const maskActionArb = fc
  .record({
    tag: fc.constantFrom("Geo.Region", "Org", "Money", "Free"),
    mask: fc.constantFrom(...MASKS),
    condition: fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined, freq: 3 }),
    exceptions: exceptionsArb,
  })
  .map(({ tag, mask, condition, exceptions }) => ({
    rules: [
      {
        type: "Masking",
        config: { fields: [{ type: "columnTags", columnTag: tag }], maskingConfig: mask, ...(condition ? { conditionalPredicate: condition } : {}) },
        ...(exceptions ? { exceptions } : {}),
      },
    ],
  }));

const PREDICATES = [
  "amount > 10",
  "@attributeValuesContains('Region', 'region')",
  "@groupsContains('dept')",
  "region = 'EU' OR dept <> 'a'",
  "NOT (amount IN (1, 2, 3, 20))",
  "note IS NOT NULL",
  "true",
  "false",
  "@isInGroups('ops')",
  "@username = note",
  "(region IN ('EU', 'US') AND amount >= 0) OR note IS NULL",
];

const rowRuleArb = fc.oneof(
  fc.constantFrom(
    { type: "Row Restriction by User Entitlements", config: { matches: [{ type: "attribute", attribute: "Region", tag: "Geo.Region" }] } },
    { type: "Row Restriction by User Entitlements", config: { matches: [{ type: "group", tag: "Geo.Region" }] } },
    {
      type: "Row Restriction by User Entitlements",
      config: {
        operator: "any",
        matches: [
          { type: "attribute", attribute: "Region", tag: "Geo.Region" },
          { type: "group", tag: "Org" },
        ],
      },
    },
    { type: "Row Restriction by Never" },
    { type: "Purpose Restriction", config: { purposes: ["Audit"] } },
    { type: "Minimization", config: { percent: 30 } },
    { type: "Minimization", config: { percent: 70 } },
  ),
  fc.constantFrom(...PREDICATES).map((predicate) => ({ type: "Row Restriction by Custom Where Clause", config: { predicate } })),
  fc.record({
    type: fc.constant("Time Restriction"),
    config: fc.record({ time: fc.constantFrom(86_400, 30 * 86_400, 400 * 86_400), direction: fc.constantFrom("newer", "older") }),
  }),
);

const rowActionArb = fc.tuple(rowRuleArb, exceptionsArb).map(([rule, exceptions]) => ({ rules: [{ ...rule, ...(exceptions ? { exceptions } : {}) }] }));

const rowArb = fc.record({
  region: nullable(text(REGIONS)),
  dept: nullable(text(DEPTS)),
  amount: nullable(fc.integer({ min: -15, max: 35 })),
  note: nullable(text(["a", "b", "note"])),
  ts: nullable(fc.integer({ min: -500, max: 5 }).map((d) => new Date(NOW_MS + d * DAY + 1234).toISOString())),
});

export interface EnforceCase {
  readonly bundle: Record<string, unknown>;
  readonly rows: readonly Record<string, unknown>[];
}

/**
 * A case for an engine: the source declared in `dialects` (its own engine, or another
 * one, so author SQL is also carried across engines), `schema` the table's schema.
 */
export function enforceCaseArb(schema: string, blobHandlers: readonly string[]): fc.Arbitrary<EnforceCase> {
  return fc
    .record({
      blobHandlerType: fc.constantFrom(...blobHandlers),
      masks: fc.array(maskActionArb, { maxLength: 3 }),
      rowActions: fc.array(rowActionArb, { maxLength: 3 }),
      user: fc.record({
        groups: fc.uniqueArray(text(GROUPS), { maxLength: 3 }),
        regions: fc.uniqueArray(text(REGIONS), { maxLength: 3 }),
        userid: text(["a", "note", "u"]),
        audit: fc.boolean(),
      }),
      rows: fc.array(rowArb, { maxLength: 24 }),
    })
    .map(({ blobHandlerType, masks, rowActions, user, rows }) => ({
      bundle: {
        dataSources: [
          {
            id: 7,
            name: "T",
            sqlSchemaName: schema,
            sqlTableName: "t",
            blobHandlerType,
            eventTime: "ts",
            highCardinality: "id",
            columns: ENFORCE_COLUMNS.map((c) => ({ name: c.name, dataType: c.dataType, tags: [...c.tags] })),
          },
        ],
        globalPolicies: [
          ...masks.map((a, i) => ({ id: 100 + i, name: `Mask ${i}`, type: "data", createdAt: `2024-01-0${i + 1}T00:00:00Z`, actions: [a] })),
          ...rowActions.map((a, i) => ({ id: 200 + i, name: `Rows ${i}`, type: "data", createdAt: `2024-02-0${i + 1}T00:00:00Z`, actions: [a] })),
        ],
        projects: [{ id: 1, name: "Audit project", purposes: ["Audit"] }],
        users: [
          {
            profileId: 1,
            name: "someone",
            userid: user.userid,
            groups: user.groups,
            authorizations: { Region: user.regions },
            currentProject: user.audit ? 1 : null,
          },
        ],
      },
      rows: rows.map((r, i) => ({ id: i + 1, ...r })),
    }));
}
