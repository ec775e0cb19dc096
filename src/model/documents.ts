import { fail, type Result, type VeilIssue } from "../errors.js";
import { parseBundle, type Bundle } from "./bundle.js";
import { parseDocumentText } from "./parse-text.js";

/**
 * Bundles from documents in memory: JSON or YAML texts, each a bundle, a policy or a
 * list of policies, merged key by key. Pure: file reading is `io/load.ts`'s job.
 */

const BUNDLE_KEYS = ["dataSources", "globalPolicies", "projects", "purposes", "users", "access"] as const;

/**
 * A document is a bundle, a single global policy (it has `actions`) or a list of
 * policies, as users keep V2 policy-as-code files.
 */
export function asBundleObject(doc: unknown): unknown {
  if (Array.isArray(doc)) return { globalPolicies: doc };
  if (doc && typeof doc === "object" && "actions" in doc) return { globalPolicies: [doc] };
  return doc;
}

interface Origin {
  readonly file: string;
  readonly index: number;
}

/** Merges documents key by key, remembering which file each array item came from. */
function merge(docs: { file: string; value: unknown }[]): { merged: Record<string, unknown[]>; origins: Map<string, Origin[]>; issues: VeilIssue[] } {
  const merged: Record<string, unknown[]> = {};
  const origins = new Map<string, Origin[]>();
  const issues: VeilIssue[] = [];
  for (const { file, value } of docs) {
    const obj = asBundleObject(value);
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) {
      issues.push({ code: "invalid_input", path: [], message: "expected a bundle object, a policy or a list of policies", file });
      continue;
    }
    for (const [key, items] of Object.entries(obj)) {
      if (!(BUNDLE_KEYS as readonly string[]).includes(key)) {
        issues.push({ code: "invalid_input", path: [key], message: `unknown key \`${key}\`; accepted: ${BUNDLE_KEYS.join(", ")}`, file });
        continue;
      }
      if (!Array.isArray(items)) {
        issues.push({ code: "invalid_input", path: [key], message: "expected an array", file });
        continue;
      }
      const list = (merged[key] ??= []);
      const from = origins.get(key) ?? [];
      items.forEach((item, index) => {
        list.push(item);
        from.push({ file, index });
      });
      origins.set(key, from);
    }
  }
  return { merged, origins, issues };
}

/** Maps an issue on the merged bundle back to its file and in-file index. */
function locate(i: VeilIssue, origins: Map<string, Origin[]>): VeilIssue {
  const [key, index, ...rest] = i.path;
  const origin = typeof key === "string" && typeof index === "number" ? origins.get(key)?.[index] : undefined;
  return origin ? { ...i, file: origin.file, path: [key as string, origin.index, ...rest] } : i;
}

/** Loads a bundle from in-memory documents (file name decides JSON vs YAML). */
export function loadBundleTexts(files: readonly { file: string; text: string }[]): Result<Bundle> {
  const docs: { file: string; value: unknown }[] = [];
  const issues: VeilIssue[] = [];
  for (const f of files) {
    const r = parseDocumentText(f.text, f.file);
    if (r.ok) docs.push({ file: f.file, value: r.value });
    else issues.push(...r.issues);
  }
  if (issues.length > 0) return fail(issues);
  const { merged, origins, issues: mergeIssues } = merge(docs);
  if (mergeIssues.length > 0) return fail(mergeIssues);
  const parsed = parseBundle(merged);
  if (parsed.ok) return parsed;
  // An issue about the whole bundle (the last one, when parseBundle stops listing) goes with the issue before it, or the only file.
  const located: VeilIssue[] = [];
  for (const i of parsed.issues) {
    const l = locate(i, origins);
    const file = l.file ?? (files.length === 1 ? files[0]!.file : located[located.length - 1]?.file);
    located.push(file === undefined || l.file !== undefined ? l : { ...l, file });
  }
  return fail(located);
}
