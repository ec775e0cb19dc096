/**
 * `unreachable-rule`: a rule of a first-match chain (an inclusions rule, then its
 * otherwise rule) that no user can ever get. A chain is the row rules of one action,
 * or, for masking, the rules of one action on one column; here an earlier masking rule
 * counts when it reaches every column the later one reaches (see `coversColumns`), so
 * the verdict holds on every column of every source, without looking at any.
 *
 * Rule j can never apply when every user in its audience is in the audience of an
 * earlier rule of its chain (that rule applies first), or when its audience is empty
 * (included and excepted alike). Audiences depend only on the memberships their
 * conditions test, each an independent yes/no fact, so this is decided exactly by
 * trying every combination of them, up to `MAX_ATOMS` (and `MAX_CHECKS` in all); past
 * that, only the plain cases are decided: an earlier rule that applies to everyone, or
 * one with the very same audience.
 */
import { compileLogic, logicKey } from "../lang/logic.js";
import type { Subject } from "../lang/subject.js";
import { tagReaches } from "../compile/tags.js";
import type { Condition, FieldSelector, MaskingRule, Policy, Rule } from "../model/policy.js";
import type { Finding } from "./finding.js";
import { atomKey, atomsOf, subjectOf, type Atom } from "./atoms.js";
import { finding, lintedPolicies, type LintContext } from "./context.js";

/** 2^12 users to try per rule: enough for real audiences, bounded for hostile ones. */
export const MAX_ATOMS = 12;

/** Whether selector `a` reaches every column `b` reaches. */
function selectorCovers(a: FieldSelector, b: FieldSelector): boolean {
  if (a.kind === "allColumns") return true;
  if (a.kind === "columnTags" && b.kind === "columnTags") return tagReaches(a.tag, b.tag);
  if (a.kind === "anyTag" && b.kind === "columnTags") return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether masking rule `i` reaches every column masking rule `j` reaches, whatever the columns. */
export function coversColumns(i: MaskingRule, j: MaskingRule): boolean {
  const covers = (b: FieldSelector) => (a: FieldSelector) => selectorCovers(a, b);
  if (i.fieldOperator === "any")
    // A column j reaches matches one of j's selectors (any) or all of them (all): some selector of i must cover it.
    return j.fieldOperator === "any" ? j.fields.every((b) => i.fields.some(covers(b))) : j.fields.some((b) => i.fields.some(covers(b)));
  // i needs all of its selectors: each must cover every column of j.
  return j.fieldOperator === "any" ? j.fields.every((b) => i.fields.every(covers(b))) : i.fields.every((a) => j.fields.some((b) => selectorCovers(a, b)));
}

type Test = ((s: Subject) => boolean) | null;
const compiled = (c: Condition | null): Test | undefined => {
  if (!c) return undefined;
  const r = compileLogic(c.logic);
  return r.ok ? r.value : null;
};

/** A rule's audience as a test of a user; null when a condition does not compile (the rule is then left alone). */
function audienceTest(r: Rule): ((s: Subject) => boolean) | null {
  const inc = compiled(r.inclusions);
  const exc = compiled(r.exceptions);
  if (inc === null || exc === null) return null;
  return (s) => (inc ? inc(s) : true) && !(exc ? exc(s) : false);
}

const everyone = (r: Rule) => r.inclusions === null && r.exceptions === null;
const audienceKey = (r: Rule) => JSON.stringify([r.inclusions && logicKey(r.inclusions.logic), r.exceptions && logicKey(r.exceptions.logic)]);

/** Users tried times rules tested, per rule: past it (a long chain over many memberships) only the plain case is decided. */
export const MAX_CHECKS = 1 << 16;

/** A chain's rules with their audience tests and atoms, each worked out once. */
export class Chain {
  readonly #tests: (((s: Subject) => boolean) | null | undefined)[] = [];
  readonly #atoms: (Atom[] | undefined)[] = [];
  constructor(readonly rules: readonly Rule[]) {}
  test(i: number): ((s: Subject) => boolean) | null {
    let t = this.#tests[i];
    if (t === undefined) this.#tests[i] = t = audienceTest(this.rules[i]!);
    return t;
  }
  atoms(i: number): Atom[] {
    let a = this.#atoms[i];
    if (a === undefined) {
      const r = this.rules[i]!;
      this.#atoms[i] = a = [...(r.inclusions ? atomsOf(r.inclusions) : []), ...(r.exceptions ? atomsOf(r.exceptions) : [])];
    }
    return a;
  }
}

/** Why rule `j` never applies after `earlier` (indices into the chain's rules), or undefined when some user gets it. */
export function neverApplies(chain: Chain, earlier: readonly number[], j: number): string | undefined {
  const first = earlier.find((i) => everyone(chain.rules[i]!));
  if (first !== undefined) return `rules[${first}] before it applies to everyone`;
  // Cheap and exact whatever the size: an earlier rule with the very same audience.
  const key = audienceKey(chain.rules[j]!);
  const same = earlier.find((i) => audienceKey(chain.rules[i]!) === key);
  if (same !== undefined) return `rules[${same}] before it has the same audience`;
  const atoms = new Map<string, Atom>();
  for (const i of [...earlier, j]) for (const a of chain.atoms(i)) atoms.set(atomKey(a), a);
  if (atoms.size > MAX_ATOMS || (1 << atoms.size) * (earlier.length + 1) > MAX_CHECKS) return undefined;
  const mine = chain.test(j);
  const tests = earlier.map((i) => chain.test(i));
  if (mine === null || tests.some((t) => t === null)) return undefined;
  const list = [...atoms.values()];
  let someone = false;
  // Which earlier rules alone hold every user j would get: the one to name, when there is one.
  const alone = tests.map(() => true);
  for (let bits = 0; bits < 1 << list.length; bits++) {
    const s = subjectOf(list, bits);
    if (!mine(s)) continue;
    someone = true;
    let taken = false;
    tests.forEach((t, k) => {
      if (t!(s)) taken = true;
      else alone[k] = false;
    });
    if (!taken) return undefined;
  }
  if (!someone) return "no user is in its audience (every included user is also excepted)";
  const k = alone.indexOf(true);
  if (k !== -1) return `every user it would apply to is already in the audience of rules[${earlier[k]}] before it`;
  return `every user it would apply to is already in the audience of one of ${earlier.map((i) => `rules[${i}]`).join(", ")} before it`;
}

function policyFindings(ctx: LintContext, p: Policy): Finding[] {
  const out: Finding[] = [];
  p.actions.forEach((action, ai) => {
    const rules = action.rules;
    const chain = new Chain(rules);
    rules.forEach((r, j) => {
      const earlier: number[] = [];
      for (let i = 0; i < j; i++) {
        const e = rules[i]!;
        if (r.kind === "row" ? e.kind === "row" : e.kind === "masking" && coversColumns(e, r)) earlier.push(i);
      }
      const why = neverApplies(chain, earlier, j);
      if (why) out.push(finding("unreachable-rule", ctx.rulePath(p, ai, j), `rules[${j}] can never apply: ${why}`, { policy: p }));
    });
  });
  return out;
}

export function unreachableRules(ctx: LintContext): Finding[] {
  return lintedPolicies(ctx.bundle).flatMap((p) => policyFindings(ctx, p));
}
