import { describe, expect, it } from "vitest";
import { maskValue } from "../../../../src/enforce/masks/index.js";
import { ctx, failure, mask, value } from "./helpers.js";

const rx = (regex: string, replacement: string, flags: { global?: boolean; caseInsensitive?: boolean } = {}) =>
  mask("Regular Expression", { regex, replacement, ...flags });
const run = (m: ReturnType<typeof rx>, v: unknown) => value(maskValue(m, v, ctx({ keys: null })));

describe("regex mask", () => {
  it("replaces the first match, or every match with `global`", () => {
    expect(run(rx("\\d", "#"), "a1b2c3")).toBe("a#b2c3");
    expect(run(rx("\\d", "#", { global: true }), "a1b2c3")).toBe("a#b#c#");
    expect(run(rx("\\d{3}-\\d{2}", "XXX-XX", { global: true }), "123-45-6789")).toBe("XXX-XX-6789");
  });

  it("matches case-insensitively with `caseInsensitive`", () => {
    expect(run(rx("secret", "*"), "Secret secret")).toBe("Secret *");
    expect(run(rx("secret", "*", { caseInsensitive: true }), "Secret secret")).toBe("* secret");
    expect(run(rx("secret", "*", { caseInsensitive: true, global: true }), "Secret SECRET")).toBe("* *");
  });

  it("takes the replacement literally: no group references", () => {
    expect(run(rx("(a)(b)", "$1\\2&$$", { global: true }), "abab")).toBe("$1\\2&$$$1\\2&$$");
  });

  it("follows RE2's GlobalReplace on empty matches", () => {
    expect(run(rx("a*", "X", { global: true }), "baaac")).toBe("XbXcX");
    expect(run(rx("a*", "X"), "baaac")).toBe("Xbaaac");
    expect(run(rx("x*", "-", { global: true }), "日🙂")).toBe("-日-🙂-");
    expect(run(rx("^", ">", { global: true }), "ab")).toBe(">ab");
  });

  it("reads the author's JavaScript pattern with JavaScript's meaning (`.` stops at line ends, `\\s` has the Unicode spaces)", () => {
    expect(run(rx(".+", "X"), "ab\ncd")).toBe("X\ncd");
    expect(run(rx("\\s", "_", { global: true }), "a\u00a0b c")).toBe("a_b_c");
  });

  it("keeps NULL and leaves text without a match unchanged", () => {
    expect(run(rx("\\d", "#"), null)).toBeNull();
    expect(run(rx("\\d", "#"), "abc")).toBe("abc");
  });

  it("refuses patterns RE2 cannot run, as invalid_regex", () => {
    expect(failure(maskValue(rx("(a)\\1", "x"), "aa", ctx()))).toMatch(/^invalid_regex: .*backreferences are not supported/);
    expect(failure(maskValue(rx("(?<=a)b", "x"), "ab", ctx()))).toMatch(/lookaround is not supported/);
    expect(failure(maskValue(mask("Regular Expression", { regex: "a" }), "a", ctx()))).toMatch(/needs a string `replacement`/);
  });
});
