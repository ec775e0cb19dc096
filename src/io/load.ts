import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fail, type Result, type VeilIssue } from "../errors.js";
import type { Bundle } from "../model/bundle.js";
import { loadBundleTexts } from "../model/documents.js";

/**
 * Loads a bundle from a JSON/YAML file or a folder of them (`*.json|*.yaml|*.yml`, sorted by name).
 * Only a failure to read says "cannot read"; syntax and schema problems are reported as
 * `loadBundleTexts` finds them (line and column, JSON path), each with its file.
 */
export function loadBundleFile(path: string): Result<Bundle> {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => /\.(json|ya?ml)$/i.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (e) {
    return fail([cannotRead(path, e)]);
  }
  if (files.length === 0) return fail([{ code: "io_error", path: [], file: path, message: "no .json, .yaml or .yml files in this folder" }]);
  const texts: { file: string; text: string }[] = [];
  const issues: VeilIssue[] = [];
  for (const file of files) {
    try {
      texts.push({ file, text: readFileSync(file, "utf8") });
    } catch (e) {
      issues.push(cannotRead(file, e));
    }
  }
  if (issues.length > 0) return fail(issues);
  return loadBundleTexts(texts);
}

/** A file or folder that could not be read, in words a user understands. */
export function cannotRead(file: string, e: unknown): VeilIssue {
  return { code: "io_error", path: [], file, message: `cannot read: ${ioReason(e)}` };
}

/** A file-system error in words a user understands. */
const IO_WORDS = new Map([
  ["ENOENT", "no such file or folder"],
  ["EACCES", "permission denied"],
  ["EISDIR", "is a folder"],
  ["ENOTDIR", "not a folder"],
  ["ERR_STRING_TOO_LONG", "the file is too large to hold in memory as text"],
]);

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const words = code === undefined ? undefined : IO_WORDS.get(code);
  return words ? `${words} (${code})` : e instanceof Error ? e.message : String(e);
}
