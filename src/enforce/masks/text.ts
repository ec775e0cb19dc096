/**
 * A cell's value as text, the way hashing, reversible masking and the regex mask read it.
 * Strings are themselves; numbers, booleans and bigints their JavaScript text; a Date its
 * ISO-8601 instant. (Those masks reach only string columns, semantics §4, so in practice
 * the value is a string; the rest keeps the functions total.)
 */
export function cellText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date && Number.isFinite(value.getTime())) return value.toISOString();
  return undefined;
}
