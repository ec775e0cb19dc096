/**
 * Type-directed fast-check arbitraries: bundles whose tags, groups, attributes and
 * purposes come from small shared pools, so policies and users actually meet.
 */
import fc from "fast-check";

export const TAGS = ["PII", "PII.SSN", "PII.Email", "Finance", "Finance.Salary", "Confidential"] as const;
export const EXCEPTION_GROUPS = ["g1", "g2", "g3"] as const;
export const INCLUSION_GROUPS = ["i1", "i2"] as const;
export const DEPTS = ["a", "b"] as const;
export const PURPOSES = ["P1", "P2"] as const;

const DATES = ["2022-01-01T00:00:00.000Z", "2022-06-01T00:00:00.000Z", "2023-01-01T00:00:00.000Z"];
const TYPES = ["text", "integer", "decimal(9,2)", "timestamp", "boolean"];
const MASKS = [
  { type: "Hash" },
  { type: "Null" },
  { type: "Constant", constant: "X" },
  { type: "Constant", constant: "0" },
  { type: "Regex", regex: "[0-9]", replacement: "#" },
  { type: "Rounding", bucketSize: 10 },
  { type: "Reversible" },
  { type: "Custom Function", sqlFunction: "upper(@column)" },
];

/** A V2 exceptions object drawn from the exception pools. */
export const exceptionsArb = fc
  .record({
    operator: fc.constantFrom("any", "all"),
    groups: fc.uniqueArray(fc.constantFrom(...EXCEPTION_GROUPS), { maxLength: 2 }),
    attributes: fc.uniqueArray(fc.record({ name: fc.constant("Dept"), value: fc.constantFrom(...DEPTS) }), { maxLength: 1, selector: (a) => a.value }),
    purposes: fc.uniqueArray(fc.constantFrom(...PURPOSES), { maxLength: 1 }),
  })
  .filter((c) => c.groups.length + c.attributes.length + c.purposes.length > 0);

const inclusionsArb = fc.record({ operator: fc.constant("any"), groups: fc.uniqueArray(fc.constantFrom(...INCLUSION_GROUPS), { minLength: 1, maxLength: 2 }) });

const fieldsArb = fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }).map((ts) => ts.map((t) => ({ type: "columnTags", columnTag: t })));

/** One masking action: a single rule, an inclusions-only rule, or an inclusions rule followed by its otherwise rule. */
const actionArb = fc.oneof(
  fc.record({ fields: fieldsArb, mask: fc.constantFrom(...MASKS), inclusions: inclusionsArb }).map(({ fields, mask, inclusions }) => ({
    rules: [{ type: "Masking", config: { fields, maskingConfig: mask }, inclusions }],
  })),
  fc
    .record({ fields: fieldsArb, mask: fc.constantFrom(...MASKS), exceptions: fc.option(exceptionsArb, { nil: undefined }) })
    .map(({ fields, mask, exceptions }) => ({
      rules: [{ type: "Masking", config: { fields, maskingConfig: mask }, ...(exceptions ? { exceptions } : {}) }],
    })),
  fc
    .record({ fields: fieldsArb, a: fc.constantFrom(...MASKS), b: fc.constantFrom(...MASKS), inclusions: inclusionsArb })
    .map(({ fields, a, b, inclusions }) => ({
      rules: [
        { type: "Masking", config: { fields, maskingConfig: a }, inclusions },
        { type: "Masking", config: { fields, maskingConfig: b } },
      ],
    })),
);

/** A live V2 global masking policy (ids are assigned by `bundleArb`). */
export const policyArb = fc.record({
  createdAt: fc.constantFrom(...DATES),
  staged: fc.boolean().map((b) => b && false),
  actions: fc.array(actionArb, { minLength: 1, maxLength: 2 }),
  circumstance: fc.option(fc.constantFrom(...TAGS), { nil: undefined }),
});

const columnArb = fc.record({ dataType: fc.constantFrom(...TYPES), tags: fc.uniqueArray(fc.constantFrom<string>(...TAGS), { maxLength: 2 }) });

export const userArb = fc.record({
  groups: fc.uniqueArray(fc.constantFrom(...EXCEPTION_GROUPS, ...INCLUSION_GROUPS), { maxLength: 4 }),
  depts: fc.uniqueArray(fc.constantFrom(...DEPTS), { maxLength: 2 }),
  project: fc.constantFrom(null, 1, 2),
});

/** A whole bundle object: one data source, 1–6 policies, 3 users. */
export const bundleArb = fc
  .record({
    columns: fc.array(columnArb, { minLength: 1, maxLength: 6 }),
    policies: fc.array(policyArb, { minLength: 1, maxLength: 6 }),
    users: fc.array(userArb, { minLength: 3, maxLength: 3 }),
  })
  .map(({ columns, policies, users }) => ({
    dataSources: [{ id: 1, name: "DS", columns: columns.map((c, i) => ({ name: `c${i}`, ...c })) }],
    globalPolicies: policies.map((p, i) => ({
      id: 100 + i,
      name: `Policy ${i}`,
      type: "data",
      createdAt: p.createdAt,
      staged: p.staged,
      ...(p.circumstance ? { circumstances: [{ type: "columnTags", columnTag: p.circumstance }] } : {}),
      actions: p.actions,
    })),
    projects: [
      { id: 1, name: "One", purposes: ["P1"] },
      { id: 2, name: "Two", purposes: ["P2"] },
    ],
    users: users.map((u, i) => ({
      profileId: i + 1,
      name: `user${i + 1}`,
      groups: u.groups,
      authorizations: u.depts.length ? { Dept: u.depts } : {},
      currentProject: u.project,
    })),
  }));

/** The plain object `bundleArb` produces. */
export type BundleObject = typeof bundleArb extends fc.Arbitrary<infer T> ? T : never;
