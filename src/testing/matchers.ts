import { diff } from "../bulk/diff.js";
import type { BulkOptions } from "../bulk/run.js";
import { createEngine, type Engine, type EvaluationRequest } from "../engine/engine.js";
import { formatIssue, type Result } from "../errors.js";
import type { Bundle } from "../model/bundle.js";
import { ANY_MASK, checkExpectation, type CheckFailure } from "./check.js";
import { describeChange, describeExpected, includesChange, resolveCell, type ExpectedChange } from "./change.js";
import { explainRequest } from "./explanation.js";
import type { Expectation } from "./schema.js";

/**
 * A failed policy assertion. Test runners print the message; `actual` and `expected` let
 * vitest and jest show a diff too. Thrown, so the matchers need no test framework.
 */
export class PolicyAssertionError extends Error {
  readonly actual: unknown;
  readonly expected: unknown;
  constructor(message: string, actual?: unknown, expected?: unknown) {
    super(message);
    this.name = "AssertionError";
    this.actual = actual;
    this.expected = expected;
  }
}

/** A bundle as the matchers take it: parsed, a loader's Result, or an engine already made. */
export type BundleLike = Bundle | Result<Bundle> | Engine;

const isEngine = (b: BundleLike): b is Engine => typeof (b as Engine).decide === "function";
const isResult = (b: BundleLike): b is Result<Bundle> => typeof (b as { ok?: unknown }).ok === "boolean";

function engineOf(b: BundleLike): Engine {
  if (isEngine(b)) return b;
  if (isResult(b)) {
    if (!b.ok) throw new PolicyAssertionError(`the bundle is invalid:\n${b.issues.map(formatIssue).join("\n")}`);
    return createEngine(b.value);
  }
  return createEngine(b);
}

function bundleOf(b: BundleLike, name: string): Bundle {
  if (isEngine(b)) throw new PolicyAssertionError(`${name}: expectDiff takes bundles, not engines`);
  if (isResult(b)) {
    if (!b.ok) throw new PolicyAssertionError(`${name}: the bundle is invalid:\n${b.issues.map(formatIssue).join("\n")}`);
    return b.value;
  }
  return b;
}

const who = (r: EvaluationRequest) => `user ${typeof r.user === "object" ? JSON.stringify(r.user) : r.user} on ${r.dataSource}`;
const withExplanation = (message: string, explanation: string | undefined) =>
  explanation === undefined ? message : `${message}\n\nexplain:\n${explanation.replace(/^(?=.)/gm, "  ")}`;

/** Assertions on what one user gets on one data source. Each throws PolicyAssertionError when it does not hold. */
export interface DecisionAssertions {
  /** The column is masked; with `actionType` (`Hashing`, `Nullify`, `Constant`, …), masked that way. */
  toMask(column: string, actionType?: string): void;
  /** The column is in clear. */
  toShowColumn(column: string): void;
  /** Exactly these visibilities are visible (policyInfo's `visibilities`, any order). */
  toSeeVisibilities(visibilities: readonly Readonly<Record<string, string | null>>[]): void;
  /** Row access: `all` (no restriction), `filtered` or `none`. */
  toSeeRows(access: "all" | "filtered" | "none"): void;
  /** A purpose restriction denies the user. */
  toBeDenied(): void;
  /** Any expectation of a policy test file (docs/policy-tests.md), at once. */
  toMatch(expectation: Expectation): void;
}

/**
 * What `user` gets on `dataSource`, to assert on:
 * `expectDecision(bundle, { user: 2, dataSource: "Web Sales" }).toMask("SSN", "Hashing")`.
 * A failure names what did not hold and shows explain's account of the decision;
 * `.not` inverts each assertion (a request that fails still fails).
 */
export function expectDecision(bundle: BundleLike, request: EvaluationRequest): DecisionAssertions & { readonly not: DecisionAssertions } {
  const engine = engineOf(bundle);
  const explanation = () => explainRequest(engine, request);
  const check = (e: Expectation, negated: boolean, says: string) => {
    const failures: CheckFailure[] = checkExpectation(engine, request, e);
    const failedRequest = failures.find((f) => f.check === "request");
    if (failedRequest) throw new PolicyAssertionError(`${who(request)}: ${failedRequest.message}`);
    if (!negated && failures.length > 0) {
      const first = failures[0]!;
      throw new PolicyAssertionError(
        withExplanation(`${who(request)}: ${failures.map((f) => f.message).join("\n")}`, explanation()),
        first.actual,
        first.expected,
      );
    }
    if (negated && failures.length === 0) throw new PolicyAssertionError(withExplanation(`${who(request)}: expected not ${says}, but it is`, explanation()));
  };
  const assertions = (negated: boolean): DecisionAssertions => ({
    toMask: (column, actionType) =>
      check({ masked: { [column]: actionType ?? ANY_MASK } }, negated, `to mask ${column}${actionType !== undefined ? ` with ${actionType}` : ""}`),
    toShowColumn: (column) => check({ unmasked: [column] }, negated, `to show ${column} in clear`),
    toSeeVisibilities: (visibilities) =>
      check({ visibilities: visibilities.map((v) => ({ ...v })) }, negated, `to see the visibilities ${JSON.stringify(visibilities)}`),
    toSeeRows: (rows) => check({ rows }, negated, `to see ${rows} rows`),
    toBeDenied: () => check({ denied: true }, negated, "to be denied"),
    toMatch: (expectation) => check(expectation, negated, `to match ${JSON.stringify(expectation)}`),
  });
  return { ...assertions(false), not: assertions(true) };
}

/** Assertions on the diff between two bundles (asynchronous: `await` them). */
export interface DiffAssertions {
  /** The diff includes this change. */
  toChange(change: ExpectedChange): Promise<void>;
  /** Nobody's access changes. */
  toChangeNothing(): Promise<void>;
}

/**
 * The diff between two bundles, to assert on:
 * `await expectDiff(before, after).toChange({ user: 2, dataSource: "Web Sales", column: "SSN", change: "unmasked" })`.
 * A failure lists what did change for that user and source, and explains the decision after the change.
 */
export function expectDiff(
  before: BundleLike,
  after: BundleLike,
  options: BulkOptions = {},
): DiffAssertions & { readonly not: Pick<DiffAssertions, "toChange"> } {
  const b = bundleOf(before, "before");
  const a = bundleOf(after, "after");
  let result: ReturnType<typeof diff> | undefined;
  const changes = async () => {
    const r = await (result ??= diff(b, a, options));
    if (!r.ok) throw new PolicyAssertionError(`the diff failed:\n${r.issues.map(formatIssue).join("\n")}`);
    return r.value;
  };
  const toChange = (negated: boolean) => async (e: ExpectedChange) => {
    const cell = resolveCell(b, a, e);
    if (!cell.ok) throw new PolicyAssertionError(`${describeExpected(e)}: ${cell.issues.map(formatIssue).join("; ")}`);
    const d = await changes();
    const here = d.changes.filter((c) => c.user === cell.value.user && c.dataSource === cell.value.dataSource);
    const found = here.some((c) => includesChange(c, e));
    if (found === !negated) return;
    const what = here.flatMap(describeChange);
    const seen = what.length > 0 ? `what changed there:\n${what.map((l) => `  ${l}`).join("\n")}` : "nothing changed there";
    const request = { user: cell.value.user, dataSource: cell.value.dataSource, ...(options.now !== undefined ? { now: options.now } : {}) };
    const message = `${negated ? "expected the diff not to include" : "expected the diff to include"} ${describeExpected(e)}; ${seen}`;
    throw new PolicyAssertionError(withExplanation(message, explainRequest(createEngine(a), request)), what, describeExpected(e));
  };
  return {
    toChange: toChange(false),
    toChangeNothing: async () => {
      const d = await changes();
      if (d.changedCells === 0) return;
      const lines = d.changes.flatMap((c) => describeChange(c).map((l) => `  user ${c.user} on ${c.dataSource}: ${l}`));
      throw new PolicyAssertionError(`expected no change, got ${d.changedCells} changed (user, source) cells:\n${lines.join("\n")}`);
    },
    not: { toChange: toChange(true) },
  };
}
