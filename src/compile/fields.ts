import { matchesName } from "../lang/regex.js";
import type { Column } from "../model/data-source.js";
import type { FieldSelector, MaskingRule } from "../model/policy.js";
import { tagDepth, tagReaches } from "./tags.js";

/** How a masking rule reached a column: through which tag, and how specific that is. */
export interface FieldMatch {
  readonly tag: string | null;
  /** Conflict rank: the policy tag's depth; 0 for untagged selectors. */
  readonly depth: number;
}

/** [ours] A local policy names its column outright, so it outranks any tag. */
export const LOCAL_DEPTH = Number.MAX_SAFE_INTEGER;

function selectorMatch(f: FieldSelector, column: Column): FieldMatch | undefined {
  const tags = column.tags ?? [];
  switch (f.kind) {
    case "columnTags":
      return tags.some((t) => tagReaches(f.tag, t)) ? { tag: f.tag, depth: tagDepth(f.tag) } : undefined;
    case "columnName":
      return f.column === column.name ? { tag: null, depth: LOCAL_DEPTH } : undefined;
    case "anyTag":
      return tags.length > 0 ? { tag: null, depth: 0 } : undefined;
    case "noTags":
      return tags.length === 0 ? { tag: null, depth: 0 } : undefined;
    case "allColumns":
      return { tag: null, depth: 0 };
    case "columnRegex":
      return matchesName(f, column.name) ? { tag: null, depth: 0 } : undefined;
  }
}

/**
 * Whether a masking rule reaches a column. With several selectors the deepest
 * match names the tag [ours]; `all` requires every selector to match.
 */
export function ruleReachesColumn(rule: MaskingRule, column: Column): FieldMatch | undefined {
  let best: FieldMatch | undefined;
  for (const f of rule.fields) {
    const m = selectorMatch(f, column);
    if (!m) {
      if (rule.fieldOperator === "all") return undefined;
      continue;
    }
    if (!best || m.depth > best.depth) best = m;
  }
  return best;
}
