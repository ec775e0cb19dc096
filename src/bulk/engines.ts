import { createEngine, type Engine } from "../engine/engine.js";
import type { Bundle } from "../model/bundle.js";

// One engine (and so one compiled policy set and plan cache) per bundle, however many
// times matrix, diff and their shares ask for it. Keyed weakly: a bundle no one holds
// frees its engine. A bundle is immutable, so the engine never goes stale. At most
// `BULK_PLANS` plans are kept (a few tens of kB each, with what reports cache on them): a catalog that fits is compiled
// once across calls; a larger one keeps memory bounded by the cache, not the catalog.
const BULK_PLANS = 256;
const engines = new WeakMap<Bundle, Engine>();

/** The engine of a bundle, created once. */
export function engineOf(bundle: Bundle): Engine {
  let e = engines.get(bundle);
  if (!e) engines.set(bundle, (e = createEngine(bundle, { maxPlans: BULK_PLANS })));
  return e;
}
