/**
 * Author regexes (`columnRegex` circumstances and field selectors, the regex mask's
 * `regex`) run on RE2 (re2js, pure JavaScript): matching takes time linear in the name,
 * whatever the pattern, so `(a+)+$` cannot stall an evaluation. A pattern must read
 * as JavaScript (the dialect authors write) and as RE2; RE2 has no backreferences and
 * no lookaround, and constructs both accept but read differently are refused rather
 * than matched with a meaning the author did not write.
 */
import { RE2JS } from "re2js";

/** A pattern as the model holds it: `columnRegex` circumstances and field selectors. */
export interface NamePattern {
  readonly regex: string;
  readonly caseInsensitive: boolean;
}

const HEX4 = /^[0-9A-Fa-f]{4}$/;
/**
 * JavaScript's `\s` (WhiteSpace and LineTerminator), as members of an RE2 class. RE2's
 * `\s` is `[\t\n\f\r ]` only. The list ends in a range, so a `-` after it is a character.
 */
const JS_SPACE = "\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}\\x{2000}-\\x{200A}";
/** Everything else, for `\S` inside a class (RE2's `\S` there would take `\v` and the Unicode spaces). */
const JS_NONSPACE =
  "\\x{0}-\\x{8}\\x{E}-\\x{1F}\\x{21}-\\x{9F}\\x{A1}-\\x{167F}\\x{1681}-\\x{1FFF}\\x{200B}-\\x{2027}\\x{202A}-\\x{202E}\\x{2030}-\\x{205E}\\x{2060}-\\x{2FFF}\\x{3001}-\\x{FEFE}\\x{FF00}-\\x{10FFFF}";
/** JavaScript's `.`: anything but a line terminator (RE2's excludes `\n` only). */
const JS_DOT = "[^\\n\\r\\x{2028}\\x{2029}]";

/**
 * A dash after a class escape inside a class (`[\\w-z]`): JavaScript reads the escape, the
 * dash and the next member each as itself, and goes on so that what follows forms no range
 * with them; RE2 reads ranges there. Refused, as a range ending in `\\s` is.
 */
function rangeFromEscape(escape: string): { ok: false; reason: string } {
  return { ok: false, reason: `a class range may not start at \`\\${escape}\`; write \`\\-\` for a dash` };
}

/**
 * The RE2 source of a JavaScript pattern, or why there is none that means the same.
 * `\uHHHH` becomes `\x{HHHH}`, `[\b]` `[\x08]`, and `.`, `\s` and `\S` JavaScript's sets
 * (in a class too); everything else passes through unchanged.
 */
function toRe2(src: string): { ok: true; source: string } | { ok: false; reason: string } {
  const differs = (what: string, hint: string) => ({ ok: false as const, reason: `${what} means one thing in JavaScript and another in RE2; ${hint}` });
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "\\") {
      const next = src[i + 1];
      if (next === undefined) return { ok: true, source: src };
      // JavaScript reads these as the bare letter; RE2 as an anchor, a class, quoting or a bell.
      if ("aAzQECpP".includes(next)) return differs(`\`\\${next}\``, `write \`${next}\` for the letter`);
      if (next === "x" && !/^[0-9A-Fa-f]{2}$/.test(src.slice(i + 2, i + 4))) return differs("`\\x` without two hex digits", "write `\\xHH`");
      if (next === "u") {
        const hex = src.slice(i + 2, i + 6);
        if (HEX4.test(hex) && !/^[dD][89a-fA-F]/.test(hex)) {
          out += `\\x{${hex}}`;
          i += 5;
          continue;
        }
      }
      if (next === "s" || next === "S") {
        if (!inClass) out += next === "s" ? `[${JS_SPACE}]` : `[^${JS_SPACE}]`;
        else if (src[i - 1] === "-" && src[i - 2] !== "\\" && !/(^|[^\\])\[\^?-$/.test(src.slice(0, i)))
          return { ok: false, reason: `a class range may not end in \`\\${next}\`; write \`\\-\` for a dash` };
        else out += next === "s" ? JS_SPACE : JS_NONSPACE;
        i++;
        if (inClass && src[i + 1] === "-" && src[i + 2] !== "]") return rangeFromEscape(next);
        continue;
      }
      // Inside a class JavaScript's `\b` is a backspace; RE2 has no such escape.
      out += inClass && next === "b" ? "\\x08" : ch + next;
      i++;
      if (inClass && "dDwW".includes(next) && src[i + 1] === "-" && src[i + 2] !== "]") return rangeFromEscape(next);
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      else if (ch === "[" && src[i + 1] === ":") return differs("`[:` inside a class", "write `\\[` for a bracket");
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      const negated = src[i + 1] === "^";
      if (src[i + (negated ? 2 : 1)] === "]") return differs(`\`[${negated ? "^" : ""}]\``, "RE2 reads the `]` as a member of the class");
      out += negated ? "[^" : "[";
      if (negated) i++;
      continue;
    }
    out += ch === "." ? JS_DOT : ch;
  }
  return { ok: true, source: out };
}

function compile(src: string, caseInsensitive: boolean): { ok: true; re: RE2JS } | { ok: false; reason: string } {
  try {
    new RegExp(src, caseInsensitive ? "i" : "");
  } catch (e) {
    // Compiling (never running) a JavaScript regex checks the author's syntax in linear time.
    return { ok: false, reason: (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") };
  }
  const re2 = toRe2(src);
  if (!re2.ok) return re2;
  try {
    return { ok: true, re: RE2JS.compile(re2.source, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0) };
  } catch (e) {
    const detail = (e as Error).message.replace(/^error parsing regexp: /, "");
    const what = /\(\?<?[=!]/.test(detail) ? "lookaround is not supported" : /`\\([1-9]|k)/.test(detail) ? "backreferences are not supported" : "not supported";
    return { ok: false, reason: `${what} (Veil matches with RE2, in linear time): ${detail}` };
  }
}

/** Why a pattern is refused (its syntax, or a construct RE2 lacks), or `undefined` when it is accepted. */
export function regexProblem(src: string): string | undefined {
  const r = compile(src, false);
  return r.ok ? undefined : r.reason;
}

/**
 * Compiled patterns, one per model object: a policy set compiles each of its patterns
 * once, and the cache goes with the objects (a WeakMap keeps nothing alive).
 */
const compiled = new WeakMap<NamePattern, RE2JS | null>();

/**
 * Whether a pattern matches somewhere in a name. A pattern that does not compile can
 * only come from a model built without validation; it matches every name, so the
 * policy it belongs to applies rather than silently not [ours].
 */
export function matchesName(p: NamePattern, name: string): boolean {
  let re = compiled.get(p);
  if (re === undefined) {
    const r = compile(p.regex, p.caseInsensitive);
    re = r.ok ? r.re : null;
    compiled.set(p, re);
  }
  return re === null ? true : re.test(name);
}

/**
 * The regex mask's pattern, compiled for RE2 (re2js), with the RE2 source it compiled
 * from (for engines that run RE2 themselves: DuckDB, BigQuery), or why it is refused.
 */
export function compileRe2(src: string, caseInsensitive: boolean): { ok: true; re: RE2JS; source: string } | { ok: false; reason: string } {
  const r = compile(src, caseInsensitive);
  if (!r.ok) return r;
  const t = toRe2(src);
  return t.ok ? { ok: true, re: r.re, source: t.source } : t;
}
