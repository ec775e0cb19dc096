import { describe, expect, it } from "vitest";
import { anyTagReached, tagDepth, tagReaches } from "../../../src/compile/tags.js";

describe("tag hierarchy", () => {
  it("a tag reaches itself and its descendants only", () => {
    expect(tagReaches("PII", "PII")).toBe(true);
    expect(tagReaches("PII", "PII.SSN")).toBe(true);
    expect(tagReaches("PII", "PII.SSN.Last4")).toBe(true);
    expect(tagReaches("PII.SSN", "PII")).toBe(false);
    expect(tagReaches("PII", "PIIX")).toBe(false);
    expect(tagReaches("PII", "pii.SSN")).toBe(false);
  });
  it("handles tags with spaces, as real exports have", () => {
    expect(tagReaches("Data Entity.PO", "Data Entity.PO.Value")).toBe(true);
    expect(anyTagReached("Data Entity.PO.Value", ["po.value", "Data Entity.PO.Value"])).toBe(true);
    expect(anyTagReached("Data Entity.PO.Value", [])).toBe(false);
  });
  it("depth counts segments", () => {
    expect(tagDepth("PII")).toBe(1);
    expect(tagDepth("PII.SSN")).toBe(2);
    expect(tagDepth("Data Entity.PO.Table.x")).toBe(4);
  });
});
