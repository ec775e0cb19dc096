import type { VeilIssue } from "../errors.js";

/**
 * How deeply arrays and objects may nest in a bundle. The deepest bundle in fixtures/
 * nests 12 levels; 64 leaves room for any real one, and keeps every recursive step
 * after validation (zod, hashing, rendering) far from the stack limit.
 */
export const MAX_DEPTH = 64;

/** The message of a depth issue (also used when a parser runs out of stack on a document). */
export const DEPTH_MESSAGE = `arrays and objects nest more than ${MAX_DEPTH} levels deep (or contain themselves); no bundle needs that many`;

/**
 * Checks, without recursion, that no array or object in `input` sits more than
 * `MAX_DEPTH` levels deep (the root is level 1), and names the path of the first one
 * that does. A depth-first walk that keeps only the current path, so a cycle is
 * reported as soon as it passes the limit.
 *
 * `budget` bounds the values visited, counting a shared value once per place it
 * appears (YAML aliases let a small text stand for a huge value); past it, the issue
 * is at the root with the budget's message.
 */
export function checkDepth(input: unknown, budget?: { readonly values: number; readonly message: string }): VeilIssue | undefined {
  if (input === null || typeof input !== "object") return undefined;
  // The current path: each level's container, its keys (null for arrays) and the next position.
  const containers: object[] = [input];
  const keys: (string[] | null)[] = [Array.isArray(input) ? null : Object.keys(input)];
  const next: number[] = [0];
  const maxValues = budget?.values ?? Infinity;
  let values = 1;
  while (containers.length > 0) {
    const top = containers.length - 1;
    const container = containers[top]!;
    const names = keys[top]!;
    const at = next[top]!;
    const size = names === null ? (container as unknown[]).length : names.length;
    if (at >= size) {
      containers.pop();
      keys.pop();
      next.pop();
      continue;
    }
    next[top] = at + 1;
    if (++values > maxValues) return { code: "invalid_input", path: [], message: budget!.message };
    const child = names === null ? (container as unknown[])[at] : (container as Record<string, unknown>)[names[at]!];
    if (child === null || typeof child !== "object") continue;
    if (containers.length === MAX_DEPTH) {
      const path = next.map((n, level) => (keys[level] === null ? n - 1 : keys[level]![n - 1]!));
      return { code: "invalid_input", path, message: DEPTH_MESSAGE };
    }
    containers.push(child);
    keys.push(Array.isArray(child) ? null : Object.keys(child));
    next.push(0);
  }
  return undefined;
}
