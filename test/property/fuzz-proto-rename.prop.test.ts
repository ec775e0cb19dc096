/**
 * Hostile input, part 3: prototype names are data. Renaming one name of a fixture bundle
 * (a group, an attribute name or value, a purpose, a tag) to `__proto__`, `constructor`,
 * `prototype`, `hasOwnProperty`, `toString` or `valueOf` everywhere it occurs (keys,
 * values, and inside SQL and expressions, as a whole token) changes nothing but the
 * name: every user's policyInfo on every data source is the original one with the same
 * renaming (masked columns and visibilities compared as sets). So a name that collides
 * with an Object.prototype member is never dropped, never matches what it should not,
 * and never throws. Rejecting the renamed bundle is allowed (fail closed) if the issues
 * are well-formed; accepting it and answering differently is not.
 *
 * PROPERTY_RUNS=n runs n cases instead of the default; PROPERTY_SEED fixes the seed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle } from "../../src/model/bundle.js";
import type { PolicyInfo } from "../../src/report/policy-info.js";
import { call, checkResult, NOW } from "../arbitraries/exercise.js";
import { fixtureBundles, type Raw } from "../arbitraries/fixtures.js";
import { define, PROTO_NAMES, prototypeChanges, restorePrototypes, snapshotPrototypes } from "../arbitraries/mutation.js";
import { V1_MASK_TYPES } from "../../src/model/masking-config.js";

const RUNS = Number(process.env["PROPERTY_RUNS"]) || undefined;
const SEED = process.env["PROPERTY_SEED"] ? Number(process.env["PROPERTY_SEED"]) : undefined;
const PROTOTYPES = snapshotPrototypes();

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const tokenRe = (token: string) => new RegExp(`(?<![A-Za-z0-9_])${escapeRe(token)}(?![A-Za-z0-9_])`, "g");

const ENUM_KEYS = new Set(["type", "operator", "circumstanceOperator", "direction", "isOlderOrNewer", "state", "dataType", "blobHandlerType", "timePrecision"]);
const VOCABULARY = [
  ...V1_MASK_TYPES,
  ...["Hashing", "Constant", "Nullify", "Generalization", "Regex", "FPE", "KANON", "RandomizedResponse", "CustomFunction", "Hash", "Null", "Rounding"],
  ...["visibilities", "visibilityRuleApplies", "masked", "additionalFilters", "customWhere", "predicate", "metadata", "name", "actionType", "constant"],
  ...["minimization", "percent", "hashPhrase", "eventTimeColumn", "time", "filterSeconds", "isOlderOrNewer", "older", "newer", "conditionalPredicate"],
  ...["AND", "OR", "NOT", "IN", "NULL", "TRUE", "FALSE", "true", "false", "LIKE", "IS", "SELECT", "FROM", "WHERE", "CAST", "AS", "null"],
];

/** Every string and key of a tree with `token` replaced (as a whole token) by `to`. */
function renameAll(v: unknown, re: RegExp, to: string): unknown {
  if (typeof v === "string") return v.replace(re, to);
  if (Array.isArray(v)) return v.map((x) => renameAll(x, re, to));
  if (v !== null && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) define(out, k.replace(re, to), renameAll((v as Raw)[k], re, to));
    return out;
  }
  return v;
}

const strings = (xs: unknown): string[] => (Array.isArray(xs) ? xs.flatMap((x) => (typeof x === "string" ? [x] : [])) : []);
const tagName = (t: unknown): string[] =>
  typeof t === "string" ? [t] : t && typeof t === "object" && typeof (t as Raw)["name"] === "string" ? [(t as Raw)["name"] as string] : [];

/**
 * The names a rename may target: groups, attribute names and values, purposes, and the
 * dotted segments of tags. Names that are also a column, data source, user or policy name
 * are left out: renaming those can legitimately reorder things.
 */
function renameable(bundle: Raw): string[] {
  const arr = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);
  const names = new Set<string>();
  for (const u of arr(bundle["users"])) {
    for (const g of strings(u["groups"])) names.add(g);
    const auth = u["authorizations"];
    if (auth && typeof auth === "object") for (const [k, vs] of Object.entries(auth)) [k, ...strings(vs)].forEach((n) => names.add(n));
  }
  for (const p of arr(bundle["projects"])) for (const x of strings(p["purposes"])) names.add(x);
  // Tags by segment: renaming a whole `Logs.Archive` would cut it from its parent `Logs`.
  for (const ds of arr(bundle["dataSources"])) {
    for (const t of arr(ds["tags"]).flatMap(tagName)) t.split(".").forEach((n) => names.add(n));
    for (const c of arr(ds["columns"])) for (const t of arr(c["tags"]).flatMap(tagName)) t.split(".").forEach((n) => names.add(n));
  }
  const taken = new Set<string>();
  for (const ds of arr(bundle["dataSources"])) {
    taken.add(String(ds["name"]));
    for (const c of arr(ds["columns"])) taken.add(String(c["name"]));
  }
  for (const u of arr(bundle["users"])) [u["name"], u["userid"], u["email"], u["iamid"]].forEach((n) => typeof n === "string" && taken.add(n));
  for (const p of arr(bundle["globalPolicies"])) taken.add(String(p["name"]));
  // The vocabulary of the bundle and of policyInfo (types, operators, keys, SQL words) is not a name.
  for (const w of VOCABULARY) taken.add(w);
  const enums = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(enums);
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === "string" && ENUM_KEYS.has(k)) taken.add(x);
        enums(x);
      }
  };
  enums(bundle);
  // Quotes and backslashes are escaped in SQL and JSON, so the renamed output would not contain the name as written.
  return [...names]
    .filter(
      (n) => n.length >= 2 && !/['"\\]/.test(n) && !taken.has(n) && ![...taken].some((t) => tokenRe(n).test(t)) && !PROTO_NAMES.some((p) => n.includes(p)),
    )
    .sort();
}

/** policyInfo JSON per cell. */
function infos(bundle: unknown): Map<string, string> | { issues: unknown } {
  const b = call("parseBundle", () => parseBundle(bundle));
  checkResult(b, "parseBundle");
  if (!b.ok) return { issues: b.issues };
  const engine = call("createEngine", () => createEngine(b.value));
  const out = new Map<string, string>();
  for (const ds of b.value.dataSources)
    for (const u of b.value.users) {
      const what = `policyInfo({dataSource: ${ds.id}, user: ${u.profileId}})`;
      const r = call(what, () => engine.policyInfo({ dataSource: ds.id, user: u.profileId, now: NOW }));
      checkResult(r, what);
      out.set(`data source ${ds.id}, user ${u.profileId}`, r.ok ? JSON.stringify(r.value) : `error: ${JSON.stringify(r.issues.map((i) => i.code))}`);
    }
  return out;
}

/** A policyInfo's JSON with masked columns and visibilities sorted (an error stays as it is). */
function normal(json: string): string {
  if (json.startsWith("error: ")) return json;
  const info = JSON.parse(json) as PolicyInfo;
  const visibilities = info.visibilities.map((v) => JSON.stringify(v)).sort();
  const masked = [...info.masked].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return JSON.stringify({ ...info, visibilities, masked });
}

const FIXTURES = fixtureBundles()
  .sort((a, b) => JSON.stringify(a.bundle).length - JSON.stringify(b.bundle).length)
  .map((fx) => ({ ...fx, names: renameable(fx.bundle), before: infos(fx.bundle) }))
  .filter((fx) => fx.names.length > 0);

/** Renames `name` to `to` everywhere in the fixture; throws unless every policyInfo is the original one renamed. */
function renameCase(fx: (typeof FIXTURES)[number], name: string, to: string): void {
  const label = `${fx.name} with ${JSON.stringify(name)} renamed to ${JSON.stringify(to)} everywhere`;
  const before = fx.before;
  if (!(before instanceof Map)) throw new Error(`${fx.name} does not parse`);
  const re = tokenRe(name);
  try {
    const after = infos(renameAll(fx.bundle, re, to));
    if (after instanceof Map) {
      for (const [cell, was] of before) {
        const expected = normal(was.replace(re, to));
        const got = after.has(cell) ? normal(after.get(cell)!) : undefined;
        if (got !== expected) throw new Error(`${cell}:\n    expected ${expected}\n    got      ${got}`);
      }
    }
  } catch (e) {
    throw new Error(`${label}\n  → ${(e as Error).message}`);
  } finally {
    const changes = prototypeChanges(PROTOTYPES);
    if (changes.length > 0) {
      restorePrototypes(PROTOTYPES);
      throw new Error(`${label}\n  → prototype pollution: ${changes.join("; ")}`);
    }
  }
}

describe("prototype names are data", () => {
  it("there are names to rename in most fixtures", () => {
    expect(FIXTURES.length).toBeGreaterThan(60);
  });

  it("renaming a group, attribute, purpose or tag to a prototype name everywhere renames it in every policyInfo, and nothing else", {
    timeout: 600_000,
  }, () => {
    fc.assert(
      fc.property(fc.nat({ max: FIXTURES.length - 1 }), fc.nat(), fc.constantFrom(...PROTO_NAMES), (fi, ni, to) => {
        const fx = FIXTURES[fi]!;
        renameCase(fx, fx.names[ni % fx.names.length]!, to);
      }),
      { numRuns: RUNS ?? 400, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  });

  it("exhaustively: every name of every fixture renamed to `__proto__` and to `constructor`", { timeout: 600_000 }, () => {
    const failures: string[] = [];
    let cases = 0;
    for (const fx of FIXTURES)
      for (const name of fx.names)
        for (const to of ["__proto__", "constructor"]) {
          cases++;
          try {
            renameCase(fx, name, to);
          } catch (e) {
            failures.push((e as Error).message);
          }
        }
    expect(failures.slice(0, 10), `${failures.length} of ${cases} renamings answer differently; the first 10:`).toEqual([]);
  });
});
