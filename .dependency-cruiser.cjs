/**
 * Import boundaries: the layer table of Veil's layout (docs/architecture.md).
 * Each layer may import only the layers listed for it; the core never reaches
 * `node:*`, io/, cli/ or the worker threads. `npm test` runs this check.
 */
const core = "^src/(errors\\.ts|index\\.ts|lang|sql|model|compile|evaluate|report|enforce|explain|lint|engine|testing|bulk/(?!threads/))";
const layers = {
  errors: { from: "^src/errors\\.ts$", may: [] },
  // sql is the lowest layer after errors; lang's predicate templates quote through it.
  sql: { from: "^src/sql/", may: ["errors"] },
  lang: { from: "^src/lang/", may: ["errors", "sql"] },
  // model reads the data source's engine (blobHandlerType) and lexes author SQL per dialect.
  model: { from: "^src/model/", may: ["errors", "lang", "sql"] },
  compile: { from: "^src/compile/", may: ["errors", "lang", "sql", "model"] },
  evaluate: { from: "^src/evaluate/", may: ["errors", "lang", "sql", "model", "compile"] },
  report: { from: "^src/report/", may: ["errors", "lang", "sql", "model", "compile", "evaluate"] },
  // enforce serves (bundle, request) entry points through the engine; the engine never imports enforce.
  enforce: { from: "^src/enforce/", may: ["errors", "lang", "sql", "model", "compile", "evaluate", "report", "engine"] },
  // The engine is the session over one bundle: lookups, caches, and the reports it serves.
  engine: { from: "^src/engine/", may: ["errors", "lang", "sql", "model", "compile", "evaluate", "report"] },
  // Tools on top read decisions through the engine.
  explain: { from: "^src/explain/", may: ["errors", "lang", "sql", "model", "compile", "evaluate", "report", "engine"] },
  lint: { from: "^src/lint/", may: ["errors", "lang", "sql", "model", "compile", "evaluate", "report", "engine", "explain"] },
  bulk: { from: "^src/bulk/(?!threads/)", may: ["errors", "lang", "sql", "model", "compile", "evaluate", "report", "engine"] },
  // The policy test runner and matchers (veil-policy/testing) read decisions, explanations and diffs; nothing in the core imports them.
  testing: { from: "^src/testing/", may: ["errors", "lang", "sql", "model", "compile", "evaluate", "report", "engine", "explain", "bulk"] },
};
const path = {
  errors: "^src/errors\\.ts$",
  sql: "^src/sql/",
  lang: "^src/lang/",
  model: "^src/model/",
  compile: "^src/compile/",
  evaluate: "^src/evaluate/",
  report: "^src/report/",
  enforce: "^src/enforce/",
  engine: "^src/engine/",
  explain: "^src/explain/",
  lint: "^src/lint/",
  bulk: "^src/bulk/(?!threads/)",
  testing: "^src/testing/",
};

const layerRules = Object.entries(layers).map(([name, { from, may }]) => ({
  name: `layer-${name}`,
  comment: `${name} may import only: ${may.join(", ") || "nothing"} (and itself)`,
  severity: "error",
  from: { path: from },
  to: { path: "^src/", pathNot: [path[name], ...may.map((m) => path[m])] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "core-no-node",
      // With core-no-edges this covers everything reachable from src/index.ts.
      comment: "the core runs anywhere: no node:* builtins (they belong in io/, cli/, bulk/threads/ or src/node.ts)",
      severity: "error",
      from: { path: core },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "core-no-edges",
      comment: "the core never imports io/, cli/, the worker threads or the Node entry",
      severity: "error",
      from: { path: core },
      to: { path: "^src/(io|cli|bulk/threads)/|^src/node\\.ts$" },
    },
    {
      name: "cli-through-entries",
      comment: "the CLI uses the public entries (index, node, testing) and io/ only",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/", pathNot: ["^src/cli/", "^src/io/", "^src/(index|node|testing)\\.ts$"] },
    },
    {
      name: "core-no-testing",
      comment: "the test runner and matchers sit on top of the core: the core never imports them",
      severity: "error",
      from: { path: core, pathNot: "^src/testing" },
      to: { path: "^src/testing" },
    },
    {
      name: "no-orphans",
      comment: "a module nothing imports is dead code (entry points excepted)",
      severity: "error",
      from: { orphan: true, path: "^src/", pathNot: ["^src/(index|node|testing)\\.ts$", "^src/cli/main\\.ts$", "^src/bulk/threads/worker\\.ts$"] },
      to: {},
    },
    {
      name: "no-circular",
      comment: "no import cycles at run time (type-only imports may refer back: plans name their policy set)",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-dev-deps-in-src",
      comment: "runtime code may not import a devDependency (type-only imports excepted)",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"], preCompilationOnly: false },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
