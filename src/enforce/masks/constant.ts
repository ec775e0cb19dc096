/**
 * Nullify (`constant: null`) and Constant (`constant` a string). Binding has already
 * replaced a constant that is not a value of the column's type with Nullify (semantics
 * §4), so the constant reaching here reads as the column's type. Constant is the one mask
 * that also replaces NULL.
 */
import type { ColumnType } from "../../model/data-type.js";
import type { DialectId } from "../../sql/dialect.js";
import { DIALECTS } from "../../sql/dialects/index.js";
import { sqlTypeOf } from "./sql-types.js";
import { readTime, sqlTimeText, writeTime } from "./time.js";

/**
 * The constant as a value of the column's type: the text itself for strings, a number
 * for numbers, a boolean for booleans (`true`/`false`, any case), the ISO text of the
 * instant for times (offset-less text is UTC). Undefined when it does not read as one.
 */
export function constantValue(constant: string, t: ColumnType): string | number | boolean | undefined {
  switch (t.family) {
    case "string":
      return constant;
    case "number": {
      const n = Number(constant);
      return constant.trim() !== "" && Number.isFinite(n) && (!t.integral || Number.isSafeInteger(n)) ? n : undefined;
    }
    case "boolean":
      return /^true$/i.test(constant) ? true : /^false$/i.test(constant) ? false : undefined;
    case "time": {
      const ms = readTime(constant);
      return ms === undefined ? undefined : writeTime(ms);
    }
    case "other":
      return undefined;
  }
}

/** NULL of the column's type (a bare NULL for `other`, whose SQL type is unknown). */
export function nullSql(t: ColumnType, d: DialectId): string {
  const type = sqlTypeOf(t, d);
  return type === undefined ? "NULL" : `CAST(NULL AS ${type})`;
}

/** The constant cast to the column's type; a time constant is written as UTC wall time, so no session time zone reads it. */
export function constantSql(constant: string, t: ColumnType, d: DialectId): string | undefined {
  const type = sqlTypeOf(t, d);
  const value = constantValue(constant, t);
  if (type === undefined || value === undefined) return undefined;
  const text = t.family === "time" ? sqlTimeText(readTime(constant)!) : constant;
  return `CAST(${DIALECTS[d].quoteString(text)} AS ${type})`;
}
