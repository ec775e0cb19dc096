import { rowAccess } from "../bulk/cell.js";
import type { Engine, EvaluationRequest } from "../engine/engine.js";
import { formatIssue } from "../errors.js";
import type { PolicyInfo } from "../report/policy-info.js";
import type { Expectation } from "./schema.js";

/** One expectation that does not hold: which check, what was expected and what came out. */
export interface CheckFailure {
  /** The expectation key, with the column for masks: `masked.SSN`, `rows`, `error`. */
  readonly check: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly message: string;
}

/** What a user gets, in the terms expectations use. */
export interface Outcome {
  readonly policyInfo: PolicyInfo;
  readonly rows: "all" | "filtered" | "none";
  readonly denied: string | null;
}

/** The outcome of a request, or the text of why it failed. */
export function outcomeOf(engine: Engine, request: EvaluationRequest): { ok: true; outcome: Outcome } | { ok: false; error: string } {
  const info = engine.policyInfo(request);
  if (!info.ok) return { ok: false, error: info.issues.map(formatIssue).join("\n") };
  const d = engine.decide(request);
  // policyInfo succeeded on the same request, so decide does too; checked anyway.
  if (!d.ok) return { ok: false, error: d.issues.map(formatIssue).join("\n") };
  return { ok: true, outcome: { policyInfo: info.value, rows: rowAccess(d.value.rows), denied: d.value.rows.denied } };
}

/** `any` in `masked`: the column must be masked, whatever the mask. */
export const ANY_MASK = "any";

const maskOf = (o: Outcome, column: string) => o.policyInfo.masked.find((m) => m.name === column)?.actionType ?? null;

/** Sorted-key JSON, so visibilities compare by value whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** Every expectation that does not hold for this request, in the order of the keys; empty when the case passes. */
export function checkExpectation(engine: Engine, request: EvaluationRequest, e: Expectation): CheckFailure[] {
  const r = outcomeOf(engine, request);
  if (!r.ok) {
    if (e.error === undefined) return [{ check: "request", expected: "a decision", actual: r.error, message: `the request failed:\n${r.error}` }];
    return r.error.includes(e.error)
      ? []
      : [{ check: "error", expected: e.error, actual: r.error, message: `expected an error containing ${JSON.stringify(e.error)}, got:\n${r.error}` }];
  }
  if (e.error !== undefined)
    return [
      {
        check: "error",
        expected: e.error,
        actual: r.outcome.policyInfo,
        message: `expected an error containing ${JSON.stringify(e.error)}, but the request succeeded`,
      },
    ];
  return checkOutcome(r.outcome, e);
}

/** The expectations that do not hold for an outcome. */
export function checkOutcome(o: Outcome, e: Expectation): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const [column, want] of Object.entries(e.masked ?? {})) {
    const got = maskOf(o, column);
    if (got === null || (want !== ANY_MASK && got !== want))
      out.push({
        check: `masked.${column}`,
        expected: want,
        actual: got ?? "clear",
        message: `${column}: expected ${want === ANY_MASK ? "a mask" : `a ${want} mask`}, got ${got ?? "no mask (in clear)"}`,
      });
  }
  for (const column of e.unmasked ?? []) {
    const got = maskOf(o, column);
    if (got !== null) out.push({ check: `unmasked.${column}`, expected: "clear", actual: got, message: `${column}: expected in clear, got a ${got} mask` });
  }
  if (e.visibilities !== undefined) {
    const want = e.visibilities.map(canonical).sort();
    const got = o.policyInfo.visibilities.map(canonical).sort();
    if (want.join("\n") !== got.join("\n"))
      out.push({
        check: "visibilities",
        expected: e.visibilities,
        actual: o.policyInfo.visibilities,
        message: `visibilities: expected ${JSON.stringify(e.visibilities)}, got ${JSON.stringify(o.policyInfo.visibilities)}`,
      });
  }
  if (e.rows !== undefined && e.rows !== o.rows)
    out.push({ check: "rows", expected: e.rows, actual: o.rows, message: `rows: expected ${e.rows}, got ${o.rows}` });
  if (e.denied !== undefined && e.denied !== (o.denied !== null))
    out.push({
      check: "denied",
      expected: e.denied,
      actual: o.denied !== null,
      message: e.denied ? "expected the user to be denied, but no purpose restriction denies them" : `expected no denial, got: ${o.denied}`,
    });
  if (e.policyInfo !== undefined && canonical(e.policyInfo) !== canonical(o.policyInfo))
    out.push({
      check: "policyInfo",
      expected: e.policyInfo,
      actual: o.policyInfo,
      message: `policyInfo: expected\n${JSON.stringify(e.policyInfo, null, 2)}\ngot\n${JSON.stringify(o.policyInfo, null, 2)}`,
    });
  return out;
}
