/**
 * Reading rows for `veil enforce`: NDJSON (one JSON object per line) or CSV (a header
 * row, then one row per line; csv-parse reads it), from a file or stdin, as an async
 * stream so a large file never sits in memory whole.
 *
 * Format: `.csv` is CSV; `.ndjson`, `.jsonl` and `.json` are NDJSON; stdin (`-`) or any
 * other name is NDJSON when its first non-blank character is `{`, else CSV. In CSV every
 * cell is text except an empty unquoted one, which is NULL (`""` is the empty string);
 * enforcement reads numbers and booleans by the column's type.
 *
 * A reading problem (no such file, a line that is not a JSON object, malformed CSV) ends
 * the stream; `problem()` then says what went wrong.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { VeilIssue } from "../errors.js";
import { cannotRead } from "./load.js";

export type RowFormat = "ndjson" | "csv";

export interface RowSource {
  readonly rows: AsyncIterable<Record<string, unknown>>;
  /** What stopped the stream early, if anything (read it after the stream ends). */
  problem(): VeilIssue | null;
}

function formatOfName(name: string): RowFormat | null {
  if (/\.csv$/i.test(name)) return "csv";
  if (/\.(ndjson|jsonl|json)$/i.test(name)) return "ndjson";
  return null;
}

/** Text chunks of a stream; the first chunks are held back until the format is known. */
async function* chunks(stream: Readable): AsyncGenerator<string> {
  stream.setEncoding("utf8");
  for await (const c of stream) yield c as string;
}

async function* ndjson(text: AsyncIterable<string>, file: string, report: (i: VeilIssue) => void): AsyncGenerator<Record<string, unknown>> {
  let pending = "";
  let line = 0;
  const one = (s: string): Record<string, unknown> | null | "skip" => {
    line++;
    if (s.trim() === "") return "skip";
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch (e) {
      report({ code: "invalid_syntax", path: [], file, message: `line ${line}: not JSON: ${(e as Error).message}` });
      return null;
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      report({ code: "invalid_input", path: [], file, message: `line ${line}: expected a JSON object (one row per line)` });
      return null;
    }
    return v as Record<string, unknown>;
  };
  for await (const c of text) {
    pending += c;
    let nl = pending.indexOf("\n");
    while (nl !== -1) {
      const r = one(pending.slice(0, nl).replace(/\r$/, ""));
      if (r === null) return;
      if (r !== "skip") yield r;
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
  }
  const r = one(pending);
  if (r !== null && r !== "skip") yield r;
}

async function* csv(text: AsyncIterable<string>, file: string, report: (i: VeilIssue) => void): AsyncGenerator<Record<string, unknown>> {
  const parser = parse({
    columns: true,
    bom: true,
    skip_empty_lines: true,
    cast: (value, context) => (!context.quoting && value === "" ? null : value),
  });
  const feed = (async () => {
    try {
      for await (const c of text) if (!parser.write(c)) await new Promise((r) => parser.once("drain", r));
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  try {
    for await (const rec of parser) yield rec as Record<string, unknown>;
  } catch (e) {
    report({ code: "invalid_syntax", path: [], file, message: `not valid CSV: ${(e as Error).message}` });
  }
  await feed.catch(() => undefined);
}

/** Rows from `path`, or stdin for `-`. */
export function readRows(path: string, stdin: Readable = process.stdin): RowSource {
  let problem: VeilIssue | null = null;
  const report = (i: VeilIssue) => {
    problem ??= i;
  };
  const file = path === "-" ? "<stdin>" : path;
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    let stream: Readable;
    try {
      stream = path === "-" ? stdin : createReadStream(path);
    } catch (e) {
      report(cannotRead(file, e));
      return;
    }
    const source = chunks(stream)[Symbol.asyncIterator]();
    // Hold chunks until the first non-blank character decides the format (a `for await` that breaks would close the stream).
    const held: string[] = [];
    let format = path === "-" ? null : formatOfName(path);
    try {
      while (format === null) {
        const next = await source.next();
        if (next.done) break;
        held.push(next.value);
        const first = held.join("").trimStart();
        if (first !== "") format = first.startsWith("{") ? "ndjson" : "csv";
      }
      async function* text(): AsyncGenerator<string> {
        yield* held;
        for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
      }
      yield* (format === "csv" ? csv : ndjson)(text(), file, report);
    } catch (e) {
      report(cannotRead(file, e));
    }
  }
  return { rows: rows(), problem: () => problem };
}
