/**
 * The dialects' quoting: exact literals and identifiers for adversarial values, and the
 * property that each dialect's own lexer reads what it writes as ONE token spanning the
 * whole output, which decodes back to the value (by the engine's escape rules, written out
 * here independently of src). PROPERTY_RUNS=n runs n cases per property.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { DIALECT_IDS, doubledQuote, type DialectId } from "../../../src/sql/dialect.js";
import { DIALECTS } from "../../../src/sql/dialects/index.js";
import { quotedTokens } from "../../../src/sql/lexer.js";
import { NASTY } from "../../helpers/adversarial.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || 300;

const V = {
  empty: "",
  quote: "it's",
  quotes: "''",
  backslash: "a\\b",
  backslashQuote: "\\'",
  trailingBackslash: "\\",
  nul: "a\u0000b",
  whitespace: "a\nb\r\tc",
  control: "\u0001\u007f",
  unicode: "é日本🙂\u202e",
  backtick: "a`b",
  dollars: "a$$b",
  comments: "*/ -- /*",
  doubleQuote: 'say "hi"',
} as const;
type Name = keyof typeof V;

const STANDARD: Record<Name, string> = {
  empty: "''",
  quote: "'it''s'",
  quotes: "''''''",
  backslash: String.raw`'a\b'`,
  backslashQuote: String.raw`'\'''`,
  trailingBackslash: String.raw`'\'`,
  nul: "NULL",
  whitespace: "'a\nb\r\tc'",
  control: "'\u0001\u007f'",
  unicode: "'é日本🙂\u202e'",
  backtick: "'a`b'",
  dollars: "'a$$b'",
  comments: "'*/ -- /*'",
  doubleQuote: `'say "hi"'`,
};

const BACKSLASHED: Record<Name, string> = {
  ...STANDARD,
  quote: String.raw`'it\'s'`,
  quotes: String.raw`'\'\''`,
  backslash: String.raw`'a\\b'`,
  backslashQuote: String.raw`'\\\''`,
  trailingBackslash: String.raw`'\\'`,
};

const STRINGS: Record<DialectId, Record<Name, string>> = {
  postgres: STANDARD,
  duckdb: { ...STANDARD, nul: "('a' || chr(0) || 'b')" },
  redshift: { ...STANDARD, backslash: String.raw`'a\\b'`, backslashQuote: String.raw`'\\'''`, trailingBackslash: String.raw`'\\'` },
  trino: { ...STANDARD, nul: String.raw`U&'a\0000b'` },
  snowflake: { ...BACKSLASHED, nul: String.raw`'a\x00b'` },
  databricks: { ...BACKSLASHED, nul: String.raw`'a\u0000b'` },
  bigquery: { ...BACKSLASHED, nul: String.raw`'a\x00b'`, whitespace: String.raw`'a\nb\r\tc'`, control: String.raw`'\x01\x7f'` },
};

const DOUBLE_QUOTED: Record<Name, string> = {
  empty: `""`,
  quote: `"it's"`,
  quotes: `"''"`,
  backslash: String.raw`"a\b"`,
  backslashQuote: String.raw`"\'"`,
  trailingBackslash: String.raw`"\"`,
  nul: `"a\u0000b"`,
  whitespace: `"a\nb\r\tc"`,
  control: `"\u0001\u007f"`,
  unicode: `"é日本🙂\u202e"`,
  backtick: '"a`b"',
  dollars: `"a$$b"`,
  comments: `"*/ -- /*"`,
  doubleQuote: `"say ""hi"""`,
};

const DATABRICKS_IDENT: Record<Name, string> = {
  empty: "``",
  quote: "`it's`",
  quotes: "`''`",
  backslash: String.raw`${"`"}a\b${"`"}`,
  backslashQuote: "`\\'`",
  trailingBackslash: "`\\`",
  nul: "`a\u0000b`",
  whitespace: "`a\nb\r\tc`",
  control: "`\u0001\u007f`",
  unicode: "`é日本🙂\u202e`",
  backtick: "`a``b`",
  dollars: "`a$$b`",
  comments: "`*/ -- /*`",
  doubleQuote: '`say "hi"`',
};

const IDENTS: Record<DialectId, Record<Name, string>> = {
  postgres: DOUBLE_QUOTED,
  duckdb: DOUBLE_QUOTED,
  redshift: DOUBLE_QUOTED,
  trino: DOUBLE_QUOTED,
  snowflake: DOUBLE_QUOTED,
  databricks: DATABRICKS_IDENT,
  bigquery: {
    ...DATABRICKS_IDENT,
    backslash: "`a\\\\b`",
    backslashQuote: "`\\\\'`",
    trailingBackslash: "`\\\\`",
    nul: "`a\\x00b`",
    whitespace: "`a\\nb\\r\\tc`",
    control: "`\\x01\\x7f`",
    backtick: "`a\\`b`",
  },
};

describe("quoteString and quoteIdent: exact output", () => {
  for (const id of DIALECT_IDS) {
    it(id, () => {
      const d = DIALECTS[id];
      for (const name of Object.keys(V) as Name[]) {
        expect(d.quoteString(V[name]), `${id} quoteString ${name}`).toBe(STRINGS[id][name]);
        expect(d.quoteIdent(V[name]), `${id} quoteIdent ${name}`).toBe(IDENTS[id][name]);
      }
    });
  }

  it("NUL edge cases", () => {
    expect(DIALECTS.duckdb.quoteString("\u0000")).toBe("(chr(0))");
    expect(DIALECTS.duckdb.quoteString("it's\u0000\u0000")).toBe("('it''s' || chr(0) || chr(0))");
    // Unicode spaces DuckDB's parser would rewrite outside what it thinks is quoted are spliced in too.
    expect(DIALECTS.duckdb.quoteString("nb\u00a0sp\ufeff")).toBe("('nb' || chr(160) || 'sp' || chr(65279))");
    expect(DIALECTS.trino.quoteString("a\\\u0000'")).toBe(String.raw`U&'a\\\0000'''`);
    expect(DIALECTS.postgres.quoteString("\u0000")).toBe("NULL");
    expect(DIALECTS.redshift.quoteString("\\\u0000")).toBe("NULL");
  });

  it("doubledQuote", () => {
    expect(doubledQuote("a'b''", "'")).toBe("'a''b'''''");
    expect(doubledQuote("a`b", "`")).toBe("`a``b`");
  });
});

/** Decodes a backslash escape at `body[i]` (the backslash), by the escapes BigQuery, Snowflake and Databricks share. */
function backslashEscape(body: string, i: number, id: DialectId): [string, number] {
  const c = body[i + 1]!;
  const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", "0": "\u0000" };
  if (c === "x" && id !== "databricks") return [String.fromCodePoint(Number.parseInt(body.slice(i + 2, i + 4), 16)), i + 4];
  if (c === "u") return [String.fromCodePoint(Number.parseInt(body.slice(i + 2, i + 6), 16)), i + 6];
  if (id !== "redshift" && Object.hasOwn(simple, c)) return [simple[c]!, i + 2];
  return [c, i + 2];
}

/**
 * The value of one string literal or identifier token, read by the engine's documented
 * rules: doubled closing quotes, backslash escapes where the engine has them, and
 * Trino's `U&'…'` escapes. Written here from the engines' documentation, not from src.
 */
function decode(token: string, id: DialectId, kind: "string" | "identifier"): string {
  let body = token;
  let unicode = false;
  if (body.startsWith("U&")) {
    unicode = true;
    body = body.slice(2);
  }
  const q = body[0]!;
  expect(body.at(-1)).toBe(q);
  body = body.slice(1, -1);
  const backslash = kind === "string" ? ["redshift", "snowflake", "databricks", "bigquery"].includes(id) : id === "bigquery";
  let out = "";
  for (let i = 0; i < body.length; ) {
    if (unicode && body[i] === "\\") {
      if (body[i + 1] === "\\") {
        out += "\\";
        i += 2;
      } else {
        out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 5), 16));
        i += 5;
      }
    } else if (backslash && body[i] === "\\") {
      const [s, next] = backslashEscape(body, i, id);
      out += s;
      i = next;
    } else if (body[i] === q && body[i + 1] === q) {
      out += q;
      i += 2;
    } else {
      // A lone closing quote inside the body would end the token early: the lexer must not have allowed it.
      expect(body[i]).not.toBe(q);
      out += body[i];
      i++;
    }
  }
  return out;
}

/** Pieces that break naive quoting, mixed with arbitrary code points (NUL included). */
const valueArb = fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "binary", maxLength: 3 })), { maxLength: 8 }).map((a) => a.join(""));
const dialectArb = fc.constantFrom(...DIALECT_IDS);

/** The tokens of `text` as [kind, start, end], or the lexing error. */
function tokensOf(text: string, id: DialectId): [string, number, number][] | string {
  const r = quotedTokens(text, DIALECTS[id].lex);
  if ("kind" in r) return `error: ${r.message} at ${r.start}`;
  return r.tokens.map((t) => [t.kind, t.start, t.end]);
}

/** The special renderings of a NUL-bearing value, or undefined where the dialect writes one string token. */
function nulRendering(v: string, id: DialectId): "NULL" | "splice" | undefined {
  if (!v.includes("\u0000")) return undefined;
  if (id === "postgres" || id === "redshift") return "NULL";
  if (id === "duckdb") return "splice";
  return undefined;
}

describe("each dialect's lexer reads its own quoting as one token", () => {
  test.prop([dialectArb, valueArb], { numRuns: RUNS })("quoteString(v) is exactly one string token, which decodes to v", (id, v) => {
    const s = DIALECTS[id].quoteString(v);
    if (nulRendering(v, id) !== undefined) return; // the next two properties
    expect(tokensOf(s, id)).toEqual([["string", 0, s.length]]);
    expect(decode(s, id, "string")).toBe(v);
    // Embedded in code, it is still that one token, and the code around it stays code.
    expect(tokensOf(`x = ${s} AND y`, id)).toEqual([["string", 4, 4 + s.length]]);
    expect(tokensOf(`(${s})`, id)).toEqual([["string", 1, 1 + s.length]]);
  });

  test.prop([dialectArb, valueArb], { numRuns: RUNS })("quoteIdent(v) is exactly one identifier token, which decodes to v", (id, v) => {
    const s = DIALECTS[id].quoteIdent(v);
    expect(tokensOf(s, id)).toEqual([["identifier", 0, s.length]]);
    expect(decode(s, id, "identifier")).toBe(v);
    expect(tokensOf(`x = ${s} AND y`, id)).toEqual([["identifier", 4, 4 + s.length]]);
  });

  const withNul = fc.tuple(valueArb, valueArb).map(([a, b]) => `${a}\u0000${b}`);

  test.prop([fc.constantFrom("postgres", "redshift" as const), withNul], { numRuns: RUNS })("PostgreSQL and Redshift: a value with NUL is NULL", (id, v) => {
    expect(DIALECTS[id].quoteString(v)).toBe("NULL");
  });

  test.prop([withNul], { numRuns: RUNS })("DuckDB: a value with NUL is string tokens and `chr(n)` joined by `||`, decoding to the value", (v) => {
    const s = DIALECTS.duckdb.quoteString(v);
    expect(s.startsWith("(") && s.endsWith(")")).toBe(true);
    const tokens = tokensOf(s, "duckdb");
    if (typeof tokens === "string") throw new Error(tokens);
    expect(tokens.every(([kind]) => kind === "string")).toBe(true);
    // Walk the splice: `(`, then items joined by ` || `, each a string token or `chr(n)`, then `)`.
    let at = 1;
    let decoded = "";
    let t = 0;
    for (;;) {
      const token = tokens[t];
      if (token && token[1] === at) {
        decoded += decode(s.slice(token[1], token[2]), "duckdb", "string");
        at = token[2];
        t++;
      } else {
        const m = /^chr\((\d+)\)/.exec(s.slice(at));
        expect(m, s.slice(at)).not.toBeNull();
        decoded += String.fromCodePoint(Number(m![1]));
        at += m![0].length;
      }
      if (s.startsWith(" || ", at)) at += 4;
      else break;
    }
    expect(s.slice(at)).toBe(")");
    expect(t).toBe(tokens.length);
    expect(decoded).toBe(v);
  });

  it("the special renderings are the only exceptions", () => {
    for (const id of DIALECT_IDS) expect(nulRendering("plain", id)).toBeUndefined();
    expect(DIALECT_IDS.filter((id) => nulRendering("\u0000", id) !== undefined)).toEqual(["postgres", "duckdb", "redshift"]);
  });
});
