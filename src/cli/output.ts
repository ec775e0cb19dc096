import type { VeilIssue } from "../index.js";

/**
 * What a command run produces: text for stdout (or, for bulk commands, chunks the process
 * writes one by one so memory stays bounded), text for stderr, and an exit code.
 */
export interface CliOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
  /** The issues `stderr` was written from (`emit` keeps them): main.ts re-renders them for `--error-format json`, then drops them. */
  readonly issues?: readonly VeilIssue[];
  /** Output too large to hold as one string: written chunk by chunk after `stdout` (bulk commands compute it as it is written). */
  readonly chunks?: Iterable<string> | AsyncIterable<string>;
  /** Read once `chunks` are written: a failure found part-way (its stderr lines and exit code), which replaces `code`. */
  readonly after?: () => { readonly stderr: string; readonly code: number; readonly issues?: readonly VeilIssue[] } | undefined;
}
