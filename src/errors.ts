/**
 * Errors as data. Every stage that can reject input returns a `Result`; only the
 * throwing boundary (`VeilError`) and the CLI turn issues into exceptions or text.
 */

/** Stable machine-readable codes; wording lives in the message only. */
export type IssueCode =
  | "invalid_input"
  | "invalid_syntax"
  | "duplicate_id"
  | "unknown_reference"
  | "unsupported"
  | "invalid_condition"
  | "invalid_regex"
  | "io_error"
  /** A defect in Veil, not in the input: reported, never mistaken for a finding. */
  | "internal_error";

/** One problem with the input, located by its JSON path. */
export interface VeilIssue {
  readonly code: IssueCode;
  /** JSON path of the offending value, e.g. `["globalPolicies", 0, "actions", 0]`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** The file the value came from, when loaded from disk. */
  readonly file?: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly VeilIssue[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(issues: readonly VeilIssue[]): Result<T> => ({ ok: false, issues });
export const issue = (code: IssueCode, path: readonly (string | number)[], message: string): VeilIssue => ({ code, path, message });

/** Renders a path the way users write it: `globalPolicies[0].actions[1].rules[0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === "" ? "(root)" : out;
}

/** One line per issue: `error: <file>: <path>: <message>`; file and path only when known. */
export function formatIssue(i: VeilIssue): string {
  const where = [i.file, i.path.length > 0 ? formatPath(i.path) : undefined].filter((x) => x !== undefined);
  return `error: ${[...where, i.message.replace(/\s*\n\s*/g, " ")].join(": ")}`;
}

/** The throwing form, for callers who prefer exceptions; carries the same issues. */
export class VeilError extends Error {
  readonly issues: readonly VeilIssue[];
  constructor(issues: readonly VeilIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "VeilError";
    this.issues = issues;
  }
}

/** Unwraps a result or throws `VeilError`. */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new VeilError(r.issues);
  return r.value;
}
