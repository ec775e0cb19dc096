import { afterEach, describe, expect, it, vi } from "vitest";
import type { TestModule } from "vitest/node";
import SummaryReporter from "../../summary-reporter.js";

/** A stand-in for vitest's TestModule: only what the reporter reads. */
function fakeModule(state: string, tests: string[]): TestModule {
  return {
    state: () => state,
    children: { allTests: () => tests.map((s) => ({ result: () => ({ state: s }) })) },
  } as unknown as TestModule;
}

describe("the closing summary line", () => {
  afterEach(() => vi.restoreAllMocks());

  function line(modules: TestModule[], unhandled: unknown[] = []): string {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    new SummaryReporter().onTestRunEnd(modules, unhandled as never);
    return String(write.mock.calls[0]?.[0]).trim();
  }

  it("counts passed, failed and skipped tests", () => {
    expect(line([fakeModule("failed", ["passed", "failed", "skipped"])])).toBe("1 passed, 1 failed, 1 skipped");
  });

  it("counts a test file that failed to load as failed", () => {
    expect(line([fakeModule("passed", ["passed"]), fakeModule("failed", [])])).toBe("1 passed, 1 failed");
  });

  it("counts unhandled errors as failed", () => {
    expect(line([fakeModule("passed", ["passed"])], [{ message: "boom" }])).toBe("1 passed, 1 failed");
  });
});
