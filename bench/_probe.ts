import { peerWorkload, type PeerUser } from "./peer-workload.js";
import { peerBundle } from "./peer-veil.js";
const veil = (await import(new URL("../dist/node.js", import.meta.url).href)) as typeof import("../src/node.js");
const w0 = peerWorkload(1000, Number(process.env.C ?? 20), 50);
const users: PeerUser[] = [];
for (let k = 0; users.length < 1000; k++) for (const u of w0.users) if (users.length < 1000) users.push({ ...u, id: u.id + 64 * k, groups: u.groups.slice(k) });
const b = veil.parseBundle(peerBundle({ ...w0, users })) as any;
for (const workers of [1, 2, 1, 2]) {
  const ts: number[] = [];
  for (let i = 0; i < 15; i++) { const t = performance.now(); await veil.matrix(b.value, { workers }); ts.push(performance.now() - t); }
  console.log(workers, ts.map((x) => x.toFixed(1)).join(" "));
}
const t = performance.now(); for (let i = 0; i < 10; i++) await veil.matrixStream(b.value, { workers: 1 }); console.log("setup only", ((performance.now() - t) / 10).toFixed(2));
