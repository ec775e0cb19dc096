/**
 * One reading of an instant (parseInstant) and the start of a time window (windowStart):
 * ISO-8601 with `Z` or an offset only, calendar and range checked, issues instead of
 * exceptions.
 */
import { describe, expect, it } from "vitest";
import { formatIssue } from "../../../src/errors.js";
import { formatInstant, instantOr, parseInstant, windowStart } from "../../../src/lang/instant.js";

const PATH = ["globalPolicies", 0, "createdAt"] as const;

function ms(text: string): number {
  const r = parseInstant(text, PATH);
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.value;
}

function rejected(text: string): string {
  const r = parseInstant(text, PATH);
  expect(r.ok).toBe(false);
  if (r.ok) return "";
  expect(r.issues).toHaveLength(1);
  const i = r.issues[0]!;
  expect(i.code).toBe("invalid_input");
  expect(i.path).toEqual(PATH);
  expect(formatIssue(i)).toContain("globalPolicies[0].createdAt: ");
  expect(i.message).toContain(`\`${text}\``);
  return i.message;
}

describe("parseInstant", () => {
  it("reads Z and lower-case z", () => {
    expect(ms("2024-06-01T00:00:00Z")).toBe(Date.UTC(2024, 5, 1));
    expect(ms("2024-06-01T00:00:00z")).toBe(Date.UTC(2024, 5, 1));
    expect(ms("2024-06-01T12:34Z")).toBe(Date.UTC(2024, 5, 1, 12, 34));
  });

  it("reads explicit offsets, east and west, up to ±18:00", () => {
    expect(ms("2024-06-01T09:00:00+09:00")).toBe(Date.UTC(2024, 5, 1));
    expect(ms("2024-05-31T19:00:00-05:00")).toBe(Date.UTC(2024, 5, 1));
    expect(ms("2024-06-01T05:30:00+05:30")).toBe(Date.UTC(2024, 5, 1));
    expect(ms("2024-06-01T00:00:00+00:00")).toBe(ms("2024-06-01T00:00:00-00:00"));
    expect(ms("2024-06-01T18:00:00+18:00")).toBe(Date.UTC(2024, 5, 1));
    expect(ms("2024-05-31T06:00:00-18:00")).toBe(Date.UTC(2024, 5, 1));
  });

  it("reads fractions of a second, keeping milliseconds", () => {
    expect(ms("2024-06-01T00:00:00.5Z")).toBe(Date.UTC(2024, 5, 1) + 500);
    expect(ms("2024-06-01T00:00:00.634Z")).toBe(Date.UTC(2024, 5, 1) + 634);
    expect(ms("2024-06-01T00:00:00.123456789+01:00")).toBe(Date.UTC(2024, 4, 31, 23) + 123);
  });

  it("reads leap days and the ends of the four-digit years", () => {
    expect(ms("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    expect(ms("2000-02-29T00:00:00Z")).toBe(Date.UTC(2000, 1, 29));
    expect(formatInstant(ms("0000-01-01T00:00:00Z"))).toBe("0000-01-01T00:00:00.000Z");
    expect(formatInstant(ms("0099-12-31T23:59:59Z"))).toBe("0099-12-31T23:59:59.000Z");
    expect(formatInstant(ms("9999-12-31T23:59:59.999Z"))).toBe("9999-12-31T23:59:59.999Z");
  });

  it("round-trips formatInstant", () => {
    for (const t of ["2022-08-09T17:23:02.634Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z"]) expect(formatInstant(ms(t))).toBe(t);
  });

  it("rejects an instant without an offset, naming the reason", () => {
    expect(rejected("2024-06-01T00:00:00")).toContain("no time zone offset");
    expect(rejected("2024-06-01T00:00")).toContain("no time zone offset");
    expect(rejected("2024-06-01T00:00:00.000")).toContain("no time zone offset");
  });

  it("rejects a date alone, a number, prose and other Date.parse forms", () => {
    for (const t of [
      "2024-06-01",
      "1",
      "1717200000000",
      "June 1, 2024",
      "Sat, 01 Jun 2024 00:00:00 GMT",
      "2024/06/01 00:00:00Z",
      "2024-06-01 00:00:00Z",
      "",
      " 2024-06-01T00:00:00Z",
    ]) {
      expect(rejected(t)).toContain("not an ISO-8601 date and time");
    }
  });

  it("rejects the ends of ECMAScript's range, written with extended years", () => {
    expect(rejected("-271821-04-20T00:00:00Z")).toContain("only years 0000 to 9999");
    expect(rejected("275760-09-13T00:00:00Z")).toContain("only years 0000 to 9999");
    expect(rejected("+275760-09-13T00:00:00Z")).toContain("only years 0000 to 9999");
    expect(rejected("+002024-06-01T00:00:00Z")).toContain("only years 0000 to 9999");
  });

  it("rejects dates off the calendar", () => {
    for (const t of [
      "2024-02-30T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-00-10T00:00:00Z",
      "2024-06-00T00:00:00Z",
    ]) {
      expect(rejected(t)).toContain("not a date on the calendar");
    }
  });

  it("rejects times off the clock, 24:00 and leap seconds included", () => {
    for (const t of ["2024-06-01T24:00:00Z", "2024-06-01T23:60:00Z", "2024-06-01T23:59:60Z"]) expect(rejected(t)).toContain("not a time of day");
  });

  it("rejects offsets beyond ±18:00 and malformed ones", () => {
    for (const t of ["2024-06-01T00:00:00+18:01", "2024-06-01T00:00:00-19:00", "2024-06-01T00:00:00+23:59", "2024-06-01T00:00:00+05:60"]) {
      expect(rejected(t)).toContain("offset beyond ±18:00");
    }
    for (const t of ["2024-06-01T00:00:00+0900", "2024-06-01T00:00:00+09", "2024-06-01T00:00:00 UTC"]) rejected(t);
  });

  it("returns an issue, never throws, for a value that is not a string", () => {
    const r = parseInstant(1 as unknown as string, ["now"]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ code: "invalid_input", path: ["now"] });
  });
});

describe("instantOr", () => {
  it("is the instant, or the fallback when absent or unreadable", () => {
    expect(instantOr("2024-06-01T00:00:00Z", Infinity)).toBe(Date.UTC(2024, 5, 1));
    expect(instantOr(undefined, Infinity)).toBe(Infinity);
    expect(instantOr(null, Infinity)).toBe(Infinity);
    expect(instantOr("", Infinity)).toBe(Infinity);
    expect(instantOr("2024-06-01", Number.NaN)).toBeNaN();
  });
});

describe("windowStart", () => {
  const NOW = Date.UTC(2024, 5, 1);

  it("is now minus the window, as Immuta writes it", () => {
    expect(windowStart(NOW, 2592000)).toEqual({ ok: true, value: "2024-05-02T00:00:00.000Z" });
    expect(windowStart(NOW, 0)).toEqual({ ok: true, value: "2024-06-01T00:00:00.000Z" });
    expect(windowStart(NOW, 1)).toEqual({ ok: true, value: "2024-05-31T23:59:59.000Z" });
  });

  it("reaches the earliest representable instant and no further", () => {
    const toMin = (NOW + 8.64e15) / 1000;
    expect(windowStart(NOW, toMin)).toEqual({ ok: true, value: "-271821-04-20T00:00:00.000Z" });
    const r = windowStart(NOW, toMin + 1);
    expect(r.ok).toBe(false);
  });

  it("is an issue at `now` for a window that starts before the representable range (`time: 1e13`)", () => {
    const r = windowStart(NOW, 1e13);
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          code: "invalid_input",
          path: ["now"],
          message:
            "a time window of 10000000000000 seconds before `now` (2024-06-01T00:00:00.000Z) starts outside the representable range of instants (-271821-04-20T00:00:00.000Z to +275760-09-13T00:00:00.000Z)",
        },
      ],
    });
  });

  it("places the issue at the path it is given", () => {
    const r = windowStart(NOW, Number.MAX_SAFE_INTEGER, ["globalPolicies", 3, "actions", 0, "rules", 0, "config", "time"]);
    expect(!r.ok && r.issues[0]!.path).toEqual(["globalPolicies", 3, "actions", 0, "rules", 0, "config", "time"]);
  });

  it("is an issue, never an exception, for a window past the end of the range or numbers that are not finite", () => {
    for (const [now, seconds] of [
      [NOW, -1e13],
      [8.64e15, -1],
      [8.64e15 + 1, 0],
      [Number.NaN, 1],
      [Infinity, 1],
      [NOW, Number.NaN],
      [NOW, Infinity],
      [NOW, -Infinity],
    ] as const) {
      const r = windowStart(now, seconds);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]).toMatchObject({ code: "invalid_input", path: ["now"] });
    }
  });
});
