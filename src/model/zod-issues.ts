import type { z } from "zod";
import type { VeilIssue } from "../errors.js";

/** Zod issues → Veil issues, paths prefixed with where the value sits in the bundle. */
export function fromZod(error: z.ZodError, base: readonly (string | number)[]): VeilIssue[] {
  const out: VeilIssue[] = [];
  for (const i of error.issues) {
    const path = [...base, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    if (i.code === "unrecognized_keys") {
      for (const key of i.keys) out.push({ code: "invalid_input", path: [...path, key], message: `unknown key \`${key}\`` });
    } else if (i.code === "invalid_union" && i.errors.length > 0 && i.message === "Invalid input") {
      // Report the branch that got furthest rather than zod's generic message.
      const best = i.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      const nested = best.length > 0 ? fromZod({ issues: best } as unknown as z.ZodError, path) : [];
      // A loop, not push(...nested): spreading 100,000 issues overflows the stack.
      for (const n of nested.length > 0 ? nested : [{ code: "invalid_input" as const, path, message: i.message.toLowerCase() }]) out.push(n);
    } else {
      const veilCode = i.code === "custom" ? (i.params as { veilCode?: VeilIssue["code"] } | undefined)?.veilCode : undefined;
      out.push({ code: veilCode ?? "invalid_input", path, message: lowerFirst(i.message) });
    }
  }
  return out;
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  let deepest = -1;
  for (const i of issues) deepest = Math.max(deepest, i.path.length + (i.code === "invalid_type" ? 0 : 0.5));
  return deepest;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
