import { parseInstant } from "../lang/instant.js";
import type { ColumnType } from "../model/data-type.js";
import type { MaskSpec } from "../model/policy.js";

/** The mask Immuta substitutes when the authored one cannot produce the column's type [seed]. */
export const NULLIFY: MaskSpec = { type: "Consistent Value", metadata: { constant: null } };

/**
 * A date or a date and time (`T` or a space), with or without an offset, on the calendar
 * (parseInstant checks it). `Date.parse` is not used: what it accepts beyond ISO-8601
 * differs between JavaScript engines.
 */
function isTimeLiteral(text: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text);
  if (!m) return false;
  const zone = (m[3] ?? "Z").replace(/^([+-]\d{2})(\d{2})$/, "$1:$2").replace(/^([+-]\d{2})$/, "$1:00");
  return parseInstant(`${m[1]}T${m[2] ?? "00:00"}${zone}`).ok;
}

/** Whether a constant's text is a value of the column's type. */
function constantFits(constant: string, t: ColumnType): boolean {
  switch (t.family) {
    case "string":
      return true;
    case "number":
      return t.integral ? /^[+-]?\d+$/.test(constant) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(constant);
    case "boolean":
      return /^(true|false)$/i.test(constant);
    case "time":
      return isTimeLiteral(constant);
    case "other":
      return false;
  }
}

/**
 * Whether a mask's output can be a value of the column's type (semantics §4).
 * Hashing, regex and reversible produce strings; rounding needs a number (bucketSize)
 * or a time (timePrecision); FPE keeps digits, so it fits strings and whole numbers;
 * k-anonymization, randomized response and custom functions keep the type [ours: a
 * custom function's SQL is not type-checked offline].
 */
export function maskFitsColumn(mask: MaskSpec, t: ColumnType): boolean {
  const md = mask.metadata;
  switch (mask.type) {
    case "Consistent Value":
      if (!("constant" in md)) return t.family === "string";
      return md["constant"] === null || constantFits(String(md["constant"]), t);
    case "Reversible":
    case "Regular Expression":
      return t.family === "string";
    case "Grouping":
      return (t.family === "number" && md["bucketSize"] !== undefined) || (t.family === "time" && md["timePrecision"] !== undefined);
    case "Format Preserving Masking":
      return t.family === "string" || (t.family === "number" && t.integral);
    case "K-Anonymization":
    case "Randomized Response":
    case "Custom Function":
      return true;
  }
}

/** The mask as bound to a column: the authored one, or Nullify with the reason recorded. */
export function fitMask(mask: MaskSpec, t: ColumnType): { mask: MaskSpec; changed: boolean } {
  return maskFitsColumn(mask, t) ? { mask, changed: false } : { mask: NULLIFY, changed: true };
}

/** Immuta's `actionType` for a mask: Consistent Value splits three ways on `constant` [seed]. */
export function actionTypeOf(mask: MaskSpec): string {
  switch (mask.type) {
    case "Consistent Value":
      return !("constant" in mask.metadata) ? "Hashing" : mask.metadata["constant"] === null ? "Nullify" : "Constant";
    case "Reversible":
      return "Reversible";
    case "Grouping":
      return "Generalization";
    case "Regular Expression":
      return "Regex";
    case "Format Preserving Masking":
      return "FPE";
    case "K-Anonymization":
      return "KANON";
    case "Randomized Response":
      return "RandomizedResponse";
    case "Custom Function":
      return "CustomFunction";
  }
}
