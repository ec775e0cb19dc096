/**
 * One reading of an instant for every instant Veil takes (bundle dates, `now`,
 * expirations): ISO-8601 with `Z` or an explicit offset, nothing else, so no result ever
 * depends on the host's time zone or on `Date.parse`'s lenient forms.
 */
import { fail, issue, ok, type Result } from "../errors.js";

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2})$/;
/** ECMAScript's time range: ±8.64e15 ms around the epoch. */
const MAX_MS = 8.64e15;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Epoch milliseconds of an ISO-8601 instant such as `2024-06-01T00:00:00Z` or
 * `2024-06-01T09:00:00.5+09:00`. Anything else (no offset, a date alone, a number, a
 * date outside the calendar or outside the representable range) is an issue at `path`.
 */
export function parseInstant(text: string, path: readonly (string | number)[] = []): Result<number> {
  const bad = (why: string) =>
    fail<number>([
      issue("invalid_input", [...path], `expected an ISO-8601 instant with \`Z\` or an offset, such as \`2024-06-01T00:00:00Z\`; got \`${text}\` (${why})`),
    ]);
  if (typeof text !== "string") return bad("not a string");
  const m = INSTANT.exec(text);
  if (!m) {
    if (/^[+-]?\d{5,}-|^[+-]\d{4}-/.test(text)) return bad("only years 0000 to 9999 are read");
    return bad(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? "no time zone offset" : "not an ISO-8601 date and time");
  }
  const [, y, mo, d, h, mi, s = "0", frac = "", zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return bad("not a date on the calendar");
  if (hour > 23 || minute > 59 || second > 59) return bad("not a time of day");
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== "z") {
    const [oh, om] = zone!.slice(1).split(":").map(Number) as [number, number];
    if (om > 59 || oh * 60 + om > 18 * 60) return bad("offset beyond ±18:00");
    offsetMinutes = (zone![0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  // setUTCFullYear keeps years 0–99 literal (Date.UTC would read them as 1900–1999).
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(frac.padEnd(3, "0").slice(0, 3)));
  const ms = date.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) return bad("outside the representable range");
  return ok(ms);
}

/** An instant as Immuta writes it: `toISOString` of epoch milliseconds known to be in range. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Epoch milliseconds of an instant that validation has already read with `parseInstant`,
 * or `fallback` when there is none (or, for a model built by hand, it does not read).
 */
export function instantOr(text: string | null | undefined, fallback: number): number {
  if (typeof text !== "string") return fallback;
  const r = parseInstant(text);
  return r.ok ? r.value : fallback;
}

/**
 * The start of a time policy's window, `seconds` before `nowMs`, as Immuta writes it
 * (`toISOString`). `nowMs` and the start must both lie in ECMAScript's range (±8.64e15 ms,
 * -271821-04-20 to +275760-09-13); otherwise, or when either number is not finite, an
 * `invalid_input` issue at `path` (a `Date` there would throw `Invalid time value`).
 */
export function windowStart(nowMs: number, seconds: number, path: readonly (string | number)[] = ["now"]): Result<string> {
  const bad = (why: string) => fail<string>([issue("invalid_input", [...path], why)]);
  if (!Number.isFinite(nowMs) || Math.abs(nowMs) > MAX_MS) return bad(`\`now\` (${nowMs} ms) is outside the representable range of instants`);
  if (!Number.isFinite(seconds)) return bad(`a time window of ${seconds} seconds has no start`);
  const start = nowMs - seconds * 1000;
  if (!Number.isFinite(start) || Math.abs(start) > MAX_MS) {
    return bad(
      `a time window of ${seconds} seconds before \`now\` (${formatInstant(nowMs)}) starts outside the representable range of instants (${formatInstant(-MAX_MS)} to ${formatInstant(MAX_MS)})`,
    );
  }
  return ok(formatInstant(start));
}
