/** Engine name → Runner factory. Imports are dynamic so a worker loads only its own engines (Cedar's wasm above all). */
import type { PeerWorkload } from "../peer-workload.js";
import type { EngineName, Runner } from "./types.js";

export async function makeRunner(engine: EngineName, w: PeerWorkload): Promise<Runner> {
  switch (engine) {
    case "closure":
      return (await import("./closure.js")).closureRunner(w);
    case "closure+json":
      return (await import("./closure.js")).closureJsonRunner(w);
    case "veil":
      return (await import("./veil.js")).veilRunner(w);
    case "veil-profile":
      return (await import("./veil.js")).veilProfileRunner(w);
    case "veil-unreachable":
      return (await import("./veil.js")).veilUnreachableRunner(w);
    case "veil-cached-user":
      return (await import("./veil.js")).veilCachedUserRunner(w);
    case "veil+json":
      return (await import("./veil.js")).veilJsonRunner(w);
    case "jsonlogic-indexed":
      return (await import("./jsonlogic.js")).jsonLogicIndexedRunner(w);
    case "jsonlogic-percolumn":
      return (await import("./jsonlogic.js")).jsonLogicPerColumnRunner(w);
    case "cedar":
      return (await import("./cedar.js")).cedarRunner(w);
  }
}
