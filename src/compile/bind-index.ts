import type { Policy } from "../model/policy.js";

/** A masking rule's place: policy, action, rule. */
export interface RuleRef {
  readonly policy: Policy;
  readonly actionIndex: number;
  readonly ruleIndex: number;
}

/**
 * Built once per policy set: masking rules by the tags their column-tag selectors
 * name, so binding a source looks up only the rules its column tags (and their
 * ancestors) can reach, whatever the size of the policy set (Ranger's tag trie idea,
 * flattened into a map of tag paths).
 */
export interface BindIndex {
  readonly byTag: ReadonlyMap<string, readonly RuleRef[]>;
  /** Rules with a selector a tag cannot narrow (anyTag, noTags, allColumns, columnRegex): checked on every column. */
  readonly unindexed: readonly RuleRef[];
  /** Global actions holding row rules. */
  readonly rowActions: readonly { readonly policy: Policy; readonly actionIndex: number }[];
}

/** Builds the index over live global policies (staged and deleted ones never bind). */
export function buildBindIndex(policies: readonly Policy[]): BindIndex {
  const byTag = new Map<string, RuleRef[]>();
  const unindexed: RuleRef[] = [];
  const rowActions: { policy: Policy; actionIndex: number }[] = [];
  for (const policy of policies) {
    if (policy.staged || policy.deleted) continue;
    policy.actions.forEach((action, actionIndex) => {
      if (action.rules.some((r) => r.kind === "row")) rowActions.push({ policy, actionIndex });
      action.rules.forEach((rule, ruleIndex) => {
        if (rule.kind !== "masking") return;
        const ref = { policy, actionIndex, ruleIndex };
        if (rule.fields.some((f) => f.kind !== "columnTags")) return void unindexed.push(ref);
        for (const tag of new Set(rule.fields.map((f) => (f.kind === "columnTags" ? f.tag : "")))) {
          let list = byTag.get(tag);
          if (!list) byTag.set(tag, (list = []));
          list.push(ref);
        }
      });
    });
  }
  return { byTag, unindexed, rowActions };
}

/** A tag and its ancestors: `a.b.c` → `a.b.c`, `a.b`, `a`. */
export function tagAndAncestors(tag: string): string[] {
  const out = [tag];
  for (let i = tag.lastIndexOf("."); i > 0; i = tag.lastIndexOf(".", i - 1)) out.push(tag.slice(0, i));
  return out;
}
