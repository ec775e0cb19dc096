import { instantOr } from "../lang/instant.js";
import { matchesName } from "../lang/regex.js";
import type { DataSource } from "../model/data-source.js";
import type { Circumstance, JoinedCircumstance } from "../model/policy.js";
import { tagAndAncestors } from "./bind-index.js";

/** Per-source facts computed once: every tag reached by some tag of the source or of its columns. */
export interface SourceFacts {
  readonly sourceTags: ReadonlySet<string>;
  readonly columnTags: ReadonlySet<string>;
  /** For every tag a column tag reaches, the first column (dictionary order) it reaches. */
  readonly firstColumn: ReadonlyMap<string, string>;
}

/** The tags a source's own tags and its column tags reach (each tag with all its ancestors). */
export function sourceFacts(ds: DataSource, ancestors: (tag: string) => readonly string[] = tagAndAncestors): SourceFacts {
  const closure = (tags: readonly string[]) => new Set(tags.flatMap(ancestors));
  const firstColumn = new Map<string, string>();
  for (const c of ds.columns) for (const t of c.tags ?? []) for (const a of ancestors(t)) if (!firstColumn.has(a)) firstColumn.set(a, c.name);
  return { sourceTags: closure(ds.tags ?? []), columnTags: new Set(firstColumn.keys()), firstColumn };
}

/** Whether one circumstance holds for a data source (semantics §2). */
export function circumstanceHolds(c: Circumstance, ds: DataSource, facts: SourceFacts = sourceFacts(ds)): boolean {
  switch (c.kind) {
    case "tags":
      // A policy tag reaches a source tag that is it or a descendant: the tag is in the ancestor closure.
      return facts.sourceTags.has(c.tag);
    case "columnTags":
      return facts.columnTags.has(c.tag);
    case "columnRegex":
      return ds.columns.some((col) => matchesName(c, col.name));
    // [ours] anyTag: the source or one of its columns carries a tag; noTags: neither does.
    case "anyTag":
      return facts.sourceTags.size > 0 || facts.columnTags.size > 0;
    case "noTags":
      return facts.sourceTags.size === 0 && facts.columnTags.size === 0;
    case "server":
      return ds.server === c.server;
    case "time": {
      // [ours] a source without `createdAt` never satisfies a time circumstance.
      if (ds.createdAt === undefined) return false;
      // Every date was read by parseInstant at load; one that does not read (a model built by hand) compares false.
      const at = instantOr(ds.createdAt, Number.NaN);
      return (c.startDate === null || at >= instantOr(c.startDate, Number.NaN)) && (c.endDate === null || at <= instantOr(c.endDate, Number.NaN));
    }
    case "domains":
      return c.domains.some((d) => (d.id !== undefined && d.id === ds.domainId) || (d.name !== undefined && d.name === ds.domainName));
  }
}

/**
 * Whether a policy's circumstances hold: a left fold where each circumstance's
 * operator joins it to the result so far [ours for v1's per-circumstance operator].
 * No circumstances: the policy applies to every data source [ours].
 */
export function circumstancesHold(cs: readonly JoinedCircumstance[], ds: DataSource, facts: SourceFacts = sourceFacts(ds)): boolean {
  if (cs.length === 0) return true;
  let result = circumstanceHolds(cs[0]!.circumstance, ds, facts);
  for (let i = 1; i < cs.length; i++) {
    const { join, circumstance } = cs[i]!;
    result = join === "and" ? result && circumstanceHolds(circumstance, ds, facts) : result || circumstanceHolds(circumstance, ds, facts);
  }
  return result;
}
