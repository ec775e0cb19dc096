import type { Reporter, SerializedError, TestModule } from "vitest/node";

/**
 * Prints the plain closing line `N passed, N failed` that CI reads, after vitest's own summary.
 * A test file that fails to load (or fails outside any test) counts as one failed test, and so
 * does each unhandled error: a file that never ran must not leave the line looking green.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[], unhandledErrors: readonly SerializedError[] = []): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const m of modules) {
      let moduleFailedTests = 0;
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === "passed") passed++;
        else if (s === "failed") {
          failed++;
          moduleFailedTests++;
        } else skipped++;
      }
      if (m.state() === "failed" && moduleFailedTests === 0) failed++;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
