import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { fail, ok, type Result, type VeilIssue } from "../errors.js";
import { parseBundle, type Bundle } from "../model/bundle.js";
import { parsePolicyTestText } from "../testing/parse.js";
import type { PolicyTestSuite } from "../testing/run.js";
import { cannotRead, loadBundleFile } from "./load.js";

/** A policy test file's name: `*.test.yaml`, `*.test.yml` or `*.test.json`. */
export const POLICY_TEST_FILE = /\.test\.(ya?ml|json)$/i;

/** The test files `veil test` runs for a path: the file itself, or every test file under a folder (sorted, dot-folders and node_modules skipped). */
export function findPolicyTestFiles(path: string): Result<string[]> {
  try {
    if (!statSync(path).isDirectory()) return ok([path]);
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (e.isDirectory()) {
          if (!e.name.startsWith(".") && e.name !== "node_modules") walk(join(dir, e.name));
        } else if (POLICY_TEST_FILE.test(e.name)) out.push(join(dir, e.name));
      }
    };
    walk(path);
    if (out.length === 0)
      return fail([{ code: "io_error", path: [], file: path, message: "no *.test.yaml, *.test.yml or *.test.json files under this folder" }]);
    return ok(out);
  } catch (e) {
    return fail([cannotRead(path, e)]);
  }
}

/** A test file's bundle: a path relative to the test file, or the bundle written inline (issues then under `bundle`). */
function suiteBundle(file: string, bundle: string | Record<string, unknown>): Result<Bundle> {
  if (typeof bundle === "string") return loadBundleFile(isAbsolute(bundle) ? bundle : join(dirname(file), bundle));
  const parsed = parseBundle(bundle);
  return parsed.ok ? parsed : fail(parsed.issues.map((i) => ({ ...i, path: ["bundle", ...i.path], file })));
}

/**
 * Every test file for a path, parsed, with its bundle loaded: ready for runPolicyTests.
 * All problems of all files are reported together; none is run when one is invalid.
 */
export function loadPolicyTests(path: string): Result<PolicyTestSuite[]> {
  const files = findPolicyTestFiles(path);
  if (!files.ok) return files;
  const suites: PolicyTestSuite[] = [];
  const issues: VeilIssue[] = [];
  for (const file of files.value) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      issues.push(cannotRead(file, e));
      continue;
    }
    const tests = parsePolicyTestText(text, file);
    if (!tests.ok) {
      issues.push(...tests.issues);
      continue;
    }
    const bundle = suiteBundle(file, tests.value.bundle);
    if (!bundle.ok) issues.push(...bundle.issues);
    else suites.push({ file, tests: tests.value, bundle: bundle.value });
  }
  return issues.length > 0 ? fail(issues) : ok(suites);
}
