/**
 * `unknown-audience-member`: an exceptions or inclusions condition that names a group,
 * an attribute value or a purpose nobody in the bundle has. Users give groups and
 * attributes; purposes come only from projects. A bundle without users says nothing
 * about who exists, so the check needs at least one user.
 */
import type { Bundle } from "../model/bundle.js";
import type { Policy } from "../model/policy.js";
import type { Finding } from "./finding.js";
import { atomsOf, type Atom } from "./atoms.js";
import { finding, lintedPolicies, q, type LintContext } from "./context.js";

/** What the bundle's users and projects hold. */
function directory(bundle: Bundle) {
  const groups = new Set(bundle.users.flatMap((u) => u.groups ?? []));
  const attributes = new Map<string, Set<string>>();
  for (const u of bundle.users)
    for (const [name, values] of Object.entries(u.authorizations ?? {})) {
      let set = attributes.get(name);
      if (!set) attributes.set(name, (set = new Set()));
      for (const v of values) set.add(v);
    }
  const purposes = new Set(bundle.projects.flatMap((p) => p.purposes ?? []));
  return { groups, attributes, purposes };
}

/** Why nobody has the atom, or undefined when someone does. */
function nobodyHas(a: Atom, d: ReturnType<typeof directory>): string | undefined {
  switch (a.kind) {
    case "group":
      return d.groups.has(a.name) ? undefined : `no user is in group ${q(a.name)}`;
    case "purpose":
      return d.purposes.has(a.name) ? undefined : `no project has purpose ${q(a.name)}`;
    case "attribute": {
      const values = d.attributes.get(a.name);
      if (!values) return `no user has attribute ${q(a.name)}`;
      return values.has(a.value) ? undefined : `no user has attribute ${q(a.name)} with value ${q(a.value)}`;
    }
  }
}

function policyFindings(ctx: LintContext, p: Policy, d: ReturnType<typeof directory>): Finding[] {
  const out: Finding[] = [];
  p.actions.forEach((action, ai) =>
    action.rules.forEach((r, ri) => {
      for (const clause of ["exceptions", "inclusions"] as const) {
        const c = r[clause];
        if (!c) continue;
        for (const a of atomsOf(c)) {
          const why = nobodyHas(a, d);
          if (why) out.push(finding("unknown-audience-member", [...ctx.rulePath(p, ai, ri), clause], `${clause} of rules[${ri}]: ${why}`, { policy: p }));
        }
      }
    }),
  );
  return out;
}

export function unknownAudienceMembers(ctx: LintContext): Finding[] {
  if (ctx.bundle.users.length === 0) return [];
  const d = directory(ctx.bundle);
  return lintedPolicies(ctx.bundle).flatMap((p) => policyFindings(ctx, p, d));
}
