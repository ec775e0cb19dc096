/**
 * The lexer reads author SQL by one dialect's rules: which text is a string, a quoted
 * identifier or a comment (where an @-function is not a call). Each case lists the tokens
 * `quotedTokens` finds, as `kind:text`, or the error it stops at.
 */
import { describe, expect, it } from "vitest";
import { DIALECT_IDS, type DialectId } from "../../../src/sql/dialect.js";
import { DIALECTS } from "../../../src/sql/dialects/index.js";
import { quotedTokens, readQuoted } from "../../../src/sql/lexer.js";

/** The tokens of `text` as `kind:text`, or `error@start: message`. */
function lex(text: string, d: DialectId): string[] | string {
  const r = quotedTokens(text, DIALECTS[d].lex);
  if ("kind" in r) return `error@${r.start}: ${r.message}`;
  return r.tokens.map((t) => `${t.kind}:${text.slice(t.start, t.end)}`);
}

type Cases = readonly (readonly [text: string, expected: string[] | string])[];

function check(d: DialectId, cases: Cases): void {
  for (const [text, expected] of cases) expect(lex(text, d), `${d}: ${JSON.stringify(text)}`).toEqual(expected);
}

/** PostgreSQL's rules, which DuckDB shares. */
const POSTGRES_CASES: Cases = [
  ["x = 'a''b' AND y", ["string:'a''b'"]],
  ["'a\\' = x", ["string:'a\\'"]],
  ["E'a\\'b' = x", ["string:E'a\\'b'"]],
  ["e'a\\\\' = x", ["string:e'a\\\\'"]],
  ["E'a''b'", ["string:E'a''b'"]],
  ["U&'d\\0061t' = x", ["string:U&'d\\0061t'"]],
  ["u&'x''y'", ["string:u&'x''y'"]],
  ["B'0101' = X'1F' AND N'n'", ["string:B'0101'", "string:X'1F'", "string:N'n'"]],
  ["$$it's$$ = x", ["string:$$it's$$"]],
  ["$$$$", ["string:$$$$"]],
  ["$tag$ a $ b $$ c $t$ $tag$ = x", ["string:$tag$ a $ b $$ c $t$ $tag$"]],
  ["$_1$x$_1$", ["string:$_1$x$_1$"]],
  ["$é$x$é$", ["string:$é$x$é$"]],
  // `$1` is a parameter; a `$` inside a word opens nothing.
  ["x = $1 AND a$b$c = 1 AND ab$$c$$", []],
  [`"a""b" = 1`, [`identifier:"a""b"`]],
  [`U&"a" = 1`, [`identifier:U&"a"`]],
  ["`a` = 1", []],
  ["x -- it's\ny", ["comment:-- it's\n"]],
  ["x -- to the end", ["comment:-- to the end"]],
  ["/* a /* b */ c */ x", ["comment:/* a /* b */ c */"]],
  ["/**/x/***/", ["comment:/**/", "comment:/***/"]],
  ["x / y - z", []],
  ["# x // y", []],
  // Prefixes count only at the start of a word.
  ["name'x'", ["string:'x'"]],
  ["E'x'", ["string:E'x'"]],
  ["name'a\\' = 1", ["string:'a\\'"]],
  ["xU&'a'", ["string:'a'"]],
  ["(E'x')", ["string:E'x'"]],
  // Markers inside a token are text.
  ["'-- /* $$' \"'\" /* ' */", ["string:'-- /* $$'", `identifier:"'"`, "comment:/* ' */"]],
  ["'x", "error@0: unterminated string"],
  ["x = 'a''", "error@4: unterminated string"],
  ["E'a\\'", "error@0: unterminated string"],
  [`"x`, "error@0: unterminated quoted identifier"],
  ["a /* b", "error@2: unterminated comment"],
  ["/* a /* b */", "error@0: unterminated comment"],
  ["$$x", "error@0: unterminated $$ string"],
  ["$a$x$b$", "error@0: unterminated $a$ string"],
];

describe("quotedTokens per dialect", () => {
  it("postgres", () => check("postgres", POSTGRES_CASES));

  it("duckdb reads exactly as postgres", () => {
    expect(DIALECTS.duckdb.lex).toEqual(DIALECTS.postgres.lex);
    check("duckdb", POSTGRES_CASES);
  });

  it("redshift: postgres, with a backslash escaping inside '…'", () => {
    check("redshift", [
      ["'a\\'b' = x", ["string:'a\\'b'"]],
      ["'a\\\\' = x", ["string:'a\\\\'"]],
      ["'a''b'", ["string:'a''b'"]],
      ["'a\\' = x", "error@0: unterminated string"],
      ["E'a\\'b'", ["string:E'a\\'b'"]],
      ["$$x$$ $t$y$t$", ["string:$$x$$", "string:$t$y$t$"]],
      [`"a""b"`, [`identifier:"a""b"`]],
      ["/* a /* b */ c */", ["comment:/* a /* b */ c */"]],
      ["x -- c", ["comment:-- c"]],
    ]);
  });

  it("snowflake", () => {
    check("snowflake", [
      ["'a\\'b' = x", ["string:'a\\'b'"]],
      ["'a''b' = x", ["string:'a''b'"]],
      ["'a\\\\' = x", ["string:'a\\\\'"]],
      ["'a\\' = x", "error@0: unterminated string"],
      ["$$it's$$ = x", ["string:$$it's$$"]],
      ["$$a$b$$", ["string:$$a$b$$"]],
      // Only `$$`: `$tag$` is not a quote in Snowflake.
      ["$tag$x$tag$", []],
      // No prefixed strings: `E` is a name, then a string.
      ["E'a\\'b'", ["string:'a\\'b'"]],
      [`"a""b"`, [`identifier:"a""b"`]],
      ["`a`", []],
      ["x // it's\ny -- z\n", ["comment:// it's\n", "comment:-- z\n"]],
      ["x / / y", []],
      // Block comments do not nest.
      ["/* a /* b */ c */", ["comment:/* a /* b */"]],
      ["$$x", "error@0: unterminated $$ string"],
      ["/* x", "error@0: unterminated comment"],
    ]);
  });

  it("databricks", () => {
    check("databricks", [
      ["'a\\'b' = x", ["string:'a\\'b'"]],
      [`"a\\"b" = x`, [`string:"a\\"b"`]],
      [`"it's" = 'say "hi"'`, [`string:"it's"`, `string:'say "hi"'`]],
      // Adjacent literals concatenate; read as one span either way.
      ["'a''b'", ["string:'a''b'"]],
      ["r'a\\b' = R\"c\"", ["string:r'a\\b'", 'string:R"c"']],
      ["r'a\\'b'", ["string:r'a\\'b'"]],
      ["xr'a'", ["string:'a'"]],
      ["`a``b` = 1", ["identifier:`a``b`"]],
      // A backslash does not escape in a backtick identifier.
      ["`a\\` = 1", ["identifier:`a\\`"]],
      ["$$x$$", []],
      ["x -- c\n# y // z", ["comment:-- c\n"]],
      ["/* a /* b */ c */ x", ["comment:/* a /* b */ c */"]],
      ["'a\\'", "error@0: unterminated string"],
      ["`a", "error@0: unterminated quoted identifier"],
      ["/* a /* b */", "error@0: unterminated comment"],
    ]);
  });

  it("bigquery", () => {
    check("bigquery", [
      ["'a\\'b' = x", ["string:'a\\'b'"]],
      [`"a\\"b" = x`, [`string:"a\\"b"`]],
      ["'''it's ''quoted'' '''", ["string:'''it's ''quoted'' '''"]],
      [`"""say "hi" """`, [`string:"""say "hi" """`]],
      ["'''a\\''''", ["string:'''a\\''''"]],
      ["''''''", ["string:''''''"]],
      ["'' = x", ["string:''"]],
      // No doubling: `'a''b'` is two literals.
      ["'a''b'", ["string:'a'", "string:'b'"]],
      ["r'a\\' = x'", ["string:r'a\\' = x'"]],
      ["b'x' = B\"y\" AND rb'z' AND Br'w' AND RB'''v'''", ["string:b'x'", 'string:B"y"', "string:rb'z'", "string:Br'w'", "string:RB'''v'''"]],
      ["xr'a'", ["string:'a'"]],
      ["`a\\`b` = 1", ["identifier:`a\\`b`"]],
      ["`proj.ds.t`", ["identifier:`proj.ds.t`"]],
      ["x # it's\ny -- z", ["comment:# it's\n", "comment:-- z"]],
      ["/* a /* b */ c */", ["comment:/* a /* b */"]],
      ["$$x$$ // y", []],
      ["'a\\'", "error@0: unterminated string"],
      ["'''a''", "error@0: unterminated string"],
      ["`a\\`", "error@0: unterminated quoted identifier"],
    ]);
  });

  it("trino: standard SQL", () => {
    check("trino", [
      ["'a''b' = x", ["string:'a''b'"]],
      ["'a\\' = x", ["string:'a\\'"]],
      ["U&'a\\0000b' = X'00'", ["string:U&'a\\0000b'", "string:X'00'"]],
      ["xU&'a'", ["string:'a'"]],
      ["E'a\\'", ["string:'a\\'"]],
      ["$$x$$", []],
      [`"a""b"`, [`identifier:"a""b"`]],
      ["`a`", []],
      ["x -- c\n# y // z", ["comment:-- c\n"]],
      ["/* a /* b */ c */", ["comment:/* a /* b */"]],
      ["'a", "error@0: unterminated string"],
      [`"a`, "error@0: unterminated quoted identifier"],
    ]);
  });

  it("every dialect: an unterminated token is an error at its start, never plain code", () => {
    for (const d of DIALECT_IDS) {
      expect(lex("x = 'abc", d)).toBe("error@4: unterminated string");
      expect(lex("x = /* abc", d)).toBe("error@4: unterminated comment");
    }
  });
});

describe("readQuoted", () => {
  const pg = DIALECTS.postgres.lex;

  it("reads the token that starts at an offset, or undefined for plain code", () => {
    expect(readQuoted("x = 'a'", 4, pg)).toEqual({ kind: "string", start: 4, end: 7 });
    expect(readQuoted("x = 'a'", 0, pg)).toBeUndefined();
    expect(readQuoted("x = 'a'", 7, pg)).toBeUndefined();
    expect(readQuoted("x -- c\ny", 2, pg)).toEqual({ kind: "comment", start: 2, end: 7 });
    expect(readQuoted('"a" x', 0, pg)).toEqual({ kind: "identifier", start: 0, end: 3 });
  });

  it("a prefix is a prefix only at the start of a word, even when asked at its offset", () => {
    expect(readQuoted("nameE'x'", 4, pg)).toBeUndefined();
    expect(readQuoted("nameE'x'", 5, pg)).toEqual({ kind: "string", start: 5, end: 8 });
    expect(readQuoted(" E'x'", 1, pg)).toEqual({ kind: "string", start: 1, end: 5 });
    expect(readQuoted("a$$x$$", 1, pg)).toBeUndefined();
  });

  it("reports an error with the token's start", () => {
    expect(readQuoted("x = 'a", 4, pg)).toEqual({ kind: "error", start: 4, message: "unterminated string" });
  });
});
