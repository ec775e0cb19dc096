/**
 * Author regexes run on RE2 (re2js): linear in the name whatever the pattern. Patterns
 * RE2 cannot run (backreferences, lookaround) and constructs JavaScript and RE2 read
 * differently are refused at load, at the pattern's JSON path.
 */
import fc from "fast-check";
import { RE2JS } from "re2js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { circumstanceHolds } from "../../../src/compile/circumstances.js";
import { ruleReachesColumn } from "../../../src/compile/fields.js";
import type { Result } from "../../../src/errors.js";
import { matchesName, regexProblem } from "../../../src/lang/regex.js";
import { parseBundle } from "../../../src/model/bundle.js";
import type { DataSource } from "../../../src/model/data-source.js";
import type { MaskingRule } from "../../../src/model/policy.js";
import { engineFor, maskedSummary } from "../helpers.js";

const CATASTROPHIC = "(a+)+$";
/** 39 `a`s and a `!`: a backtracking engine tries every split of the `a`s (2^39 paths). */
const EVIL = `${"a".repeat(39)}!`;

const source = (names: string[]): DataSource => ({ id: 1, name: "S", columns: names.map((name) => ({ name, dataType: "text" })) });

afterEach(() => vi.restoreAllMocks());

describe("matching on RE2", () => {
  it("runs the catastrophic `(a+)+$` against a 40-character name and gets the right answer", () => {
    expect(EVIL).toHaveLength(40);
    expect(matchesName({ regex: CATASTROPHIC, caseInsensitive: false }, EVIL)).toBe(false);
    expect(matchesName({ regex: CATASTROPHIC, caseInsensitive: false }, "a".repeat(40))).toBe(true);
    expect(circumstanceHolds({ kind: "columnRegex", regex: CATASTROPHIC, caseInsensitive: true }, source([EVIL, "id"]))).toBe(false);
    expect(circumstanceHolds({ kind: "columnRegex", regex: CATASTROPHIC, caseInsensitive: true }, source([EVIL, "AAA"]))).toBe(true);
  });

  it("runs the catastrophic pattern through a whole evaluation (circumstance and field selector)", () => {
    const engine = engineFor({
      dataSources: [
        {
          id: 1,
          name: "S",
          columns: [
            { name: EVIL, dataType: "text" },
            { name: "aaaa", dataType: "text" },
            { name: "id", dataType: "integer" },
          ],
        },
      ],
      globalPolicies: [
        {
          id: 1,
          name: "Hash a-runs",
          type: "data",
          circumstances: [{ type: "columnRegex", regex: CATASTROPHIC }],
          actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "columnRegex", regex: CATASTROPHIC }], maskingConfig: { type: "Hash" } } }] }],
        },
      ],
      users: [{ profileId: 1, name: "Ann" }],
    });
    expect(maskedSummary(engine, 1)).toEqual(["aaaa: Hashing"]);
  });

  it("matches ordinary patterns as JavaScript does", () => {
    const p = { regex: "^ssn", caseInsensitive: true };
    expect(["SSN", "ssn_last4", "PERSON_SSN"].map((n) => matchesName(p, n))).toEqual([true, true, false]);
    expect(matchesName({ regex: "^ssn", caseInsensitive: false }, "SSN")).toBe(false);
    expect(matchesName({ regex: "_(id|sk)$", caseInsensitive: false }, "WS_ITEM_SK")).toBe(false);
    expect(matchesName({ regex: "_(id|sk)$", caseInsensitive: true }, "WS_ITEM_SK")).toBe(true);
    expect(matchesName({ regex: "\\bdate\\b", caseInsensitive: false }, "order date")).toBe(true);
    expect(matchesName({ regex: "^\\w+\\s\\d{2,}$", caseInsensitive: false }, "col 42")).toBe(true);
    expect(matchesName({ regex: "(?<word>x)[^x]", caseInsensitive: false }, "axb")).toBe(true);
    const rule = { kind: "masking", fields: [{ kind: "columnRegex", regex: "SSN$", caseInsensitive: true }], fieldOperator: "any" } as unknown as MaskingRule;
    expect(ruleReachesColumn(rule, { name: "customer_ssn", dataType: "text" })).toEqual({ tag: null, depth: 0 });
    expect(ruleReachesColumn(rule, { name: "ssn_hash", dataType: "text" })).toBeUndefined();
  });

  it("keeps JavaScript's meaning of `.`, `\\s` and `\\S`, where RE2's differ", () => {
    const m = (regex: string, name: string) => matchesName({ regex, caseInsensitive: false }, name);
    expect(m("^a.b$", "a\rb")).toBe(false);
    expect(m("^a.b$", "a\u2028b")).toBe(false);
    expect(m("^a.b$", "a-b")).toBe(true);
    expect(m("^a\\sb$", "a\vb")).toBe(true);
    expect(m("^a\\sb$", "a\u00a0b")).toBe(true);
    expect(m("^a\\Sb$", "a\u00a0b")).toBe(false);
    expect(m("^a[\\S]b$", "a\ufeffb")).toBe(false);
    expect(m("^a[^\\s]b$", "a\u3000b")).toBe(false);
    expect(m("^[\\s\\S]+$", "any\nthing\u2028")).toBe(true);
    expect(regexProblem("[a-\\s]")).toBe("a class range may not end in `\\s`; write `\\-` for a dash");
    expect(m("[\\s-]", "-")).toBe(true);
    // JavaScript reads `\W--[` as `\W`, `-`, `-`, `[`; RE2 as `\W` and the range `-`…`[` (found by the property below).
    expect(regexProblem("[^\\W--[\\s-a]")).toBe("a class range may not start at `\\W`; write `\\-` for a dash");
    for (const e of ["d", "D", "w", "W", "s", "S"]) expect(regexProblem(`[\\${e}-z]`)).toMatch(/may not start at/);
    expect(m("[\\w-]", "-")).toBe(true);
  });

  it("keeps JavaScript's meaning of `\\uXXXX` and of `\\b` inside a class", () => {
    expect(matchesName({ regex: "^\\u0041\\u00e9$", caseInsensitive: false }, "Aé")).toBe(true);
    expect(matchesName({ regex: "[\\b]", caseInsensitive: false }, "a\bb")).toBe(true);
    expect(matchesName({ regex: "[\\b]", caseInsensitive: false }, "ab")).toBe(false);
  });

  it("compiles a pattern once per model object, however many names it is tried on", () => {
    const spy = vi.spyOn(RE2JS, "compile");
    const c = { kind: "columnRegex", regex: "^col_\\d+$", caseInsensitive: false } as const;
    const ds = source(Array.from({ length: 50 }, (_, i) => `name_${i}`));
    for (let i = 0; i < 20; i++) expect(circumstanceHolds(c, ds)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("agrees with JavaScript on every pattern it accepts (names in the Basic Multilingual Plane, case folding aside)", () => {
    const tokens = ["a", "B", "_", "-", ".", "\\d", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "^", "$", "*", "+", "?", "{2}", "{1,3}", "(", ")", "(?:", "|"];
    const more = ["[", "]", "[^", "a-z", "\\.", "\\u0061", "\\x41", "\\t", "\\r", "\\v", "[\\s]", "[^\\S]", "[\\s-a]", "[a-\\S]", "[\\b]"];
    const pattern = fc.array(fc.constantFrom(...tokens, ...more), { maxLength: 8 }).map((t) => t.join(""));
    // ASCII, and the separators where RE2's own `\s` and `.` differ from JavaScript's.
    const name = fc.string({ unit: fc.constantFrom(..."aAbB_-.: \t\n\r\v\f09xZ".split(""), "\u00a0", "\u2028", "\u2005", "\ufeff"), maxLength: 10 });
    fc.assert(
      fc.property(pattern, fc.boolean(), fc.array(name, { minLength: 1, maxLength: 5 }), (regex, caseInsensitive, names) => {
        if (regexProblem(regex) !== undefined) return;
        const js = new RegExp(regex, caseInsensitive ? "i" : "");
        const p = { regex, caseInsensitive };
        for (const n of names) expect(matchesName(p, n)).toBe(js.test(n));
      }),
      { numRuns: 3000 },
    );
  });
});

/** The one issue of a rejected bundle. */
function onlyIssue<T>(r: Result<T>) {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error("expected the bundle to be rejected");
  expect(r.issues).toHaveLength(1);
  return r.issues[0]!;
}

const withCircumstance = (regex: string) =>
  parseBundle({
    dataSources: [{ id: 1, name: "S", columns: [{ name: "a", dataType: "text" }] }],
    globalPolicies: [
      {
        id: 1,
        name: "P",
        type: "data",
        circumstances: [{ type: "columnRegex", regex }],
        actions: [{ rules: [{ type: "Masking", config: { fields: [{ type: "allColumns" }], maskingConfig: { type: "Hash" } } }] }],
      },
    ],
  });

describe("validation", () => {
  const AT = ["globalPolicies", 0, "circumstances", 0, "regex"];

  it("accepts the catastrophic pattern: RE2 runs it in linear time", () => {
    expect(withCircumstance(CATASTROPHIC).ok).toBe(true);
    expect(regexProblem(CATASTROPHIC)).toBeUndefined();
  });

  it("rejects a backreference, naming the pattern, at its path", () => {
    const i = onlyIssue(withCircumstance("(a)\\1"));
    expect(i).toMatchObject({ code: "invalid_regex", path: AT });
    expect(i.message).toBe("invalid regex `(a)\\1`: backreferences are not supported (Veil matches with RE2, in linear time): invalid escape sequence: `\\1`");
    expect(onlyIssue(withCircumstance("(?<n>a)\\k<n>")).message).toContain("backreferences are not supported");
  });

  it("rejects lookahead and lookbehind at their path", () => {
    for (const regex of ["ssn(?=_)", "ssn(?!_)", "(?<=x_)ssn", "(?<!x_)ssn"]) {
      const i = onlyIssue(withCircumstance(regex));
      expect(i).toMatchObject({ code: "invalid_regex", path: AT });
      expect(i.message).toContain(`invalid regex \`${regex}\`: lookaround is not supported`);
    }
  });

  it("rejects constructs JavaScript and RE2 read differently", () => {
    for (const [regex, what] of [
      ["ssn\\z", "`\\z`"],
      ["\\Assn", "`\\A`"],
      ["\\Q.\\E", "`\\Q`"],
      ["\\pL", "`\\p`"],
      ["a\\x{41}", "`\\x` without two hex digits"],
      ["[[:alpha:]]", "`[:` inside a class"],
      ["[]a]", "`[]`"],
      ["[^]a]", "`[^]`"],
    ] as const) {
      const i = onlyIssue(withCircumstance(regex));
      expect(i).toMatchObject({ code: "invalid_regex", path: AT });
      expect(i.message).toContain(`${what} means one thing in JavaScript and another in RE2`);
    }
  });

  it("keeps JavaScript's syntax errors as they were", () => {
    expect(onlyIssue(withCircumstance("WS_(")).message).toBe("invalid regex `WS_(`: Unterminated group");
    // RE2's own syntax: valid there, not in JavaScript.
    expect(onlyIssue(withCircumstance("(?P<n>a)")).code).toBe("invalid_regex");
  });

  it("checks a v1 field selector and the regex mask's `regex` with the same engine", () => {
    const v1 = parseBundle({
      dataSources: [{ id: 1, name: "S", columns: [{ name: "a", dataType: "text" }] }],
      globalPolicies: [
        {
          id: 1,
          name: "P",
          type: "data",
          actions: [
            {
              type: "masking",
              rules: [
                {
                  type: "masking",
                  config: {
                    fields: [{ type: "columnRegex", regex: "(x)\\1" }],
                    maskingConfig: { type: "Regular Expression", metadata: { regex: "(?<=a)b", replacement: "x" } },
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(v1.ok).toBe(false);
    if (v1.ok) return;
    expect(v1.issues.map((i) => [i.code, i.path.join("."), i.message.replace(/:.*/, "")])).toEqual([
      ["invalid_regex", "globalPolicies.0.actions.0.rules.0.config.fields.0.regex", "invalid regex `(x)\\1`"],
      ["invalid_regex", "globalPolicies.0.actions.0.rules.0.config.maskingConfig.metadata.regex", "invalid regex `(?<=a)b`"],
    ]);
    const v2 = parseBundle({
      dataSources: [{ id: 1, name: "S", columns: [{ name: "a", dataType: "text" }] }],
      globalPolicies: [
        {
          id: 1,
          name: "P",
          type: "data",
          actions: [
            {
              rules: [
                {
                  type: "Masking",
                  config: { fields: [{ type: "columnRegex", regex: "(x)\\1" }], maskingConfig: { type: "Regex", regex: "\\d(?=\\d)", replacement: "#" } },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(v2.ok).toBe(false);
    if (v2.ok) return;
    expect(v2.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["invalid_regex", "globalPolicies.0.actions.0.rules.0.config.fields.0.regex"],
      ["invalid_regex", "globalPolicies.0.actions.0.rules.0.config.maskingConfig.regex"],
    ]);
  });
});
