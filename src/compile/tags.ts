/**
 * Tag hierarchy: tags are dotted paths and a tag reaches itself and every
 * descendant (`PII` reaches `PII.SSN`) [doc]. Matching is case-sensitive [ours].
 */

/** True when `tag` is `policyTag` or one of its descendants. */
export function tagReaches(policyTag: string, tag: string): boolean {
  return tag === policyTag || (tag.length > policyTag.length && tag.startsWith(policyTag) && tag.charCodeAt(policyTag.length) === 46) /* . */;
}

/** True when any of `tags` is reached by `policyTag`. */
export function anyTagReached(policyTag: string, tags: readonly string[]): boolean {
  for (const t of tags) if (tagReaches(policyTag, t)) return true;
  return false;
}

/** Depth of a tag: `PII` is 1, `PII.SSN` is 2. Deeper tags win masking conflicts. */
export function tagDepth(tag: string): number {
  let depth = 1;
  for (let i = 0; i < tag.length; i++) if (tag.charCodeAt(i) === 46) depth++;
  return depth;
}
