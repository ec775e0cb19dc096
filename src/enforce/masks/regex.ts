/**
 * The regex mask (`Regular Expression`): the first match of `regex`, or every match when
 * `global` is true, is replaced by `replacement`, matching case-insensitively when
 * `caseInsensitive` is true.
 *
 * - The replacement is literal text: `$1`, `\1` and `&` are those characters, never group
 *   references (engines spell references differently; reading them literally reveals
 *   nothing). SQL escapes it for each engine's rewrite syntax.
 * - Matching is RE2's (re2js, src/lang/regex.ts), so memory agrees with DuckDB and
 *   BigQuery, which run RE2 on the same translated source. Global replacement follows
 *   RE2's GlobalReplace: an empty match right where the previous match ended is skipped
 *   (`a*` on `baaac` gives `XbXcX`).
 * - PostgreSQL (ARE), Snowflake (POSIX ERE) and Databricks and Trino (Java) get the
 *   author's pattern as written; constructs read alike in JavaScript and RE2 mostly read
 *   alike there, but not all (docs/masks.md lists the known differences).
 */
import type { RE2JS } from "re2js";
import { compileRe2 } from "../../lang/regex.js";
import type { DialectId } from "../../sql/dialect.js";
import { DIALECTS } from "../../sql/dialects/index.js";

export interface RegexMask {
  readonly regex: string;
  readonly replacement: string;
  readonly caseInsensitive: boolean;
  readonly global: boolean;
}

const compiled = new Map<string, ReturnType<typeof compileRe2>>();

/** The compiled pattern (cached per pattern and case flag), or why it is refused. */
export function compileMaskRegex(regex: string, caseInsensitive: boolean): ReturnType<typeof compileRe2> {
  const key = `${caseInsensitive ? "i" : "-"}${regex}`;
  let r = compiled.get(key);
  if (r === undefined) {
    r = compileRe2(regex, caseInsensitive);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, r);
  }
  return r;
}

/** The length of the character (code point) at `i`, in UTF-16 units. */
function charLength(text: string, i: number): number {
  const c = text.codePointAt(i);
  return c !== undefined && c > 0xffff ? 2 : 1;
}

/** `text` with the first match (or every match) of `re` replaced by the literal `replacement`. */
export function replaceMatches(re: RE2JS, text: string, replacement: string, global: boolean): string {
  const m = re.matcher(text);
  let out = "";
  let p = 0;
  let lastEnd = -1;
  while (p <= text.length) {
    if (!m.find(p)) break;
    const start = m.start();
    const end = m.end();
    if (start === end && start === lastEnd) {
      // RE2 GlobalReplace: no empty match where the last match ended; copy one character on.
      if (p < text.length) out += text.slice(p, p + charLength(text, p));
      p += p < text.length ? charLength(text, p) : 1;
      continue;
    }
    out += text.slice(p, start) + replacement;
    p = end;
    lastEnd = end;
    if (!global) break;
  }
  return p < text.length ? out + text.slice(p) : out;
}

/** The replacement as a rewrite string: backslash-escaped for RE2/ARE/Snowflake, plus `$` for Java's. */
function rewrite(replacement: string, d: DialectId): string {
  const backslashed = replacement.replaceAll("\\", "\\\\");
  return d === "databricks" || d === "trino" ? backslashed.replaceAll("$", "\\$") : backslashed;
}

/** An RE2 source with every capturing group made non-capturing (BigQuery's REGEXP_EXTRACT then returns the whole match). */
function withoutCaptures(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\") {
      out += ch + (source[i + 1] ?? "");
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      if (source[i + 1] === "^") out += source[++i];
      if (source[i + 1] === "]") out += source[++i];
      continue;
    }
    if (ch === "(") {
      const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(source.slice(i));
      if (named) {
        out += "(?:";
        i += named[0].length - 1;
        continue;
      }
      if (source[i + 1] !== "?") {
        out += "(?:";
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/**
 * The regex mask in SQL, or a reason it cannot be written. `re2Source` is the pattern's
 * RE2 translation (DuckDB, BigQuery); the others take the author's pattern.
 */
export function regexSql(columnSql: string, m: RegexMask, re2Source: string, d: DialectId): string | { refused: string } {
  const q = DIALECTS[d].quoteString;
  const s = columnSql;
  switch (d) {
    case "postgres":
    case "duckdb": {
      const flags = `${m.global ? "g" : ""}${m.caseInsensitive ? "i" : ""}`;
      const pattern = q(d === "duckdb" ? re2Source : m.regex);
      return `regexp_replace(${s}, ${pattern}, ${q(rewrite(m.replacement, d))}${flags ? `, ${q(flags)}` : ""})`;
    }
    case "snowflake":
      return `REGEXP_REPLACE(${s}, ${q(m.regex)}, ${q(rewrite(m.replacement, d))}, 1, ${m.global ? 0 : 1}, ${q(m.caseInsensitive ? "i" : "c")})`;
    case "databricks":
    case "trino":
    case "bigquery": {
      const source = d === "bigquery" ? re2Source : m.regex;
      const pattern = q(`${m.caseInsensitive ? "(?i)" : ""}${m.global || d !== "bigquery" ? source : withoutCaptures(source)}`);
      const fn = d === "bigquery" ? "REGEXP_REPLACE" : "regexp_replace";
      if (m.global) return `${fn}(${s}, ${pattern}, ${q(rewrite(m.replacement, d))})`;
      // These engines replace every match; the first alone is spliced around its position.
      const r = q(m.replacement);
      if (d === "databricks") {
        const pos = `regexp_instr(${s}, ${pattern})`;
        return `CASE WHEN ${pos} = 0 THEN ${s} ELSE concat(substr(${s}, 1, ${pos} - 1), ${r}, substr(${s}, ${pos} + length(regexp_extract(${s}, ${pattern}, 0)))) END`;
      }
      if (d === "trino") {
        const pos = `regexp_position(${s}, ${pattern})`;
        return `CASE WHEN ${pos} < 1 THEN ${s} ELSE concat(substr(${s}, 1, ${pos} - 1), ${r}, substr(${s}, ${pos} + length(regexp_extract(${s}, ${pattern})))) END`;
      }
      const pos = `REGEXP_INSTR(${s}, ${pattern})`;
      return `CASE WHEN ${pos} = 0 THEN ${s} ELSE CONCAT(SUBSTR(${s}, 1, ${pos} - 1), ${r}, SUBSTR(${s}, ${pos} + LENGTH(REGEXP_EXTRACT(${s}, ${pattern})))) END`;
    }
    case "redshift":
      return { refused: "Redshift's regexp_replace has no first-match form and no RE2 reading; the regex mask is not written for Redshift" };
  }
}
