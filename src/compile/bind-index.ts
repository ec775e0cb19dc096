import type { Policy } from "../model/policy.js";
import { compareAuthored } from "./conflicts.js";

/** One action of one policy: shared by all its rule refs, so binding can group by identity. */
export interface ActionRef {
  readonly policy: Policy;
  readonly actionIndex: number;
}

/** A masking rule's place: policy, action, rule. */
export interface RuleRef {
  readonly policy: Policy;
  readonly actionIndex: number;
  readonly ruleIndex: number;
  readonly action: ActionRef;
}

/** Every masking rule of `policies` as refs (one ActionRef per action). */
export function maskingRefs(policies: readonly Policy[]): RuleRef[] {
  const out: RuleRef[] = [];
  for (const policy of policies)
    policy.actions.forEach((a, actionIndex) => {
      const action = { policy, actionIndex };
      a.rules.forEach((rule, ruleIndex) => {
        if (rule.kind === "masking") out.push({ policy, actionIndex, ruleIndex, action });
      });
    });
  return out;
}

/**
 * Built once per policy set: masking rules by the tags their column-tag selectors
 * name, so binding a source looks up only the rules its column tags (and their
 * ancestors) can reach, whatever the size of the policy set (Ranger's tag trie idea,
 * flattened into a map of tag paths).
 */
export interface BindIndex {
  readonly byTag: ReadonlyMap<string, readonly RuleRef[]>;
  /** Rules a tag cannot narrow (anyTag, noTags, allColumns, columnRegex selectors, `all` operator): checked on every column. */
  readonly unindexed: readonly RuleRef[];
  /** Global actions holding row rules. */
  readonly rowActions: readonly { readonly policy: Policy; readonly actionIndex: number }[];
  /** `tagAndAncestors`, memoised: catalogs reuse a small tag vocabulary. */
  ancestors(tag: string): readonly string[];
}

/**
 * Builds the index over live global policies (staged and deleted ones never bind).
 * Each tag's refs are sorted by conflict priority (authored first, then action), so
 * binding takes the first ref whose policy binds and stops.
 */
export function buildBindIndex(policies: readonly Policy[]): BindIndex {
  const byTag = new Map<string, RuleRef[]>();
  const unindexed: RuleRef[] = [];
  const rowActions: { policy: Policy; actionIndex: number }[] = [];
  const live = policies.filter((p) => !p.staged && !p.deleted);
  for (const policy of live)
    policy.actions.forEach((action, actionIndex) => action.rules.some((r) => r.kind === "row") && rowActions.push({ policy, actionIndex }));
  for (const ref of maskingRefs(live)) {
    const rule = ref.policy.actions[ref.actionIndex]!.rules[ref.ruleIndex]!;
    if (rule.kind !== "masking") continue;
    // `all` needs every selector: such rules are checked exactly, like untagged selectors.
    if (rule.fieldOperator === "all" || rule.fields.some((f) => f.kind !== "columnTags")) {
      unindexed.push(ref);
      continue;
    }
    for (const tag of new Set(rule.fields.map((f) => (f.kind === "columnTags" ? f.tag : "")))) {
      let list = byTag.get(tag);
      if (!list) byTag.set(tag, (list = []));
      list.push(ref);
    }
  }
  for (const list of byTag.values()) list.sort((a, b) => compareAuthored(a.policy, b.policy) || a.actionIndex - b.actionIndex || a.ruleIndex - b.ruleIndex);
  const memo = new Map<string, readonly string[]>();
  const ancestors = (tag: string) => {
    let a = memo.get(tag);
    if (!a) memo.set(tag, (a = tagAndAncestors(tag)));
    return a;
  };
  return { byTag, unindexed, rowActions, ancestors };
}

/** A tag and its ancestors: `a.b.c` → `a.b.c`, `a.b`, `a`. */
export function tagAndAncestors(tag: string): string[] {
  const out = [tag];
  for (let i = tag.lastIndexOf("."); i > 0; i = tag.lastIndexOf(".", i - 1)) out.push(tag.slice(0, i));
  return out;
}
