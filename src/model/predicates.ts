import type { VeilIssue } from "../errors.js";
import { parsePredicate, type PredicateTemplate } from "../lang/predicate.js";
import type { DialectId } from "../sql/dialect.js";
import { DIALECTS } from "../sql/dialects/index.js";
import type { Result } from "../errors.js";
import type { Policy, PredicateSource } from "./policy.js";

/** Every custom-WHERE and conditional-mask predicate of a policy. */
export function predicateSources(policy: Policy): PredicateSource[] {
  const out: PredicateSource[] = [];
  for (const a of policy.actions)
    for (const r of a.rules) {
      if (r.kind === "row" && r.rowKind === "customWhere") out.push(r.predicate);
      else if (r.kind === "masking" && r.conditionalTemplate) out.push(r.conditionalTemplate);
    }
  return out;
}

/** The template of `src` for one dialect, parsed once and kept with the predicate. */
export function templateFor(src: PredicateSource, dialect: DialectId): Result<PredicateTemplate> {
  let t = src.templates.get(dialect);
  if (!t) src.templates.set(dialect, (t = parsePredicate(src.source, DIALECTS[dialect].lex, src.path)));
  return t;
}

/**
 * Parses every predicate of `policies` for each dialect they may run on: author SQL is
 * lexed per engine, so a global policy binding to sources on two engines is read twice.
 * A predicate that one of them cannot read is a validation issue, naming the engine when
 * the reading depends on it.
 */
export function parsePredicates(policies: readonly Policy[], dialects: readonly DialectId[], issues: VeilIssue[]): void {
  for (const p of policies)
    for (const src of predicateSources(p)) {
      const seen = new Set<string>();
      for (const d of dialects) {
        const r = templateFor(src, d);
        if (r.ok) continue;
        for (const i of r.issues) {
          if (seen.has(i.message)) continue;
          seen.add(i.message);
          issues.push(dialects.length > 1 ? { ...i, message: `${i.message} (read as ${DIALECTS[d].name} SQL)` } : i);
        }
      }
    }
}
