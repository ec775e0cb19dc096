import { describe, expect, it } from "vitest";
import { quoteIdent, quoteLiteral } from "../../../src/sql/quote.js";

describe("quoteLiteral", () => {
  it("wraps in single quotes", () => {
    expect(quoteLiteral("")).toBe("''");
    expect(quoteLiteral("abc")).toBe("'abc'");
  });

  it("doubles every single quote", () => {
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
    expect(quoteLiteral("'")).toBe("''''");
    expect(quoteLiteral("''")).toBe("''''''");
    expect(quoteLiteral("a') OR ('1'='1")).toBe("'a'') OR (''1''=''1'");
  });

  it("leaves backslashes, double quotes, comments, semicolons, unicode and NUL unchanged", () => {
    for (const v of ["\\", "\\'", 'say "hi"', "-- x", "/* x */", "; DROP TABLE t", "é日本🙂", "a\u0000b", "\n\t\r"]) {
      expect(quoteLiteral(v)).toBe(`'${v.replaceAll("'", "''")}'`);
    }
    expect(quoteLiteral("\\'")).toBe("'\\'''");
  });

  it("keeps the body free of lone quotes: removing the outer quotes leaves only doubled ones", () => {
    const body = quoteLiteral("x'y''z'''").slice(1, -1);
    expect(body.replaceAll("''", "")).not.toContain("'");
  });
});

describe("quoteIdent", () => {
  it("wraps in double quotes and keeps case", () => {
    expect(quoteIdent("Region")).toBe('"Region"');
    expect(quoteIdent("")).toBe('""');
  });

  it("doubles every double quote and leaves single quotes and backslashes", () => {
    expect(quoteIdent('my "col"')).toBe('"my ""col"""');
    expect(quoteIdent("it's\\x")).toBe('"it\'s\\x"');
    expect(quoteIdent('"; DROP TABLE t; --')).toBe('"""; DROP TABLE t; --"');
  });
});
