/**
 * K-anonymization, a set-level mask. Fixed so SQL can match: the quasi-identifier (QI)
 * set is every column whose applied mask is K-Anonymization; k is the largest `groupSize`
 * among them (DEFAULT_K_GROUP_SIZE when none has one); a row whose combination of QI
 * values (NULLs equal) occurs fewer than k times in the row set gets NULL in all its QI
 * columns. Non-QI columns are never touched.
 */
import type { DialectId } from "../../sql/dialect.js";

/** k when no K-Anonymization mask gives `groupSize` [ours: Immuta derives it from a fingerprint Veil does not have]. */
export const DEFAULT_K_GROUP_SIZE = 5;

/** A cell's identity for grouping: its type and text, so `1` and `"1"` differ and every NULL is equal. */
function cellKey(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return ["date", v.getTime()];
  return [typeof v, String(v)];
}

const own = (row: Record<string, unknown>, c: string): unknown => (Object.hasOwn(row, c) ? row[c] : undefined);

/**
 * The rows with the QI columns of every rare combination set to NULL (new row objects; the
 * input is not changed). A k that is not a whole number ≥ 1 hides every QI value, as in SQL.
 */
export function kAnonymize(rows: readonly Record<string, unknown>[], qiColumns: readonly string[], k: number): Record<string, unknown>[] {
  const keys = rows.map((row) => JSON.stringify(qiColumns.map((c) => cellKey(own(row, c)))));
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const valid = Number.isSafeInteger(k) && k >= 1;
  return rows.map((row, i) => {
    const out = { ...row };
    if (valid && (counts.get(keys[i]!) ?? 0) >= k) return out;
    // defineProperty: a column named `__proto__` is a column, not the object's prototype.
    for (const c of qiColumns) Object.defineProperty(out, c, { value: null, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/**
 * `CASE WHEN COUNT(*) OVER (PARTITION BY qi…) >= k THEN column END` (PARTITION BY groups
 * NULLs together in every engine). A k that is not a whole number ≥ 1 hides every value.
 */
export function kAnonymizeSql(columnSql: string, qiColumnsSql: readonly string[], k: number, _dialect: DialectId): string {
  if (!Number.isSafeInteger(k) || k < 1) return `CASE WHEN 1 = 0 THEN ${columnSql} END`;
  const partition = qiColumnsSql.length > 0 ? `PARTITION BY ${qiColumnsSql.join(", ")}` : "";
  return `CASE WHEN COUNT(*) OVER (${partition}) >= ${k} THEN ${columnSql} END`;
}
