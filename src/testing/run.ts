import type { EvaluationRequest } from "../engine/engine.js";
import { createEngine } from "../engine/engine.js";
import type { Bundle } from "../model/bundle.js";
import type { UserProfile } from "../model/request.js";
import { checkExpectation, type CheckFailure } from "./check.js";
import { explainRequest } from "./explanation.js";
import type { PolicyTestCase, PolicyTestFile } from "./schema.js";

/** A test file ready to run: where it came from, its cases, and its bundle, already loaded. */
export interface PolicyTestSuite {
  readonly file: string;
  readonly tests: PolicyTestFile;
  readonly bundle: Bundle;
}

export interface PolicyCaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly failures: readonly CheckFailure[];
  /** For a failed case: explain's account of the decision, to see why. */
  readonly explanation?: string;
}

export interface PolicyTestReport {
  readonly files: readonly { readonly file: string; readonly cases: readonly PolicyCaseResult[] }[];
  readonly passed: number;
  readonly failed: number;
}

/** The engine request a case makes: the file's `now` unless the case gives its own. */
export function caseRequest(c: PolicyTestCase, fileNow: string | undefined): EvaluationRequest {
  const now = c.now ?? fileNow;
  return {
    dataSource: c.dataSource,
    // A profile object is validated by the engine, which reports what is wrong with it.
    user: typeof c.user === "object" ? (c.user as UserProfile) : c.user,
    ...(c.projectId !== undefined ? { projectId: c.projectId } : {}),
    ...(now !== undefined ? { now } : {}),
  };
}

/** Runs every case of every suite. Pure: the suites come loaded. */
export function runPolicyTests(suites: readonly PolicyTestSuite[]): PolicyTestReport {
  let passed = 0;
  let failed = 0;
  const files = suites.map((s) => {
    const engine = createEngine(s.bundle);
    const cases = s.tests.cases.map((c): PolicyCaseResult => {
      const request = caseRequest(c, s.tests.now);
      const failures = checkExpectation(engine, request, c.expect);
      if (failures.length === 0) {
        passed++;
        return { name: c.name, passed: true, failures };
      }
      failed++;
      const explanation = explainRequest(engine, request);
      return { name: c.name, passed: false, failures, ...(explanation !== undefined ? { explanation } : {}) };
    });
    return { file: s.file, cases };
  });
  return { files, passed, failed };
}
