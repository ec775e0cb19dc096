/**
 * The fail-closed law (semantics "Fail closed", law 5) on raw bundle objects: where the
 * known enum values of an active policy sit (rule and action types, condition types,
 * masking types, circumstance types, field selectors, entitlement match types,
 * operators), how to swap one for an unknown spelling, and the comparison that decides
 * whether a policyInfo shows a user more than another.
 */
import type { PolicyInfo } from "../../src/report/policy-info.js";
import type { Raw } from "./fixtures.js";
import { copy, define, ENUM_VARIANTS, enumVariant, fmtPath, PROTO_NAMES, type EnumVariant, type Path } from "./mutation.js";

export type SiteKind =
  | "rule type"
  | "action type"
  | "condition type"
  | "masking type"
  | "circumstance type"
  | "field selector"
  | "entitlement match type"
  | "operator";

/**
 * One place a known value sits. `value`: the string at `path`; `key`: the key at the end
 * of `path` (V2 `groups`/`attributes`/`purposes`); `field`: a v1 tag field, replaced by a
 * selector object of an unknown type; `advanced`: the first @-function of the expression.
 */
export interface Site {
  readonly kind: SiteKind;
  readonly path: Path;
  readonly mode: "value" | "key" | "field" | "advanced";
  /** Where the policy itself sits (a rejection must point inside it). */
  readonly policy: Path;
}

/** Unknown spellings: the enum variants, and prototype names. */
export const UNKNOWN_VARIANTS = [...ENUM_VARIANTS, ...PROTO_NAMES.map((n) => `name:${n}` as const)] as const;
export type UnknownVariant = (typeof UNKNOWN_VARIANTS)[number];

const isObj = (v: unknown): v is Raw => v !== null && typeof v === "object" && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Whether a raw policy is live: not staged, not deleted, not a subscription policy. */
const active = (p: unknown): p is Raw => isObj(p) && p["staged"] !== true && p["deleted"] !== true && p["type"] !== "subscription";

/** Every site in the active data policies (global and local) of a raw bundle. */
export function activeSites(bundle: Raw): Site[] {
  const out: Site[] = [];
  const policies: [Path, Raw][] = [];
  arr(bundle["globalPolicies"]).forEach((p, i) => active(p) && policies.push([["globalPolicies", i], p]));
  arr(bundle["dataSources"]).forEach((d, i) => {
    const handler = isObj(d) ? d["policyHandler"] : undefined;
    arr(isObj(handler) ? handler["jsonPolicies"] : undefined).forEach(
      (p, j) => active(p) && policies.push([["dataSources", i, "policyHandler", "jsonPolicies", j], p]),
    );
  });
  for (const [base, p] of policies) {
    const site = (kind: SiteKind, path: Path, mode: Site["mode"] = "value") => out.push({ kind, path, mode, policy: base });
    const str = (v: unknown) => typeof v === "string";
    if (base[0] === "dataSources" && str(p["type"])) site("action type", [...base, "type"]);
    if (str(p["circumstanceOperator"])) site("operator", [...base, "circumstanceOperator"]);
    arr(p["circumstances"]).forEach((c, j) => {
      if (!isObj(c)) return;
      if (str(c["type"])) site("circumstance type", [...base, "circumstances", j, "type"]);
      if (str(c["operator"])) site("operator", [...base, "circumstances", j, "operator"]);
    });
    // A local policy is itself one action: its rules sit on it.
    const actions: [Path, unknown][] = base[0] === "dataSources" ? [[base, p]] : arr(p["actions"]).map((a, k) => [[...base, "actions", k], a]);
    for (const [at, a] of actions) {
      if (!isObj(a)) continue;
      if (base[0] === "globalPolicies" && str(a["type"])) site("action type", [...at, "type"]);
      arr(a["rules"]).forEach((r, k) => {
        if (!isObj(r)) return;
        const rp = [...at, "rules", k];
        if (str(r["type"])) site("rule type", [...rp, "type"]);
        const config = isObj(r["config"]) ? r["config"] : {};
        if (isObj(config["maskingConfig"]) && str(config["maskingConfig"]["type"])) site("masking type", [...rp, "config", "maskingConfig", "type"]);
        if (str(config["operator"])) site("operator", [...rp, "config", "operator"]);
        arr(config["fields"]).forEach((f, n) => {
          if (isObj(f) && str(f["type"])) site("field selector", [...rp, "config", "fields", n, "type"]);
          else if (base[0] === "globalPolicies" && (str(f) || (isObj(f) && str(f["name"])))) site("field selector", [...rp, "config", "fields", n], "field");
        });
        arr(config["matches"]).forEach((m, n) => isObj(m) && str(m["type"]) && site("entitlement match type", [...rp, "config", "matches", n, "type"]));
        for (const aud of ["exceptions", "inclusions"] as const) {
          const c = r[aud];
          if (!isObj(c)) continue;
          if (str(c["operator"])) site("operator", [...rp, aud, "operator"]);
          arr(c["conditions"]).forEach((x, n) => isObj(x) && str(x["type"]) && site("condition type", [...rp, aud, "conditions", n, "type"]));
          for (const key of ["groups", "attributes", "purposes"]) if (key in c) site("condition type", [...rp, aud, key], "key");
          if (typeof c["advanced"] === "string" && /@[A-Za-z]+\(/.test(c["advanced"])) site("condition type", [...rp, aud, "advanced"], "advanced");
        }
      });
    }
  }
  return out;
}

const variantOf = (s: string, v: UnknownVariant): string => (v.startsWith("name:") ? v.slice(5) : enumVariant(s, v as EnumVariant));

/** The bundle with the site's known value replaced by an unknown one; undefined when the variant leaves it unchanged. */
export function replaceSite(bundle: Raw, site: Site, v: UnknownVariant): { bundle: Raw; did: string } | undefined {
  const b = copy(bundle);
  const parentPath = site.path.slice(0, -1);
  const last = site.path[site.path.length - 1]!;
  let parent: unknown = b;
  for (const k of parentPath) parent = (parent as Record<string | number, unknown>)[k];
  const obj = parent as Record<string | number, unknown>;
  const where = `${site.kind} at ${fmtPath(site.path)}`;
  switch (site.mode) {
    case "value": {
      const was = obj[last] as string;
      const now = variantOf(was, v);
      if (now === was) return undefined;
      define(obj, last, now);
      return { bundle: b, did: `${where}: ${JSON.stringify(was)} → ${JSON.stringify(now)}` };
    }
    case "key": {
      const now = variantOf(String(last), v);
      if (now === last) return undefined;
      const pairs = Object.keys(obj).map((k) => [k === last ? now : k, obj[k]] as const);
      for (const k of Object.keys(obj)) delete obj[k];
      for (const [k, x] of pairs) define(obj, k, x);
      return { bundle: b, did: `${where}: key ${JSON.stringify(last)} → ${JSON.stringify(now)}` };
    }
    case "field": {
      const f = obj[last];
      const name = typeof f === "string" ? f : String((f as Raw)["name"]);
      const type = variantOf("columnTags", v);
      define(obj, last, { type, columnTag: name });
      return { bundle: b, did: `${where}: tag ${JSON.stringify(name)} → {type: ${JSON.stringify(type)}, columnTag: ${JSON.stringify(name)}}` };
    }
    case "advanced": {
      const was = obj[last] as string;
      const m = /@([A-Za-z]+)\(/.exec(was)!;
      const now = was.slice(0, m.index + 1) + variantOf(m[1]!, v) + was.slice(m.index + 1 + m[1]!.length);
      if (now === was) return undefined;
      define(obj, last, now);
      return { bundle: b, did: `${where}: ${JSON.stringify(was)} → ${JSON.stringify(now)}` };
    }
  }
}

// ---- Does `after` show more than `before`? -------------------------------------------------

const conjuncts = (p: string): string[] => {
  // "(a) AND (b)" as rendered for several predicates; a single predicate is itself.
  if (p.startsWith("(") && p.endsWith(")") && p.includes(") AND (")) return p.slice(1, -1).split(") AND (");
  return [p];
};
/** `after` keeps every conjunct of `before` (so it filters at least as much). */
const keepsPredicate = (before: string, after: string): boolean =>
  after === before || after.includes(`(${before})`) || conjuncts(before).every((c) => after === c || after.includes(`(${c})`));

/**
 * Why `after` shows the user more than `before` (null: it does not): a column masked
 * before is in clear or conditionally masked now; a row filter of before (custom WHERE,
 * visibilities, minimization, time window) is gone or looser. `customWhere: false` shows
 * no rows, so it reveals no row.
 */
export function reveals(before: PolicyInfo, after: PolicyInfo): string | null {
  const masked = new Map(after.masked.map((m) => [m.name, m]));
  for (const m of before.masked) {
    const now = masked.get(m.name);
    if (!now) return `column ${m.name} was masked (${m.actionType}), is in clear`;
    const was = m.metadata["conditionalPredicate"];
    const is = now.metadata["conditionalPredicate"];
    if (is !== undefined && is !== was)
      return `column ${m.name} was masked ${was === undefined ? "on every row" : `where ${String(was)}`}, now only where ${String(is)}`;
  }
  const af = after.additionalFilters as Record<string, unknown> & { customWhere?: { predicate: string } };
  const bf = before.additionalFilters as Record<string, unknown> & { customWhere?: { predicate: string } };
  if (af.customWhere?.predicate === "false") return null;
  if (before.visibilityRuleApplies) {
    if (!after.visibilityRuleApplies) return "the visibility rule applied, no longer does";
    const was = new Set(before.visibilities.map((v) => JSON.stringify(v)));
    const extra = after.visibilities.find((v) => !was.has(JSON.stringify(v)));
    if (extra) return `visibility ${JSON.stringify(extra)} is new`;
  }
  if (bf.customWhere) {
    if (!af.customWhere) return `customWhere ${JSON.stringify(bf.customWhere.predicate)} is gone`;
    if (!keepsPredicate(bf.customWhere.predicate, af.customWhere.predicate))
      return `customWhere ${JSON.stringify(bf.customWhere.predicate)} became ${JSON.stringify(af.customWhere.predicate)}`;
  }
  if (bf["minimization"] !== undefined) {
    const [b, a] = [bf["minimization"] as { percent: number }, af["minimization"] as { percent: number } | undefined];
    if (!a || a.percent > b.percent) return `minimization ${JSON.stringify(b)} became ${JSON.stringify(a)}`;
  }
  if (bf["time"] !== undefined) {
    const same = ["eventTimeColumn", "isOlderOrNewer"].every((k) => af[k] === bf[k]);
    const [bs, as] = [bf["filterSeconds"] as number, af["filterSeconds"] as number | undefined];
    const tighter = as !== undefined && (bf["isOlderOrNewer"] === "older" ? as >= bs : as <= bs);
    if (!same || !tighter) return `time window ${JSON.stringify([bf["isOlderOrNewer"], bs])} became ${JSON.stringify([af["isOlderOrNewer"], as])}`;
  }
  for (const k of Object.keys(bf))
    if (
      !["customWhere", "minimization", "time", "eventTimeColumn", "filterSeconds", "isOlderOrNewer"].includes(k) &&
      JSON.stringify(af[k]) !== JSON.stringify(bf[k])
    )
      return `additionalFilters.${k} ${JSON.stringify(bf[k])} became ${JSON.stringify(af[k])}`;
  return null;
}
