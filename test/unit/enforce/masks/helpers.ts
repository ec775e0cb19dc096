/** Shared fixtures for the mask tests: contexts, masks, a seeded random source. */
import { hkdfKeyProvider, type KeyProvider } from "../../../../src/enforce/keys.js";
import type { MaskContext, MaskSqlContext } from "../../../../src/enforce/masks/index.js";
import type { ColumnType } from "../../../../src/model/data-type.js";
import type { MaskSpec } from "../../../../src/model/policy.js";
import type { Result } from "../../../../src/errors.js";

export const RUNS = Number(process.env["PROPERTY_RUNS"]) || 200;

export const KEYS: KeyProvider = hkdfKeyProvider("test secret: not for production");

export const STRING: ColumnType = { family: "string", integral: false };
export const INTEGER: ColumnType = { family: "number", integral: true };
export const DOUBLE: ColumnType = { family: "number", integral: false };
export const TIME: ColumnType = { family: "time", integral: false };
export const BOOLEAN: ColumnType = { family: "boolean", integral: false };

/** A deterministic byte source (xorshift), standing in for the caller's CSPRNG. */
export function seededBytes(seed = 1): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) & 0xff;
    });
}

export function ctx(over: Partial<MaskContext> = {}): MaskContext {
  return { dataSourceId: 1, column: "email", columnType: STRING, keys: KEYS, randomBytes: seededBytes(), rowIndex: 0, ...over };
}

export function sqlCtx(over: Partial<MaskSqlContext> = {}): MaskSqlContext {
  return { dialect: "duckdb", dataSourceId: 1, column: "email", columnType: STRING, keys: KEYS, udfs: {}, ...over };
}

export const mask = (type: MaskSpec["type"], metadata: Record<string, unknown> = {}): MaskSpec => ({ type, metadata });
export const HASH = mask("Consistent Value");
export const NULLIFY = mask("Consistent Value", { constant: null });

/** The value of an ok result, or a thrown error naming the issues. */
export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.code}: ${i.message}`).join("\n"));
  return r.value;
}

/** The messages of a failed result ('' when it succeeded). */
export function failure(r: Result<unknown>): string {
  return r.ok ? "" : r.issues.map((i) => `${i.code}: ${i.message}`).join("\n");
}
