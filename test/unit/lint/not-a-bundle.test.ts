import { describe, expect, it } from "vitest";
import { VeilError } from "../../../src/errors.js";
import { lint } from "../../../src/lint/index.js";
import type { Bundle } from "../../../src/model/bundle.js";

describe("lint on something that is not a bundle", () => {
  it("is refused with a coded issue, not a TypeError half-way", () => {
    const call = () => lint({ dataSources: "nope" } as unknown as Bundle);
    expect(call).toThrow(VeilError);
    try {
      call();
    } catch (e) {
      expect((e as VeilError).issues[0]).toMatchObject({ code: "invalid_input", path: ["bundle"] });
    }
  });
});
