import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fail, type Result } from "../errors.js";
import type { Bundle } from "../model/bundle.js";
import { loadBundleTexts } from "../model/documents.js";

/** Loads a bundle from a JSON/YAML file or a folder of them (`*.json|*.yaml|*.yml`, sorted by name). */
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
    return fail([{ code: "io_error", path: [], file: path, message: `cannot read: ${ioReason(e)}` }]);
  }
  if (files.length === 0) return fail([{ code: "io_error", path: [], file: path, message: "no .json, .yaml or .yml files in this folder" }]);
  try {
    return loadBundleTexts(files.map((file) => ({ file, text: readFileSync(file, "utf8") })));
  } catch (e) {
    return fail([{ code: "io_error", path: [], file: path, message: `cannot read: ${ioReason(e)}` }]);
  }
}

/** A file-system error in words a user understands. */
function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: "no such file or folder", EACCES: "permission denied", EISDIR: "is a folder", ENOTDIR: "not a folder" };
  return code && words[code] ? `${words[code]} (${code})` : (e as Error).message;
}
