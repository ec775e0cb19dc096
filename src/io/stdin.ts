import { readFileSync } from "node:fs";
import { fail, type Result } from "../errors.js";
import type { Bundle } from "../model/bundle.js";
import { loadBundleTexts } from "../model/documents.js";
import { loadBundleFile } from "./load.js";

/** The name issues carry for a bundle read from stdin (YAML parsing reads JSON too). */
export const STDIN_FILE = "<stdin>";

let stdinText: string | undefined;

/**
 * All of stdin as text, read once per process: a second bundle argument `-`, or a later
 * lookup of an issue's line, sees the same text.
 */
export function readStdin(): string {
  stdinText ??= readFileSync(0, "utf8");
  return stdinText;
}

/** A bundle argument: `-` reads stdin, anything else is a file or a folder (loadBundleFile). */
export function loadBundleArgument(path: string, stdin: () => string = readStdin): Result<Bundle> {
  if (path !== "-") return loadBundleFile(path);
  let text: string;
  try {
    text = stdin();
  } catch (e) {
    return fail([{ code: "io_error", path: [], file: STDIN_FILE, message: `cannot read stdin: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  return loadBundleTexts([{ file: STDIN_FILE, text }]);
}
