import { fail, ok, type Result } from "../errors.js";
import { parseDocumentText } from "../model/parse-text.js";
import { fromZod } from "../model/zod-issues.js";
import { PolicyTestFileSchema, type PolicyTestFile } from "./schema.js";

/** A policy test file from its text (JSON or YAML, by the file name), every problem with its path and the file. */
export function parsePolicyTestText(text: string, file: string): Result<PolicyTestFile> {
  const doc = parseDocumentText(text, file);
  if (!doc.ok) return doc;
  const parsed = PolicyTestFileSchema.safeParse(doc.value);
  if (!parsed.success) return fail(fromZod(parsed.error, []).map((i) => ({ ...i, file })));
  return ok(parsed.data);
}
