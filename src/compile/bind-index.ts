import type { Policy } from "../model/policy.js";
import { compareAuthored } from "./conflicts.js";

/** One action of one policy: shared by all its rule refs, so binding can group by identity. */
export interface ActionRef {
  readonly policy: Policy;
  readonly actionIndex: number;
  /** The indices of the action's masking rules, ascending. */
  readonly maskingRules: readonly number[];
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
  for (const policy of policies) {
    const actions = policy.actions;
    for (let actionIndex = 0; actionIndex < actions.length; actionIndex++) {
      const rules = actions[actionIndex]!.rules;
      const maskingRules: number[] = [];
      for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) if (rules[ruleIndex]!.kind === "masking") maskingRules.push(ruleIndex);
      if (maskingRules.length === 0) continue;
      const action: ActionRef = { policy, actionIndex, maskingRules };
      for (const ruleIndex of maskingRules) out.push({ policy, actionIndex, ruleIndex, action });
    }
  }
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
    for (let actionIndex = 0; actionIndex < policy.actions.length; actionIndex++)
      if (policy.actions[actionIndex]!.rules.some((r) => r.kind === "row")) rowActions.push({ policy, actionIndex });
  for (const ref of maskingRefs(live)) {
    const rule = ref.policy.actions[ref.actionIndex]!.rules[ref.ruleIndex]!;
    if (rule.kind !== "masking") continue;
    const fields = rule.fields;
    // `all` needs every selector: such rules are checked exactly, like untagged selectors.
    let indexed = rule.fieldOperator !== "all";
    for (const f of fields) if (f.kind !== "columnTags") indexed = false;
    if (!indexed) {
      unindexed.push(ref);
      continue;
    }
    for (let k = 0; k < fields.length; k++) {
      const tag = (fields[k] as { readonly tag: string }).tag;
      let seen = false;
      for (let j = 0; j < k; j++) if ((fields[j] as { readonly tag: string }).tag === tag) seen = true;
      if (seen) continue;
      let list = byTag.get(tag);
      if (!list) byTag.set(tag, (list = []));
      list.push(ref);
    }
  }
  const order = (a: RuleRef, b: RuleRef) => compareAuthored(a.policy, b.policy) || a.actionIndex - b.actionIndex || a.ruleIndex - b.ruleIndex;
  for (const list of byTag.values()) {
    // Policies usually come in authoring order already: sort only when they do not.
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) if (order(list[i - 1]!, list[i]!) > 0) sorted = false;
    if (!sorted) list.sort(order);
  }
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
