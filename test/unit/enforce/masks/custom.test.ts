import { describe, expect, it } from "vitest";
import { maskSql, maskValue } from "../../../../src/enforce/masks/index.js";
import { ctx, failure, mask, sqlCtx, value } from "./helpers.js";

const custom = (sqlFunction: string) => mask("Custom Function", { sqlFunction });

describe("custom function", () => {
  it("puts the column where the author wrote @column (code only), parenthesised", () => {
    const sql = (f: string, dialect: "bigquery" | "postgres" = "bigquery") => value(maskSql(custom(f), '"t"."c"', sqlCtx({ dialect })));
    expect(sql("FARM_FINGERPRINT(CAST(ROUND(@column, 1) AS STRING))")).toBe('(FARM_FINGERPRINT(CAST(ROUND("t"."c", 1) AS STRING)))');
    expect(sql("@column")).toBe('("t"."c")');
    expect(sql("concat(@COLUMN, '@column', @columnTagged('x'))")).toBe(`(concat("t"."c", '@column', @columnTagged('x')))`);
    expect(sql("upper(@column) -- keep @column\n", "postgres")).toBe('(upper("t"."c"))');
  });

  it("refuses a statement separator, and text its dialect cannot lex", () => {
    expect(failure(maskSql(custom("1; DROP TABLE t"), "c", sqlCtx()))).toMatch(/^unsupported: `sqlFunction` holds `;` outside quotes/);
    expect(value(maskSql(custom("'a;b'"), "c", sqlCtx()))).toBe("('a;b')");
    expect(failure(maskSql(custom("'open"), "c", sqlCtx()))).toMatch(/does not lex as DuckDB SQL/);
  });

  it("has no in-memory form", () => {
    expect(failure(maskValue(custom("@column"), "x", ctx()))).toMatch(/^unsupported: the Custom Function mask on column `email` is SQL/);
  });
});
