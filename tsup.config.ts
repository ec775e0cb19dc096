import { writeFileSync } from "node:fs";
import { defineConfig } from "tsup";

// Only the builds that are used ship: the library entries (`veil-policy`, `veil-policy/node`)
// as ESM and CJS with their declarations, the CLI and the bulk worker as ESM. Each format
// splits shared code into chunks, so the entries, the CLI and the worker share one copy of
// the core. No source maps: they would embed the sources.
const common = { target: "node20", sourcemap: false, splitting: true, treeshake: true, clean: false, removeNodeProtocol: false } as const;
const library = { index: "src/index.ts", node: "src/node.ts" };

export default defineConfig([
  {
    ...common,
    // The worker threads load bulk/worker.js by file, next to the node entry.
    entry: { ...library, "cli/main": "src/cli/main.ts", "bulk/worker": "src/bulk/threads/worker.ts" },
    format: ["esm"],
    dts: { entry: library },
    async onSuccess() {
      const { bundleJsonSchema, BUNDLE_SCHEMA_FILE } = await import("./src/model/bundle-json-schema.js");
      writeFileSync(`dist/${BUNDLE_SCHEMA_FILE}`, `${JSON.stringify(bundleJsonSchema(), null, 2)}\n`);
    },
  },
  {
    ...common,
    entry: library,
    format: ["cjs"],
    dts: { entry: library },
    // import.meta.url in the CommonJS build (the worker is found relative to it).
    shims: true,
  },
]);
