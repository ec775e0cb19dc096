import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Property and engine suites run thousands of cases; on a loaded 2-core CI machine 5 s is too tight.
    testTimeout: 60_000,
    reporters: ["default", "./test/summary-reporter.ts"],
    benchmark: { include: ["bench/**/*.bench.ts"] },
  },
});
