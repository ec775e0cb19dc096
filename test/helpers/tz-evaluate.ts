/**
 * Run in a child process by test/unit/lang/instant-tz.test.ts under different `TZ`
 * values: evaluates a bundle whose answers turn on instants (a time circumstance on
 * data sources' `createdAt`, a time row policy at a given `now`, authored order by
 * `createdAt`, a constant on a timestamp column) and prints every report as JSON on
 * stdout. The host's offset for a local date goes to stderr, so the test can check
 * the zone took effect.
 */
import { createEngine, parseBundle } from "../../src/index.js";

const columns = [
  { name: "EVENT_ID", dataType: "bigint", tags: ["PII"] },
  { name: "EVENT_TS", dataType: "timestamp", tags: ["Stamp"] },
  { name: "NOTE", dataType: "text", tags: ["PII"] },
];
const input = {
  dataSources: [
    // 2024-01-01T08:00+09:00 is 2023-12-31T23:00Z: outside a 2024 window, though its local date is 2024-01-01.
    { id: 1, name: "Early", tags: ["Events"], eventTime: "EVENT_TS", createdAt: "2024-01-01T08:00:00+09:00", columns },
    { id: 2, name: "Late", tags: ["Events"], eventTime: "EVENT_TS", createdAt: "2024-06-15T12:00:00-07:00", columns },
    { id: 3, name: "Undated", tags: ["Events"], eventTime: "EVENT_TS", columns },
  ],
  globalPolicies: [
    {
      id: 1,
      name: "Hash PII of sources created in 2024",
      type: "data",
      createdAt: "2024-03-01T00:00:00+14:00",
      circumstances: [{ type: "time", startDate: "2024-01-01T00:00:00Z", endDate: "2024-12-31T23:59:59.999-12:00" }],
      actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: "PII" }], maskingConfig: { type: "Hash" } } }] }],
    },
    {
      // 2024-03-01T09:59:59.999Z: authored after policy 1 (2024-02-29T10:00Z), though its text reads earlier.
      id: 2,
      name: "Null PII everywhere",
      type: "data",
      createdAt: "2024-02-29T23:59:59.999-10:00",
      actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "columnTags", columnTag: "PII" }], maskingConfig: { type: "Null" } } }] }],
    },
    {
      id: 3,
      name: "A fixed stamp",
      type: "data",
      createdAt: "2024-01-01T00:00:00Z",
      actions: [
        {
          rules: [
            {
              type: "Masking",
              config: { fields: [{ type: "columnTags", columnTag: "Stamp" }], maskingConfig: { type: "Constant", constant: "2024-03-10 02:30:00" } },
            },
          ],
        },
      ],
    },
    {
      id: 4,
      name: "Last 30 days",
      type: "data",
      createdAt: "2024-05-01T00:00:00Z",
      circumstances: [{ type: "tags", tag: "Events" }],
      actions: [{ rules: [{ type: "Time Restriction", exceptions: { groups: ["Retention"] }, config: { time: 2592000 } }] }],
    },
  ],
  users: [
    { profileId: 1, name: "Tom", groups: ["Analysts"] },
    { profileId: 2, name: "Rhea", groups: ["Retention"] },
  ],
};
const bundle = parseBundle(input);
if (!bundle.ok) throw new Error(JSON.stringify(bundle.issues));
const engine = createEngine(bundle.value);
const out: Record<string, unknown> = {};
for (const dataSource of ["Early", "Late", "Undated"])
  for (const user of [1, 2])
    for (const now of ["2024-07-01T09:00:00+09:00", "2024-03-10T02:30:00-08:00"]) {
      const key = `${dataSource}/${user}/${now}`;
      out[`${key}/policyInfo`] = engine.policyInfo({ dataSource, user, now });
      out[`${key}/visibilityReport`] = engine.visibilityReport({ dataSource, user, now });
    }
// Without an offset an instant would be read in the host's zone: both are issues instead.
const ds = { id: 9, name: "Local", tags: ["Events"], eventTime: "EVENT_TS", createdAt: "2024-01-01T05:00:00", columns };
out["offsetless createdAt"] = parseBundle({ ...input, dataSources: [ds] });
out["offsetless now"] = engine.policyInfo({ dataSource: "Late", user: 1, now: "2024-07-01T09:00:00" });
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.stderr.write(`offset ${new Date(2024, 0, 1).getTimezoneOffset()}\n`);
