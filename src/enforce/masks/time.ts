/**
 * Times as masks read and write them. In memory a time is ISO-8601 text; masks write it
 * as `YYYY-MM-DDTHH:MM:SS.sssZ` (`Date.prototype.toISOString`, UTC, always milliseconds).
 * They read an instant with `Z` or an offset, a date and time without one (UTC wall
 * time, the way SQL `timestamp` columns hold it), a date alone (midnight UTC), or a Date.
 */
import { parseInstant } from "../../lang/instant.js";

const TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Epoch milliseconds of a time value, or undefined when it is not one. */
export function readTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value !== "string") return undefined;
  const m = TIME.exec(value);
  if (!m) return undefined;
  const zone = (m[3] ?? "Z").replace(/^([+-]\d{2})(\d{2})$/, "$1:$2").replace(/^([+-]\d{2})$/, "$1:00");
  const r = parseInstant(`${m[1]}T${m[2] ?? "00:00"}${zone}`);
  return r.ok ? r.value : undefined;
}

/** The text masks write for an instant. */
export function writeTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The instant as SQL timestamp text, `YYYY-MM-DD HH:MM:SS.sss` (UTC wall time). */
export function sqlTimeText(ms: number): string {
  return writeTime(ms).replace("T", " ").replace("Z", "");
}
