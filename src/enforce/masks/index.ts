/**
 * The mask functions (docs/masks.md): one cell in memory (`maskValue`), the same mask as
 * SQL text in a dialect (`maskSql`), and k-anonymization over a row set (`kAnonymize`,
 * `kAnonymizeSql`). NULL stays NULL for every mask except Constant. A mask that needs a
 * secret fails, naming what is missing, when the context has no key provider.
 */
import { fail, issue, ok, type Result } from "../../errors.js";
import { METADATA_KEYS } from "../../model/masking-config.js";
import type { MaskSpec } from "../../model/policy.js";
import { DIALECTS } from "../../sql/dialects/index.js";
import { constantSql, constantValue, nullSql } from "./constant.js";
import { badMetadata, type MaskContext, type MaskSqlContext, needsKeys } from "./context.js";
import { customFunctionSql } from "./custom.js";
import { fpeMask, fpeUnmask } from "./fpe.js";
import { hashSql, hashText, saltHex } from "./hashing.js";
import { randomizedResponse } from "./randomized.js";
import { compileMaskRegex, type RegexMask, regexSql, replaceMatches } from "./regex.js";
import { reversibleText, reversibleToken } from "./reversible.js";
import { roundNumber, roundNumberSql, roundTime, roundTimeSql, type TimePrecision } from "./rounding.js";
import { typeNames } from "./sql-types.js";
import { cellText } from "./text.js";
import { udfCall } from "./udf.js";

export type { MaskContext, MaskSqlContext } from "./context.js";
export { kAnonymize, kAnonymizeSql, DEFAULT_K_GROUP_SIZE } from "./kanon.js";
export { ff1Encrypt, ff1Decrypt } from "./ff1.js";

/** What a mask does, told apart the way `actionType` tells Consistent Value's three uses apart. */
export type MaskKind = "hashing" | "nullify" | "constant" | "reversible" | "rounding" | "regex" | "fpe" | "kanon" | "randomized" | "custom";

export function maskKind(mask: MaskSpec): MaskKind {
  switch (mask.type) {
    case "Consistent Value":
      return !Object.hasOwn(mask.metadata, "constant") ? "hashing" : mask.metadata["constant"] === null ? "nullify" : "constant";
    case "Reversible":
      return "reversible";
    case "Grouping":
      return "rounding";
    case "Regular Expression":
      return "regex";
    case "Format Preserving Masking":
      return "fpe";
    case "K-Anonymization":
      return "kanon";
    case "Randomized Response":
      return "randomized";
    case "Custom Function":
      return "custom";
  }
}

const refused = (message: string): Result<never> => fail([issue("unsupported", [], message)]);

/** The regex mask's settings, or the metadata issue. */
function regexMask(mask: MaskSpec): Result<RegexMask> {
  const md = mask.metadata;
  if (typeof md["regex"] !== "string") return fail([badMetadata("regex", "the regex mask needs a string `regex`")]);
  if (typeof md["replacement"] !== "string") return fail([badMetadata("replacement", "the regex mask needs a string `replacement`")]);
  return ok({ regex: md["regex"], replacement: md["replacement"], caseInsensitive: md["caseInsensitive"] === true, global: md["global"] === true });
}

/** Rounding's target: a bucket for numbers, a precision for times, per the column's family. */
function roundingTarget(
  mask: MaskSpec,
  ctx: { readonly column: string; readonly columnType: MaskContext["columnType"] },
): Result<{ bucket: number } | { precision: TimePrecision }> {
  const md = mask.metadata;
  if (ctx.columnType.family === "number") {
    const b = md["bucketSize"];
    if (typeof b === "number" && Number.isFinite(b) && b > 0) return ok({ bucket: b });
    return fail([badMetadata("bucketSize", `rounding the number column \`${ctx.column}\` needs a positive \`bucketSize\``)]);
  }
  if (ctx.columnType.family === "time") {
    const p = md["timePrecision"];
    if (p === "HOUR" || p === "DAY" || p === "MONTH" || p === "QUARTER" || p === "YEAR") return ok({ precision: p });
    return fail([
      badMetadata("timePrecision", `rounding the time column \`${ctx.column}\` needs \`timePrecision\`; accepted: HOUR, DAY, MONTH, QUARTER, YEAR`),
    ]);
  }
  return refused(`rounding applies to number and time columns; \`${ctx.column}\` is a ${ctx.columnType.family} column`);
}

/** One cell masked in memory: every per-cell kind (K-Anonymization is set-level: `kAnonymize`). */
export function maskValue(mask: MaskSpec, value: unknown, ctx: MaskContext): Result<unknown> {
  const kind = maskKind(mask);
  const isNull = value === null || value === undefined;
  switch (kind) {
    case "nullify":
      return ok(null);
    case "constant": {
      const c = mask.metadata["constant"];
      const v = typeof c === "string" ? constantValue(c, ctx.columnType) : undefined;
      if (v === undefined)
        return fail([badMetadata("constant", `the constant \`${String(c)}\` is not a value of column \`${ctx.column}\`'s type (${ctx.columnType.family})`)]);
      return ok(v);
    }
    case "hashing": {
      if (ctx.keys === null) return fail([needsKeys("hashing", ctx.column)]);
      if (isNull) return ok(null);
      const text = cellText(value);
      return ok(text === undefined ? null : hashText(saltHex(ctx.keys.hashSalt(ctx.dataSourceId)), text));
    }
    case "regex": {
      const m = regexMask(mask);
      if (!m.ok) return m;
      const re = compileMaskRegex(m.value.regex, m.value.caseInsensitive);
      if (!re.ok) return fail([issue("invalid_regex", ["metadata", "regex"], `the regex mask's \`${m.value.regex}\`: ${re.reason}`)]);
      if (isNull) return ok(null);
      const text = cellText(value);
      return ok(text === undefined ? null : replaceMatches(re.re, text, m.value.replacement, m.value.global));
    }
    case "rounding": {
      const target = roundingTarget(mask, ctx);
      if (!target.ok) return target;
      if (isNull) return ok(null);
      const out = "bucket" in target.value ? roundNumber(value, target.value.bucket, ctx.columnType) : roundTime(value, target.value.precision);
      return ok(out ?? null);
    }
    case "reversible": {
      if (ctx.keys === null) return fail([needsKeys("reversible masking", ctx.column)]);
      if (ctx.randomBytes === null) {
        return fail([
          issue(
            "invalid_input",
            ["randomBytes"],
            `reversible masking on column \`${ctx.column}\` needs \`randomBytes\` for its per-cell IV (the core draws no randomness itself)`,
          ),
        ]);
      }
      if (isNull) return ok(null);
      const text = cellText(value);
      return text === undefined ? ok(null) : reversibleToken(ctx.keys.columnKey("reversible", ctx.dataSourceId, ctx.column), text, ctx.randomBytes);
    }
    case "fpe":
      return fpeMask(mask, value, ctx);
    case "randomized":
      return randomizedResponse(mask, value, ctx);
    case "kanon":
      return refused(`K-Anonymization on column \`${ctx.column}\` is set-level: mask the row set with kAnonymize (the QI columns and k), not one cell`);
    case "custom":
      return refused(`the Custom Function mask on column \`${ctx.column}\` is SQL (\`sqlFunction\`) and runs only in the database; there is no in-memory form`);
  }
}

/** The plaintext of a reversible token for this source and column. */
export function unmaskReversible(token: string, ctx: Pick<MaskContext, "keys" | "dataSourceId" | "column">): Result<string> {
  if (ctx.keys === null) return fail([needsKeys("reversible masking", ctx.column)]);
  return reversibleText(ctx.keys.columnKey("reversible", ctx.dataSourceId, ctx.column), token);
}

/** The value a format-preserving mask was made from, under the same mask and context. */
export function unmaskFormatPreserving(mask: MaskSpec, masked: unknown, ctx: MaskContext): Result<unknown> {
  return fpeUnmask(mask, masked, ctx);
}

const sqlResult = (r: string | { refused: string }): Result<string> => (typeof r === "string" ? ok(r) : refused(r.refused));

/** The SQL expression, in the context's dialect, that masks `columnSql` (an already-rendered expression). */
export function maskSql(mask: MaskSpec, columnSql: string, ctx: MaskSqlContext): Result<string> {
  const d = ctx.dialect;
  const engine = DIALECTS[d].name;
  switch (maskKind(mask)) {
    case "nullify":
      return ok(nullSql(ctx.columnType, d));
    case "constant": {
      const c = mask.metadata["constant"];
      const sql = typeof c === "string" ? constantSql(c, ctx.columnType, d) : undefined;
      if (sql === undefined)
        return fail([badMetadata("constant", `the constant \`${String(c)}\` is not a value of column \`${ctx.column}\`'s type (${ctx.columnType.family})`)]);
      return ok(sql);
    }
    case "hashing":
      if (ctx.keys === null) return fail([needsKeys("hashing", ctx.column)]);
      return ok(hashSql(columnSql, saltHex(ctx.keys.hashSalt(ctx.dataSourceId)), d));
    case "regex": {
      const m = regexMask(mask);
      if (!m.ok) return m;
      const re = compileMaskRegex(m.value.regex, m.value.caseInsensitive);
      if (!re.ok) return fail([issue("invalid_regex", ["metadata", "regex"], `the regex mask's \`${m.value.regex}\`: ${re.reason}`)]);
      return sqlResult(regexSql(columnSql, m.value, re.source, d));
    }
    case "rounding": {
      const target = roundingTarget(mask, ctx);
      if (!target.ok) return target;
      return ok(
        "bucket" in target.value ? roundNumberSql(columnSql, target.value.bucket, ctx.columnType, d) : roundTimeSql(columnSql, target.value.precision, d),
      );
    }
    case "reversible":
    case "fpe": {
      const which = maskKind(mask) === "fpe" ? "fpe" : "reversible";
      const udf = ctx.udfs[which];
      const label = which === "fpe" ? "format-preserving masking" : "reversible masking";
      if (udf === undefined) {
        return refused(
          `${label} on column \`${ctx.column}\` needs an encryption UDF in ${engine}: configure \`udfs.${which}\` (the name of a function the engine runs with the column's key); Veil does not put keys in SQL text`,
        );
      }
      if (which === "reversible") return sqlResult(udfCall(udf, columnSql, ctx.dataSourceId, ctx.column, d));
      const integer = ctx.columnType.family === "number";
      const metadata: Record<string, unknown> = {};
      for (const key of METADATA_KEYS["Format Preserving Masking"]) if (mask.metadata[key] !== undefined) metadata[key] = mask.metadata[key];
      const call = udfCall(udf, columnSql, ctx.dataSourceId, ctx.column, d, JSON.stringify({ type: integer ? "integer" : "string", metadata }));
      return sqlResult(typeof call === "string" && integer ? `CAST(${call} AS ${typeNames(d).bigint})` : call);
    }
    case "kanon":
      return refused(`K-Anonymization on column \`${ctx.column}\` is set-level: render it with kAnonymizeSql over the QI columns and k`);
    case "randomized":
      return refused(
        `randomized response on column \`${ctx.column}\` is not written as SQL: its per-row randomness must agree with memory, which needs a stable row key the query does not have`,
      );
    case "custom": {
      const f = mask.metadata["sqlFunction"];
      if (typeof f !== "string") return fail([badMetadata("sqlFunction", "the Custom Function mask needs a string `sqlFunction`")]);
      return sqlResult(customFunctionSql(f, columnSql, d));
    }
  }
}
