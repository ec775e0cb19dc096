const veil = (await import(new URL("../dist/node.js", import.meta.url).href)) as typeof import("../src/node.js");
const t0 = performance.now();
const a = veil.loadBundleFile("/tmp/scale/b1k.json") as any, b = veil.loadBundleFile("/tmp/scale/a1k.json") as any;
const t1 = performance.now();
for (const workers of [1, 2]) for (const detail of ["summary", "cells"] as const) {
  const t = performance.now();
  const d = (await veil.diff(a.value, b.value, { workers, detail })) as any;
  console.log({ workers, detail, s: ((performance.now() - t) / 1000).toFixed(2), changed: d.value.changedCells, changes: d.value.changes.length });
}
console.log("load", ((t1 - t0) / 1000).toFixed(2));
