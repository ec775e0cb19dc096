/**
 * Every date a bundle holds is read by parseInstant: one without an offset is a
 * validation issue at its own JSON path, carrying parseInstant's message; offsets
 * are honoured where dates are compared (time circumstances, authored order).
 */
import { describe, expect, it } from "vitest";
import type { Result } from "../../../src/errors.js";
import { maskFitsColumn } from "../../../src/compile/fallback.js";
import { parseBundle } from "../../../src/model/bundle.js";
import { columnTypeOf } from "../../../src/model/data-type.js";
import { engineFor, maskedSummary } from "../helpers.js";

const hash = { type: "Masking", config: { fields: [{ type: "allColumns" }], maskingConfig: { type: "Hash" } } };
const bundle = (policy: Record<string, unknown>, ds: Record<string, unknown> = {}) => ({
  dataSources: [{ id: 1, name: "S", columns: [{ name: "a", dataType: "text" }], ...ds }],
  globalPolicies: [{ id: 1, name: "P", type: "data", actions: [{ rules: [hash] }], ...policy }],
  users: [{ profileId: 1, name: "Ann" }],
});

function onlyIssue<T>(r: Result<T>) {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error("expected the bundle to be rejected");
  expect(r.issues).toHaveLength(1);
  return r.issues[0]!;
}

describe("bundle dates", () => {
  const noOffset = "2024-06-01T00:00:00";
  const message = `expected an ISO-8601 instant with \`Z\` or an offset, such as \`2024-06-01T00:00:00Z\`; got \`${noOffset}\` (no time zone offset)`;

  for (const [where, b, path] of [
    ["a policy's createdAt", bundle({ createdAt: noOffset }), ["globalPolicies", 0, "createdAt"]],
    ["a policy's updatedAt", bundle({ updatedAt: noOffset }), ["globalPolicies", 0, "updatedAt"]],
    ["a data source's createdAt", bundle({}, { createdAt: noOffset }), ["dataSources", 0, "createdAt"]],
    [
      "a V2 time circumstance's startDate",
      bundle({ circumstances: [{ type: "time", startDate: noOffset }] }),
      ["globalPolicies", 0, "circumstances", 0, "startDate"],
    ],
    [
      "a v1 time circumstance's endDate",
      {
        ...bundle({}),
        globalPolicies: [
          {
            id: 1,
            name: "P",
            type: "data",
            circumstances: [{ operator: "or", type: "time", endDate: noOffset }],
            actions: [{ type: "masking", rules: [{ type: "masking", config: { fields: ["a"], maskingConfig: { type: "Consistent Value" } } }] }],
          },
        ],
      },
      ["globalPolicies", 0, "circumstances", 0, "endDate"],
    ],
    [
      "a local policy's createdAt",
      bundle(
        {},
        {
          policyHandler: {
            jsonPolicies: [
              { type: "masking", createdAt: noOffset, rules: [{ type: "masking", config: { fields: ["a"], maskingConfig: { type: "Consistent Value" } } }] },
            ],
          },
        },
      ),
      ["dataSources", 0, "policyHandler", "jsonPolicies", 0, "createdAt"],
    ],
  ] as const) {
    it(`rejects ${where} without an offset at its path, with parseInstant's message`, () => {
      expect(onlyIssue(parseBundle(b))).toEqual({ code: "invalid_input", path, message });
    });
  }

  it("rejects a date alone and Date.parse's prose forms", () => {
    expect(onlyIssue(parseBundle(bundle({ createdAt: "2024-06-01" }))).message).toContain("not an ISO-8601 date and time");
    expect(onlyIssue(parseBundle(bundle({ createdAt: "June 1, 2024" }))).message).toContain("`June 1, 2024`");
    expect(onlyIssue(parseBundle(bundle({ createdAt: "2024-02-30T00:00:00Z" }))).message).toContain("not a date on the calendar");
  });

  it("compares a time circumstance's dates as instants, offsets included", () => {
    // 2024-01-01T08:00+09:00 is 2023-12-31T23:00Z: before a window that starts at 2024-01-01T00:00Z.
    const within = (createdAt: string) =>
      maskedSummary(
        engineFor(bundle({ circumstances: [{ type: "time", startDate: "2024-01-01T00:00:00Z", endDate: "2024-01-31T23:59:59-05:00" }] }, { createdAt })),
        1,
      );
    expect(within("2024-01-01T08:00:00+09:00")).toEqual([]);
    expect(within("2024-01-01T09:00:00+09:00")).toEqual(["a: Hashing"]);
    expect(within("2024-02-01T04:59:59Z")).toEqual(["a: Hashing"]);
    expect(within("2024-02-01T05:00:00Z")).toEqual([]);
  });
});

describe("a constant for a time column", () => {
  const constant = (c: string) => maskFitsColumn({ type: "Consistent Value", metadata: { constant: c } }, columnTypeOf("timestamp")!);

  it("fits when it is a date or a date and time on the calendar, with or without an offset", () => {
    for (const c of [
      "2020-01-01",
      "2020-01-01T12:00:00",
      "2020-01-01 12:00",
      "2020-01-01T12:00:00.5Z",
      "2020-01-01T12:00:00+09:00",
      "2020-01-01 12:00:00+0900",
      "2024-02-29",
    ]) {
      expect(constant(c), c).toBe(true);
    }
  });

  it("does not fit when it is off the calendar or a form only some engines' Date.parse reads", () => {
    for (const c of ["soon", "2020-02-30", "2020-01-01T24:00:00", "June 1, 2024", "2024/06/01", "1", "Sat, 01 Jun 2024 00:00:00 GMT"])
      expect(constant(c), c).toBe(false);
  });
});
