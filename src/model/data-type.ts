/**
 * Immuta dictionary data types → the families masking cares about.
 * Families decide type-mismatch fallbacks (semantics §4).
 */
export type TypeFamily = "string" | "number" | "boolean" | "time" | "other";

/** A column type as masking sees it: its family, and whether numbers are whole. */
export interface ColumnType {
  readonly family: TypeFamily;
  /** True for integer types, where a constant must be a whole number. */
  readonly integral: boolean;
}

/** Type name → type; a Map, so `constructor` or `__proto__` is an unknown name rather than Object.prototype's. */
const FAMILIES: ReadonlyMap<string, ColumnType> = (() => {
  const t = (family: TypeFamily, integral = false): ColumnType => ({ family, integral });
  const table = new Map<string, ColumnType>();
  const put = (names: string[], type: ColumnType) => names.forEach((n) => table.set(n, type));
  put(["text", "varchar", "char", "character", "character varying", "string", "nvarchar", "nchar", "citext", "uuid", "clob", "enum"], t("string"));
  put(["integer", "int", "smallint", "bigint", "tinyint", "int2", "int4", "int8", "int64", "long", "short", "byte", "serial", "bigserial"], t("number", true));
  put(["numeric", "decimal", "double", "double precision", "float", "float4", "float8", "float64", "real", "number", "bignumeric", "money"], t("number"));
  put(["boolean", "bool"], t("boolean"));
  put(
    [
      "date",
      "timestamp",
      "timestamptz",
      "timestamp with time zone",
      "timestamp without time zone",
      "timestamp_ntz",
      "timestamp_ltz",
      "timestamp_tz",
      "datetime",
      "time",
    ],
    t("time"),
  );
  put(
    [
      "json",
      "jsonb",
      "binary",
      "bytea",
      "blob",
      "varbinary",
      "bytes",
      "array",
      "struct",
      "map",
      "variant",
      "object",
      "geography",
      "geometry",
      "interval",
      "record",
      "xml",
    ],
    t("other"),
  );
  return table;
})();

/** Accepted type names, for error messages. */
export const ACCEPTED_DATA_TYPES: readonly string[] = [...FAMILIES.keys()].sort();

/**
 * Maps a dictionary type (`VARCHAR(255)`, `decimal(10, 0)`, `Integer`) to its family,
 * or `undefined` when unknown. Parameters are dropped; `decimal(p, 0)` counts as integral.
 */
export function columnTypeOf(dataType: string): ColumnType | undefined {
  const lower = dataType.trim().toLowerCase();
  const m = /^([a-z_ ]*[a-z0-9_]*?)\s*(?:\(([^)]*)\))?(\[\])?$/.exec(lower);
  if (!m) return undefined;
  if (m[3]) return FAMILIES.get("array");
  const base = (m[1] ?? "").trim();
  const found = FAMILIES.get(base);
  if (!found) return undefined;
  const scale = m[2]?.split(",")[1]?.trim();
  if (found.family === "number" && (base === "numeric" || base === "decimal" || base === "number") && scale === "0") {
    return { family: "number", integral: true };
  }
  return found;
}
