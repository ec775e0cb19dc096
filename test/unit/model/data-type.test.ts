import { describe, expect, it } from "vitest";
import { columnTypeOf } from "../../../src/model/data-type.js";

describe("dictionary data types", () => {
  it("maps types case-insensitively and ignores parameters", () => {
    expect(columnTypeOf("VARCHAR(255)")).toEqual({ family: "string", integral: false });
    expect(columnTypeOf("Integer")).toEqual({ family: "number", integral: true });
    expect(columnTypeOf("numeric(10,2)")).toEqual({ family: "number", integral: false });
    expect(columnTypeOf("decimal(10, 0)")).toEqual({ family: "number", integral: true });
    expect(columnTypeOf("timestamp with time zone")).toEqual({ family: "time", integral: false });
    expect(columnTypeOf("BOOLEAN")).toEqual({ family: "boolean", integral: false });
    expect(columnTypeOf("jsonb")).toEqual({ family: "other", integral: false });
    expect(columnTypeOf("int[]")).toEqual({ family: "other", integral: false });
  });
  it("returns undefined for unknown types", () => {
    expect(columnTypeOf("tinytext")).toBeUndefined();
    expect(columnTypeOf("")).toBeUndefined();
  });
});
