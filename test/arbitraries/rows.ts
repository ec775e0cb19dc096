/** Row policy arbitraries over a small sales table (region tagged `Geo.Region`, amount, ts). */
import fc from "fast-check";

const audience = fc.option(
  fc.oneof(
    fc.record({ exceptions: fc.record({ groups: fc.subarray(["ops", "eu-team"], { minLength: 1 }) }) }),
    fc.record({ inclusions: fc.record({ groups: fc.subarray(["ops", "eu-team"], { minLength: 1 }) }) }),
  ),
  { nil: undefined },
);

const config = fc.oneof(
  fc.constantFrom(
    { type: "Row Restriction by User Entitlements", config: { matches: [{ type: "attribute", attribute: "Region", tag: "Geo.Region" }] } },
    { type: "Row Restriction by User Entitlements", config: { matches: [{ type: "group", tag: "Geo.Region" }] } },
    { type: "Row Restriction by Never" },
    { type: "Purpose Restriction", config: { purposes: ["Audit"] } },
  ),
  fc
    .constantFrom(
      "amount > 10",
      "@attributeValuesContains('Region', 'region')",
      "@groupsContains('region')",
      "region = 'EU'",
      "true",
      "false",
      "@isInGroups('ops')",
    )
    .map((predicate) => ({
      type: "Row Restriction by Custom Where Clause",
      config: { predicate },
    })),
  fc.record({
    type: fc.constant("Time Restriction"),
    config: fc.record({ time: fc.constantFrom(86_400, 60 * 86_400, 400 * 86_400), direction: fc.constantFrom("newer", "older") }),
  }),
);

/** A row action: one rule, or a rule with an audience followed by an otherwise rule. */
export const rowActionArb = fc.tuple(config, audience, fc.option(config, { nil: undefined })).map(([c, a, otherwise]) => ({
  rules: [{ ...c, ...(a ?? {}) }, ...(a && otherwise ? [otherwise] : [])],
}));

export const rowUserArb = fc.record({
  groups: fc.subarray(["ops", "eu-team", "EU", "US"]),
  regions: fc.subarray(["EU", "US", "APAC"]),
  project: fc.constantFrom(null, 1),
});
