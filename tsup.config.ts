import { writeFileSync } from "node:fs";
import { defineConfig } from "tsup";

// Only the builds that are used ship: the library entries (`veil-policy`, `veil-policy/node`)
// as ESM and CJS with their declarations, the bulk worker as ESM, and the CLI. Each library
// format splits shared code into chunks, so the entries and the worker share one copy of
// the core. No source maps: they would embed the sources.
const common = { target: "node20", sourcemap: false, splitting: true, treeshake: true, clean: false, removeNodeProtocol: false } as const;
// veil-policy/testing (src/testing.ts) is a library entry like the others: assertions and the policy test runner.
const library = { index: "src/index.ts", node: "src/node.ts", testing: "src/testing.ts" };

/**
 * The `veil` bin (dist/cli/main.js) starts in a fraction of the library's load time. Two
 * minified CommonJS files hold the CLI with every dependency, beside the node entry (so
 * worker threads find bulk/worker.js as the node entry's do): dist/veil-quick.cjs answers
 * a plain `policy-info` or `visibility-report` command line without commander or the bulk
 * commands (src/cli/quick.ts); dist/veil-cli.cjs is the whole CLI, loaded when the quick
 * one declines. Each is compiled through V8's code cache: Node ≥ 22.1 keeps that cache
 * itself (module.enableCompileCache); on older Node the launcher keeps it, in a directory
 * of the user's own under the temp directory, keyed by Node version and the file's size
 * and time. A cache V8 rejects is replaced; one that cannot be read or written is skipped;
 * the CLI runs the same either way.
 */
const LAUNCHER = `#!/usr/bin/env node
"use strict";
const { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } = require("node:fs");
const Module = require("node:module");
const { createRequire } = Module;
const { tmpdir } = require("node:os");
const { basename, dirname, join } = require("node:path");
const vm = require("node:vm");

const dist = join(__dirname, "..");
const compileCache = typeof Module.enableCompileCache === "function";
if (compileCache) Module.enableCompileCache();

const quick = load(join(dist, "veil-quick.cjs"));
const out = quick.exports.quickCli(process.argv.slice(2));
if (out) {
  quick.keepCache();
  // As src/cli/main.ts writes a result.
  process.stdout.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = out.code;
  process.stderr.write(out.stderr);
  process.stdout.write(out.stdout);
} else load(join(dist, "veil-cli.cjs")).keepCache(); // runs the command line itself

/**
 * Loads one CommonJS file through the code cache. \`keepCache()\` writes the cache at exit
 * when there was none (or V8 rejected it), so it holds every function the run compiled.
 */
function load(file) {
  const require = createRequire(file);
  if (compileCache) return { exports: require(file), keepCache: () => {} };
  // The loader strips a hashbang before it compiles; so does this.
  const source = readFileSync(file, "utf8").replace(/^#!.*/, "");
  const cache = cacheFile(file);
  let cachedData;
  try {
    if (cache) cachedData = readFileSync(cache);
  } catch {}
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = { exports: {}, filename: file, id: file, loaded: false, children: [], paths: [] };
  const stale = cache !== undefined && (cachedData === undefined || script.cachedDataRejected);
  const keepCache = () => stale && process.once("exit", () => save(cache, script.createCachedData()));
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, dirname(file));
  mod.loaded = true;
  return { exports: mod.exports, keepCache };
}

/** The cache file for this file and Node, in a directory only this user can write; undefined when there is none. */
function cacheFile(file) {
  try {
    const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
    const dir = join(tmpdir(), uid === undefined ? "veil-code-cache" : \`veil-code-cache-\${uid}\`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const d = lstatSync(dir);
    if (!d.isDirectory() || (uid !== undefined && (d.uid !== uid || (d.mode & 0o022) !== 0))) return undefined;
    const s = statSync(file);
    const name = basename(file).replace(/\\W/g, "_");
    return join(dir, \`\${name}-\${process.version}-\${process.arch}-\${s.size}-\${Math.trunc(s.mtimeMs)}.bin\`);
  } catch {
    return undefined;
  }
}

/** Writes the cache beside its final name, then renames it (a reader never sees half a file); drops this file's older caches. */
function save(file, data) {
  const part = \`\${file}.\${process.pid}\`;
  try {
    const fd = openSync(part, "wx", 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(part, file);
    const dir = dirname(file);
    const prefix = basename(file).slice(0, basename(file).indexOf("-") + 1);
    for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f !== basename(file) && f.endsWith(".bin")) unlinkSync(join(dir, f));
  } catch {}
}
`;

export default defineConfig([
  {
    ...common,
    // The worker threads load bulk/worker.js by file, next to the node entry.
    entry: { ...library, "bulk/worker": "src/bulk/threads/worker.ts" },
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
  {
    // The CLI as two self-contained files, dependencies included (see LAUNCHER).
    entry: { "veil-quick": "src/cli/quick.ts", "veil-cli": "src/cli/main.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    target: "node20",
    platform: "node",
    sourcemap: false,
    splitting: false,
    treeshake: false,
    minify: true,
    clean: false,
    removeNodeProtocol: false,
    noExternal: [/.*/],
    shims: true,
    async onSuccess() {
      const { mkdirSync, chmodSync } = await import("node:fs");
      mkdirSync("dist/cli", { recursive: true });
      writeFileSync("dist/cli/main.js", LAUNCHER);
      // CommonJS, as the package is ESM: Node starts a CommonJS entry without its ESM loader.
      writeFileSync("dist/cli/package.json", `${JSON.stringify({ type: "commonjs" })}\n`);
      chmodSync("dist/cli/main.js", 0o755);
    },
  },
]);
