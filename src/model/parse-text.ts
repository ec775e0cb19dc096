import { CST, Parser, parseDocument } from "yaml";
import { fail, ok, type Result } from "../errors.js";

/** Line and column (1-based) of an offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, col: offset - before.lastIndexOf("\n") };
}

/**
 * A tab between `key:` / `-` and a plain scalar: YAML 1.2 allows it, but YAML 1.1
 * loaders (PyYAML, which real V2 exports are round-tripped through) reject it, so a
 * policy file with one is not portable. We reject it with its line and column [ours].
 */
function tabBeforePlainScalar(text: string): number | undefined {
  let found: number | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type !== "document") continue;
    CST.visit(token, (item) => {
      if (found !== undefined) return CST.visit.BREAK;
      if (item.value?.type !== "scalar") return;
      for (const s of [...(item.start ?? []), ...(item.sep ?? [])]) {
        if (s.type === "space" && s.source.includes("\t")) found = s.offset + s.source.indexOf("\t");
      }
      return;
    });
  }
  return found;
}

/** Parses JSON or YAML text (chosen by file extension; YAML otherwise) into plain data. */
export function parseDocumentText(text: string, file: string): Result<unknown> {
  const io = (message: string) => fail([{ code: "invalid_syntax" as const, path: [], message, file }]);
  if (/\.json$/i.test(file)) {
    try {
      return ok(JSON.parse(text) as unknown);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const where = m ? lineCol(text, Number(m[1])) : undefined;
      const msg = (e as Error).message.replace(/ in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "");
      return io(where ? `invalid JSON at line ${where.line}, column ${where.col}: ${msg}` : `invalid JSON: ${msg}`);
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lineCol(text, err.pos[0]);
    return io(`invalid YAML at line ${line}, column ${col}: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+.*$/, "")}`);
  }
  const tab = tabBeforePlainScalar(text);
  if (tab !== undefined) {
    const { line, col } = lineCol(text, tab);
    return io(`invalid YAML at line ${line}, column ${col}: tab character before a plain scalar (YAML 1.1 loaders reject it; use spaces)`);
  }
  return ok(doc.toJS({ maxAliasCount: 100 }) as unknown);
}
