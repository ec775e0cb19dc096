/**
 * `veil-policy/testing`: assertions for users' own policy tests, and the policy test
 * runner behind `veil test`. Pure like the core; no test framework is imported: a failed
 * assertion throws `PolicyAssertionError`, which vitest and jest report with its message
 * (what did not hold, and explain's account of the decision) and a diff.
 */
export { expectDecision, expectDiff, PolicyAssertionError } from "./testing/matchers.js";
export type { BundleLike, DecisionAssertions, DiffAssertions } from "./testing/matchers.js";
export { CHANGE_KINDS } from "./testing/change.js";
export type { ChangeKind, ExpectedChange } from "./testing/change.js";
export { checkExpectation } from "./testing/check.js";
export type { CheckFailure } from "./testing/check.js";
export { ExpectationSchema, PolicyTestCaseSchema, PolicyTestFileSchema } from "./testing/schema.js";
export type { Expectation, PolicyTestCase, PolicyTestFile } from "./testing/schema.js";
export { parsePolicyTestText } from "./testing/parse.js";
export { caseRequest, runPolicyTests } from "./testing/run.js";
export type { PolicyCaseResult, PolicyTestReport, PolicyTestSuite } from "./testing/run.js";
export { formatTestReport } from "./testing/report.js";
export type { ReportStyle } from "./testing/report.js";
