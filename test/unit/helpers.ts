import { createEngine, type Engine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";

/** Parses a bundle object or throws with its issues: unit tests build valid bundles. */
export function engineFor(obj: unknown): Engine {
  const b = parseBundle(obj);
  if (!b.ok) throw new Error(b.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  return createEngine(b.value);
}

/** `masked` of policyInfo as `column: actionType` strings, or the first error message. */
export function maskedSummary(engine: Engine, user: number | string, dataSource: number | string = 1, projectId?: number): string[] | string {
  const r = engine.policyInfo({ dataSource, user, projectId: projectId ?? null });
  if (!r.ok) return r.issues[0]!.message;
  return r.value.masked.map((m) => `${m.name}: ${m.actionType}`);
}
