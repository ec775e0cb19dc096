import { CST, Composer, isAlias, Parser, visit, type Document } from "yaml";
import { fail, ok, type Result, type VeilIssue } from "../errors.js";
import { checkDepth, DEPTH_MESSAGE } from "./depth.js";

/**
 * The largest YAML document read, in characters (4 MiB). The YAML parser keeps a token
 * tree and a node tree of the whole document, some 65 times the text in memory (a
 * 50 MB file needs over 3 GB and half a minute), so a larger one is refused with a
 * pointer to JSON, which loads in time and memory linear in its size [ours].
 */
export const MAX_YAML_LENGTH = 4 * 1024 * 1024;

/** Line and column (1-based) of an offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: end - lineStart + 1 };
}

/**
 * A tab between `key:` / `-` and a plain scalar: YAML 1.2 allows it, but YAML 1.1
 * loaders (PyYAML, which real V2 exports are round-tripped through) reject it, so a
 * policy file with one is not portable. We reject it with its line and column [ours].
 */
function tabBeforePlainScalar(token: CST.Document): number | undefined {
  let found: number | undefined;
  CST.visit(token, (item) => {
    if (found !== undefined) return CST.visit.BREAK;
    if (item.value?.type !== "scalar") return;
    for (const s of [...(item.start ?? []), ...(item.sep ?? [])]) {
      if (s.type === "space" && s.source.includes("\t")) found = s.offset + s.source.indexOf("\t");
    }
    return;
  });
  return found;
}

const isStackOverflow = (e: unknown) => e instanceof RangeError && /call stack/i.test(e.message);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Parses JSON or YAML text (chosen by file extension; YAML otherwise) into plain data. */
export function parseDocumentText(text: string, file: string): Result<unknown> {
  return /\.json$/i.test(file) ? parseJson(text, file) : parseYaml(text, file);
}

function syntaxError(text: string, file: string, lang: "JSON" | "YAML", offset: number | undefined, message: string): Result<never> {
  const where = offset === undefined ? "" : (({ line, col }) => ` at line ${line}, column ${col}`)(lineCol(text, offset));
  return fail([{ code: "invalid_syntax", path: [], message: `invalid ${lang}${where}: ${message}`, file }]);
}

const depthError = (file: string): Result<never> => fail([{ code: "invalid_input", path: [], message: DEPTH_MESSAGE, file }]);

function parseJson(text: string, file: string): Result<unknown> {
  // Editors on Windows may start a file with a byte-order mark; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = body.length === text.length ? 0 : 1;
  try {
    return ok(JSON.parse(body) as unknown);
  } catch (e) {
    if (isStackOverflow(e)) return depthError(file);
    const raw = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(raw);
    // V8 gives no position for an unexpected token or the end of input: find it ourselves.
    const offset = at ? Number(at[1]) : jsonErrorOffset(body);
    const message = raw
      .replace(/,\s*".*" is not valid JSON$/s, "")
      .replace(/ (?:in JSON )?at position \d+.*$/s, "")
      .replace(/\s*\(line \d+ column \d+\)$/, "");
    return syntaxError(text, file, "JSON", offset === undefined ? undefined : offset + shift, message);
  }
}

/**
 * The offset of the first character that makes `text` invalid JSON (its length when the
 * text ends early), or undefined when it is valid. Iterative: any depth is fine.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  const closers: number[] = []; // 0x7d `}` or 0x5d `]` for each open container
  let i = 0;
  const code = (k: number) => (k < n ? text.charCodeAt(k) : -1);
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const skipSpace = () => {
    for (let c = code(i); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = code(i)) i++;
  };
  const digits = () => {
    const start = i;
    while (isDigit(code(i))) i++;
    return i > start;
  };
  /** Reads one scalar at `i`; false leaves `i` at the offending character. */
  const scalar = (): boolean => {
    const c = code(i);
    if (c === 0x22) {
      for (i++; i < n; ) {
        const d = code(i);
        if (d === 0x22) return (i++, true);
        if (d < 0x20) return false;
        if (d !== 0x5c) {
          i++;
          continue;
        }
        const e = code(i + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) return ((i = Math.min(i + k, n)), false);
          i += 6;
        } else if ('"\\/bfnrt'.includes(text[i + 1] ?? "x")) i += 2;
        else return ((i = Math.min(i + 1, n)), false);
      }
      return false;
    }
    if (c === 0x2d || isDigit(c)) {
      if (c === 0x2d) i++;
      if (code(i) === 0x30) i++;
      else if (!digits()) return false;
      if (code(i) === 0x2e && (i++, !digits())) return false;
      if (code(i) === 0x65 || code(i) === 0x45) {
        i++;
        if (code(i) === 0x2b || code(i) === 0x2d) i++;
        if (!digits()) return false;
      }
      return true;
    }
    for (const word of ["true", "false", "null"]) {
      if (text[i] !== word[0]) continue;
      for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) return ((i += k), false);
      return ((i += word.length), true);
    }
    return false;
  };
  let expect: "value" | "first-value" | "key" | "first-key" | "after" = "value";
  for (;;) {
    skipSpace();
    if (i >= n) return expect === "after" && closers.length === 0 ? undefined : n;
    const c = code(i);
    if (expect === "after") {
      if (closers.length === 0) return i;
      const closer = closers[closers.length - 1]!;
      if (c === 0x2c) {
        i++;
        expect = closer === 0x7d ? "key" : "value";
      } else if (c === closer) {
        i++;
        closers.pop();
      } else return i;
    } else if (expect === "key" || expect === "first-key") {
      if (expect === "first-key" && c === 0x7d) {
        i++;
        closers.pop();
        expect = "after";
        continue;
      }
      if (c !== 0x22 || !scalar()) return i;
      skipSpace();
      if (code(i) !== 0x3a) return i;
      i++;
      expect = "value";
    } else if (expect === "first-value" && c === 0x5d) {
      i++;
      closers.pop();
      expect = "after";
    } else if (c === 0x7b || c === 0x5b) {
      i++;
      closers.push(c === 0x7b ? 0x7d : 0x5d);
      expect = c === 0x7b ? "first-key" : "first-value";
    } else if (scalar()) expect = "after";
    else return i;
  }
}

function parseYaml(text: string, file: string): Result<unknown> {
  if (text.length > MAX_YAML_LENGTH) {
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    return fail([
      {
        code: "unsupported",
        path: [],
        message: `this YAML document is ${mib(text.length)}; Veil reads YAML up to ${mib(MAX_YAML_LENGTH)} (YAML parsing needs some 65 times the text in memory): save it as JSON (a .json file), which has no such limit`,
        file,
      },
    ]);
  }
  let doc: Document.Parsed | undefined;
  let second: Document.Parsed | undefined;
  let tab: number | undefined;
  try {
    // One pass: each document's token tree is checked for tabs on its way to the composer.
    const tokens = new Parser().parse(text);
    const checked = (function* () {
      for (const token of tokens) {
        if (tab === undefined && token.type === "document") tab = tabBeforePlainScalar(token);
        yield token;
      }
    })();
    for (const d of new Composer({ uniqueKeys: true }).compose(checked, true, text.length)) {
      if (!doc) doc = d;
      else {
        second = d;
        break;
      }
    }
  } catch (e) {
    if (isStackOverflow(e)) return depthError(file);
    throw e;
  }
  const err = doc!.errors[0];
  if (err) return syntaxError(text, file, "YAML", err.pos[0], err.message.split("\n")[0]!.replace(/ at line \d+, column \d+.*$/, ""));
  if (second) return syntaxError(text, file, "YAML", second.range[0], "a second document (`---`); a file holds one bundle, policy or list of policies");
  if (tab !== undefined) return syntaxError(text, file, "YAML", tab, "tab character before a plain scalar (YAML 1.1 loaders reject it; use spaces)");
  let value: unknown;
  try {
    value = doc!.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (isStackOverflow(e)) return depthError(file);
    if (!(e instanceof ReferenceError)) throw e;
    // Aliases: one used before its anchor, or so many that they would expand exponentially.
    if (/^Unresolved alias/.test(e.message)) return syntaxError(text, file, "YAML", unresolvedAliasOffset(doc!), lowerFirst(e.message));
    return syntaxError(text, file, "YAML", undefined, "aliases (`*name`) nest so that they would expand exponentially; write the repeated parts out");
  }
  // Aliases share values, so a small text can stand for a huge bundle; nested ones also count towards the depth.
  const limit = 2 * text.length + 100_000;
  const tooBig = checkDepth(value, { values: limit, message: `aliases expand this document to more than ${limit} values; write the repeated parts out` });
  if (tooBig) return fail([{ ...tooBig, file } satisfies VeilIssue]);
  return ok(value);
}

/** Where the first alias used before its anchor sits (document order, as the YAML parser resolves them). */
function unresolvedAliasOffset(doc: Document.Parsed): number | undefined {
  const anchors = new Set<string>();
  let offset: number | undefined;
  try {
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) {
          if (anchors.has(node.source)) return undefined;
          offset = node.range?.[0];
          return visit.BREAK;
        }
        if (node.anchor) anchors.add(node.anchor);
        return undefined;
      },
    });
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
  }
  return offset;
}
