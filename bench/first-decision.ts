/**
 * One cold run for the `first-decision` figure (bench/scale-worker.ts): reads a bundle
 * document, parses it (untimed), then times createEngine and the first decision on the
 * built library. Prints one JSON line. Usage: node --import tsx bench/first-decision.ts <bundle.json>
 */
import { readFileSync } from "node:fs";

type Veil = typeof import("../src/index.js");
const veil = (await import(new URL("../dist/index.js", import.meta.url).href)) as Veil;
const b = veil.parseBundle(JSON.parse(readFileSync(process.argv[2]!, "utf8")));
if (!b.ok) throw new Error(b.issues.map((i) => i.message).join("; "));
const ds = b.value.dataSources[0]!.id;
const user = b.value.users[0]!.profileId;
const t0 = performance.now();
const engine = veil.createEngine(b.value);
const t1 = performance.now();
const d = engine.decide({ dataSource: ds, user });
const t2 = performance.now();
if (!d.ok) throw new Error(d.issues[0]!.message);
console.log(JSON.stringify({ engineMs: t1 - t0, firstMs: t2 - t1 }));
