import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Bundle } from "../model/bundle.js";
import type { Condition, Policy } from "../model/policy.js";
import { buildBindIndex, type BindIndex } from "./bind-index.js";
import { compileLogic, logicKey } from "../lang/logic.js";
import type { ColumnType } from "../model/data-type.js";
import type { BoundMaskRule, BoundRowRule, CompiledCondition } from "./plan.js";
import type { Subject } from "../lang/subject.js";

/**
 * A bundle's policies, each distinct audience condition compiled once. Conditions are
 * shared across data sources, so a user's memo table is too.
 *
 * The set is lazy: creating it compiles nothing and hashes nothing. A condition gets its
 * id and its closure when first evaluated (so ids are dense over what decisions reach,
 * and a prepared user's memo is sized to that, not to the whole set), and the content
 * key is computed when a cache asks for it.
 */
export interface PolicySet {
  readonly bundle: Bundle;
  /** Every distinct condition of the set's policies, compiled; reading it gives an id to those no plan has bound yet. */
  readonly conditions: readonly CompiledCondition[];
  /** How many distinct conditions have an id so far (every id is below it). */
  readonly conditionCount: number;
  /** The compiled form of a condition, found by content (so an equal bundle can share this set). */
  compiledOf(condition: Condition): CompiledCondition;
  /** Content key of the policies this set was compiled from (global, and every source's local ones); computed when first read. */
  readonly key: string;
  /** Global masking rules by tag, for binding. */
  readonly index: BindIndex;
  /** Bound row rules per (policy, action, columns read), shared by every source that binds them alike. */
  readonly rowRuleMemo: Map<Policy, Map<string, { readonly rules: readonly BoundRowRule[]; readonly type: string; readonly originalPolicyId: string }>>;
  /** Per policy and action, bound masking rules shared by every column that binds them alike (see bind-mask.ts). */
  readonly maskRuleMemo: Map<Policy, (MaskActionMemo | undefined)[]>;
}

/** What binding keeps of one action of a policy, for every column and source of the set. */
export interface MaskActionMemo {
  /** Set when every masking rule of the action has one selector, `columnTags` on this one tag. */
  readonly uniform: { readonly tag: string; readonly depth: number; readonly count: number } | null;
  /** Bound rules, all the masking rules reaching, by column type. */
  readonly all: Map<ColumnType, readonly BoundMaskRule[]>;
  /** Bound rules by column type and the rules that reach (a key of both). */
  readonly some: Map<string, readonly BoundMaskRule[]>;
}

/** Content key of a bundle's policies: global ones and each source's local ones. */
export function policySetKey(bundle: Bundle): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify([bundle.globalPolicies, bundle.dataSources.map((d) => d.localPolicies)]))));
}

/** Every condition object the policies hold. */
function* conditionsOf(policies: readonly Policy[]): Generator<Condition> {
  for (const p of policies)
    for (const a of p.actions)
      for (const r of a.rules) {
        if (r.exceptions) yield r.exceptions;
        if (r.inclusions) yield r.inclusions;
      }
}

/**
 * The condition objects of a bundle's policies, each mapped to its compiled form once it
 * has one (null until then). A Map, not a WeakMap: the set holds the bundle, so they live
 * as long anyway, and this runs before the first decision.
 */
function memberConditions(bundle: Bundle): Map<Condition, Compiled | null> {
  const out = new Map<Condition, Compiled | null>();
  const add = (policies: readonly Policy[]) => {
    for (const p of policies)
      for (const a of p.actions)
        for (const r of a.rules) {
          if (r.exceptions) out.set(r.exceptions, null);
          if (r.inclusions) out.set(r.inclusions, null);
        }
  };
  add(bundle.globalPolicies);
  for (const d of bundle.dataSources) add(d.localPolicies);
  return out;
}

const allPolicies = (bundle: Bundle): Policy[] => [...bundle.globalPolicies, ...bundle.dataSources.flatMap((d) => d.localPolicies)];

/** Marks a closure not compiled yet (null means: cannot be compiled). */
const PENDING = Symbol("pending");
/** Marks an id not given yet. */
const UNRESOLVED = -2;

/** The distinct conditions of a set: one canonical Compiled per content, numbered in the order they were first needed. */
interface Registry {
  readonly byKey: Map<string, Compiled>;
  readonly list: Compiled[];
}

/**
 * One condition object of the set, compiled lazily. Equal conditions (same logic) share
 * one id and one closure, those of the first of them to be needed (its canonical); the
 * content key that finds it is computed when the id or the closure is first read.
 * Conditions are validated on load, so a compile failure here means a bundle built
 * around validation; such a condition has `test: null` and evaluation fails closed on
 * it (see evaluate/audience.ts).
 */
class Compiled implements CompiledCondition {
  #id = UNRESOLVED;
  #test: ((s: Subject) => boolean) | null | typeof PENDING = PENDING;
  #canonical: Compiled | undefined;
  constructor(
    private readonly registry: Registry,
    readonly condition: Condition,
  ) {}

  get id(): number {
    if (this.#id === UNRESOLVED) this.#resolve();
    return this.#id;
  }

  get test(): ((s: Subject) => boolean) | null {
    let t = this.#test;
    if (t === PENDING) {
      const canonical = this.#resolve();
      if (canonical === this) {
        const r = compileLogic(this.condition.logic);
        t = r.ok ? r.value : null;
      } else t = canonical.test;
      this.#test = t;
    }
    return t;
  }

  #resolve(): Compiled {
    let c = this.#canonical;
    if (c) return c;
    const key = logicKey(this.condition.logic);
    c = this.registry.byKey.get(key);
    if (c) this.#id = c.id;
    else {
      c = this;
      this.#id = this.registry.list.length;
      this.registry.byKey.set(key, this);
      this.registry.list.push(this);
    }
    return (this.#canonical = c);
  }
}

class LazyPolicySet implements PolicySet {
  readonly rowRuleMemo: PolicySet["rowRuleMemo"] = new Map();
  readonly maskRuleMemo: PolicySet["maskRuleMemo"] = new Map();
  readonly #registry: Registry = { byKey: new Map(), list: [] };
  /** Conditions of other bundles (equal ones, sharing this set through a cache), as found. */
  readonly #foreign = new WeakMap<Condition, CompiledCondition>();
  /** The set's own condition objects, gathered on the first lookup, with their compiled forms. */
  #members: Map<Condition, Compiled | null> | undefined;
  #complete = false;
  #key: string | undefined;
  #index: BindIndex | undefined;

  constructor(
    readonly bundle: Bundle,
    key?: string,
  ) {
    this.#key = key;
  }

  get key(): string {
    return (this.#key ??= policySetKey(this.bundle));
  }

  get index(): BindIndex {
    return (this.#index ??= buildBindIndex(this.bundle.globalPolicies));
  }

  get conditionCount(): number {
    return this.#registry.list.length;
  }

  get conditions(): readonly CompiledCondition[] {
    if (!this.#complete) {
      for (const condition of conditionsOf(allPolicies(this.bundle))) void this.#member(condition)!.id;
      this.#complete = true;
    }
    return this.#registry.list;
  }

  /** The compiled form of one of the set's own condition objects; undefined for any other object. */
  #member(condition: Condition): Compiled | undefined {
    const members = (this.#members ??= memberConditions(this.bundle));
    const known = members.get(condition);
    if (known !== null) return known;
    const c = new Compiled(this.#registry, condition);
    members.set(condition, c);
    return c;
  }

  compiledOf(condition: Condition): CompiledCondition {
    const own = this.#member(condition);
    if (own) return own;
    // Not one of the set's own objects: the same content shares the compiled condition; anything else fails closed.
    let c = this.#foreign.get(condition);
    if (!c) {
      void this.conditions;
      c = this.#registry.byKey.get(logicKey(condition.logic)) ?? { id: -1, condition, test: null };
      this.#foreign.set(condition, c);
    }
    return c;
  }
}

/** Creates the policy set of a bundle; nothing is compiled or hashed until used. */
export function compilePolicySet(bundle: Bundle): PolicySet {
  return new LazyPolicySet(bundle);
}

/** A policy set whose content key is already known (a cache computed it to look the set up). */
export function compilePolicySetWithKey(bundle: Bundle, key: string): PolicySet {
  return new LazyPolicySet(bundle, key);
}
