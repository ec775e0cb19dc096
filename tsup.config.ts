import { defineConfig } from "tsup";

export default defineConfig({
  // The bulk worker is its own entry: worker threads load it by file next to the library.
  entry: { index: "src/index.ts", "cli/main": "src/cli/main.ts", "bulk/worker": "src/bulk/worker.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  // import.meta.url in the CommonJS build (the worker is found relative to it).
  shims: true,
  clean: true,
  sourcemap: true,
  target: "node20",
});
