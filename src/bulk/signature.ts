import type { PolicySet } from "../compile/policy-set.js";
import type { PreparedUser } from "../evaluate/subject.js";
import { holds } from "../evaluate/subject.js";
import type { Bundle } from "../model/bundle.js";
import { FUNCTIONS } from "../lang/functions.js";
import { callsOf, stringArg } from "../lang/predicate.js";

/**
 * What about a user can change a decision, for one policy set: the outcome of every
 * condition the policies hold, the user's values that entitlement rules compare with
 * row values (only values some source actually has), their purposes, and whatever
 * custom WHERE functions read. Users with equal signatures get equal decisions on
 * every source, so bulk evaluation computes one of them per group.
 */
export interface SignatureContext {
  readonly set: PolicySet;
  /** Entitlement matches in the policy set: group / purpose / attribute name. */
  readonly matchKinds: readonly string[];
  /** Every value a row-security column holds somewhere (visibilities or rows). */
  readonly rowValues: ReadonlySet<string>;
  /** What custom WHERE predicates read. */
  readonly predicateReads: { readonly attributes: readonly string[]; readonly groups: boolean; readonly username: boolean; readonly iam: boolean };
}

/** Collects, once per policy set, what signatures must look at. */
export function signatureContext(set: PolicySet, bundle: Bundle): SignatureContext {
  const matchKinds = new Set<string>();
  const attributes = new Set<string>();
  let groups = false;
  let username = false;
  let iam = false;
  for (const p of [...bundle.globalPolicies, ...bundle.dataSources.flatMap((d) => d.localPolicies)])
    for (const a of p.actions)
      for (const r of a.rules) {
        if (r.kind !== "row") continue;
        if (r.rowKind === "entitlements") for (const m of r.matches) matchKinds.add(m.type === "attribute" ? `attribute:${m.attribute}` : m.type);
        if (r.rowKind === "customWhere")
          // What each function reads comes from the one @-function table; every dialect's reading counts.
          for (const t of r.predicate.templates.values()) {
            if (!t.ok) continue;
            for (const call of callsOf(t.value)) {
              const reads = FUNCTIONS[call.name].reads;
              if (reads === "attribute") attributes.add(stringArg(call, 0));
              else if (reads === "groups") groups = true;
              else if (reads === "username") username = true;
              else if (reads === "iam") iam = true;
            }
          }
      }
  const rowValues = new Set<string>();
  for (const ds of bundle.dataSources)
    for (const rec of [...(ds.visibilities ?? []), ...(ds.rows ?? [])])
      for (const v of Object.values(rec)) if (v !== null && v !== undefined) rowValues.add(String(v));
  return { set, matchKinds: [...matchKinds].sort(), rowValues, predicateReads: { attributes: [...attributes].sort(), groups, username, iam } };
}

/** A user's signature (see `SignatureContext`). */
export function userSignature(ctx: SignatureContext, u: PreparedUser): string {
  let bits = "";
  for (const c of ctx.set.conditions) {
    const h = holds(u, c);
    bits += h === undefined ? "x" : h ? "1" : "0";
  }
  const relevant = (values: Iterable<string>) => [...values].filter((v) => ctx.rowValues.has(v)).sort();
  const matches = ctx.matchKinds.map((k) =>
    k === "group"
      ? relevant(u.subject.groups)
      : k === "purpose"
        ? relevant(u.subject.purposes)
        : relevant(u.subject.attributes.get(k.slice("attribute:".length)) ?? []),
  );
  const reads = ctx.predicateReads;
  const predicate = [
    reads.attributes.map((a) => (u.user.authorizations && Object.hasOwn(u.user.authorizations, a) ? u.user.authorizations[a]! : [])),
    reads.groups ? (u.user.groups ?? []) : null,
    reads.username ? (u.user.userid ?? u.user.name) : null,
    reads.iam ? (u.user.iamid ?? null) : null,
  ];
  // Purposes in project order: `@purposesContains` lists them in that order.
  return JSON.stringify([bits, matches, u.project?.purposes ?? [], predicate]);
}
