import type { Engine, EvaluationRequest } from "../engine/engine.js";
import { explainDecisions } from "../explain/explain.js";
import { formatExplanation } from "../explain/format.js";

/** Explain's account of a decision, as `veil explain` prints it (no colour); undefined when the request fails. */
export function explainRequest(engine: Engine, request: EvaluationRequest): string | undefined {
  const d = engine.decide(request);
  return d.ok ? formatExplanation(explainDecisions(d.value)).replace(/\n+$/, "") : undefined;
}
