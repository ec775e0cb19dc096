/**
 * Helpers for the real-world corpus tests: where the corpus lives, reading its raw
 * policies, and building the data sources and users a policy is evaluated against.
 *
 * Data sources are derived from the raw policy text (not from Veil's normalised
 * model), so a normalisation bug cannot also bend the fixture it is tested with.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { parseBundle, type Bundle } from "../../src/model/bundle.js";
import type { Plan } from "../../src/compile/plan.js";
import type { MaskedEntry, PolicyInfo } from "../../src/report/policy-info.js";
import type { VisibilityReport } from "../../src/report/visibility-report.js";
import { renderedPolicy } from "../../src/report/policy-json.js";

/** The real-world corpus, copied into the repository with its INDEX.md (attribution per file). */
export const CORPUS = join(import.meta.dirname, "../../fixtures/corpus");
export const YAML_DIR = join(CORPUS, "yaml");
export const INVALID_DIR = join(CORPUS, "invalid");

type Raw = Record<string, unknown>;

/** Top-level `*.json` files (pretty twins and `.src.json` twins), sorted. */
export function corpusJsonFiles(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

/** `yaml/*.yaml` files, sorted. */
export function corpusYamlFiles(): string[] {
  return readdirSync(YAML_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
}

/** The pretty JSON file whose name starts with `prefix` (e.g. `pttep-04-`). */
export function corpusFile(prefix: string): string {
  const hits = corpusJsonFiles().filter((f) => f.startsWith(prefix) && !f.endsWith(".src.json"));
  if (hits.length !== 1) throw new Error(`expected one corpus file starting with ${prefix}, found ${hits.length}`);
  return hits[0]!;
}

/** The raw policy document of a corpus file, as authored. */
export function rawPolicy(prefix: string): Raw {
  return JSON.parse(readFileSync(join(CORPUS, corpusFile(prefix)), "utf8")) as Raw;
}

/** Rule `type`s of a raw policy (V2 or v1), in order. */
export function rawRuleTypes(policy: Raw): string[] {
  const actions = Array.isArray(policy["actions"]) ? (policy["actions"] as Raw[]) : [];
  return actions.flatMap((a) => ((a["rules"] as Raw[] | undefined) ?? []).map((r) => String(r["type"])));
}

/** What a data source must carry to satisfy a policy's circumstances. */
export interface Facts {
  tags: string[];
  columnTags: string[];
  domainId?: string;
  domainName?: string;
}

const tagName = (t: unknown): string => (typeof t === "string" ? t : String((t as Raw)["name"]));

/**
 * Everything the raw circumstances ask for (v1 tag objects or V2 strings), so that a
 * data source carrying all of it satisfies the policy under `any` and `all` alike.
 */
export function factsOf(policy: Raw): Facts {
  const facts: Facts = { tags: [], columnTags: [] };
  for (const c of (policy["circumstances"] as Raw[] | undefined) ?? []) {
    switch (c["type"]) {
      case "tags":
        facts.tags.push(tagName(c["tag"]));
        break;
      case "columnTags":
        facts.columnTags.push(tagName(c["columnTag"]));
        break;
      case "domains": {
        const d = (c["domains"] as Raw[])[0]!;
        if (typeof d["id"] === "string") facts.domainId = d["id"];
        if (typeof d["name"] === "string") facts.domainName = d["name"];
        break;
      }
      default:
        throw new Error(`corpus helper: circumstance type ${String(c["type"])} not handled`);
    }
  }
  return facts;
}

export interface ColumnInput {
  name: string;
  dataType: string;
  tags?: string[];
}

/**
 * A data source carrying `facts`: its tags, its domain, and its columns plus one
 * text column `circumstance_N` for each circumstance column tag no given column carries.
 */
export function dataSource(id: number, facts: Facts, columns: ColumnInput[]): Record<string, unknown> {
  const carried = new Set(columns.flatMap((c) => c.tags ?? []));
  const extra = facts.columnTags.filter((t) => !carried.has(t)).map((t, i) => ({ name: `circumstance_${i + 1}`, dataType: "text", tags: [t] }));
  const ds: Record<string, unknown> = { id, name: `ds-${id}`, tags: [...facts.tags], columns: [...columns, ...extra] };
  if (facts.domainId !== undefined) ds["domainId"] = facts.domainId;
  if (facts.domainName !== undefined) ds["domainName"] = facts.domainName;
  return ds;
}

export interface UserInput {
  profileId: number;
  name: string;
  groups?: string[];
  authorizations?: Record<string, string[]>;
}

/** A user with the given groups and attributes. */
export function user(profileId: number, name: string, groups: string[] = [], authorizations: Record<string, string[]> = {}): UserInput {
  return { profileId, name, groups, authorizations };
}

/** The bundle object `{dataSources, globalPolicies: [policy, …], users}`, parsed; fails the test on issues. */
export function bundleOf(policy: Raw | Raw[], dataSources: Record<string, unknown>[], users: UserInput[]): Bundle {
  const parsed = parseBundle({ dataSources, globalPolicies: Array.isArray(policy) ? policy : [policy], users });
  if (!parsed.ok) throw new Error(`bundle did not parse: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

/** An engine over one policy, its data sources and users, with checked accessors. */
export interface Harness {
  readonly bundle: Bundle;
  readonly engine: Engine;
  /** policyInfo's `masked` for (data source, user); fails the test if policyInfo fails. */
  masked(dataSource: number, user: number): MaskedEntry[];
  /** policyInfo for (data source, user); fails the test if it fails or its keys are out of order. */
  info(dataSource: number, user: number): PolicyInfo;
  /** visibilityReport for (data source, user); fails the test if it fails. */
  report(dataSource: number, user: number): VisibilityReport;
  plan(dataSource: number): Plan;
}

export function harness(policy: Raw | Raw[], dataSources: Record<string, unknown>[], users: UserInput[]): Harness {
  const bundle = bundleOf(policy, dataSources, users);
  const engine = createEngine(bundle);
  return {
    bundle,
    engine,
    masked(ds, u) {
      const info = engine.policyInfo({ dataSource: ds, user: u });
      if (!info.ok) throw new Error(`policyInfo failed: ${JSON.stringify(info.issues)}`);
      // Reports are byte-exact: every entry's keys in Immuta's order [seed].
      for (const m of info.value.masked)
        if (JSON.stringify(Object.keys(m)) !== '["type","metadata","name","actionType"]')
          throw new Error(`masked entry key order: ${Object.keys(m).join(",")}`);
      return info.value.masked;
    },
    info(ds, u) {
      const info = engine.policyInfo({ dataSource: ds, user: u });
      if (!info.ok) throw new Error(`policyInfo failed: ${JSON.stringify(info.issues)}`);
      // Exactly these four keys, in this order [seed].
      const keys = Object.keys(info.value).join(",");
      if (keys !== "visibilities,visibilityRuleApplies,masked,additionalFilters") throw new Error(`policyInfo key order: ${keys}`);
      return info.value;
    },
    report(ds, u) {
      const r = engine.visibilityReport({ dataSource: ds, user: u });
      if (!r.ok) throw new Error(`visibilityReport failed: ${JSON.stringify(r.issues)}`);
      return r.value;
    },
    plan(ds) {
      const p = engine.planFor(ds);
      if (!p.ok) throw new Error(`planFor failed: ${JSON.stringify(p.issues)}`);
      return p.value;
    },
  };
}

/** Why each global policy was skipped on a plan, by name. */
export function skippedOf(plan: Plan): { name: string; reason: string }[] {
  return plan.skipped.map((s) => ({ name: s.policy.name, reason: s.reason }));
}

/** `changedOnApply` of the winning bound policy on a column. */
export function changedOnApply(plan: Plan, column: string): unknown {
  const c = plan.columns.find((x) => x.column === column);
  if (!c) throw new Error(`column ${column} is not masked by the plan`);
  return renderedPolicy(c.winner).global?.["changedOnApply"];
}

// Row cases: columns, data sources with visibilities, and expected predicates.
export const DEPT = "EntraID.department";
export const DIV = "EntraID.division";
export const SEC = "EntraID.section";
export const PO_DEPT = "Data Entity.PO.Department";
export const text = (name: string, tags?: string[]): ColumnInput => (tags ? { name, dataType: "text", tags } : { name, dataType: "text" });
export const date = (name: string): ColumnInput => ({ name, dataType: "date" });
/** A data source with the policy's circumstances plus `extra` fields (e.g. `visibilities`). */
export const ds = (id: number, p: Raw, columns: ColumnInput[], extra: Record<string, unknown> = {}) => ({ ...dataSource(id, factsOf(p), columns), ...extra });
export const vis = (column: string, ...values: string[]) => values.map((v) => ({ [column]: v }));

/** The raw predicate of rule `i` of the policy's only action. */
export function pred(prefix: string, i: number): string {
  const rules = ((rawPolicy(prefix)["actions"] as Raw[])[0]!["rules"] as Raw[])[i]!;
  return String((rules["config"] as Raw)["predicate"]);
}

/** `@attributeValuesContains('EntraID.department', '<expr>')` as authored. */
export const avc = (expr: string) => `@attributeValuesContains('${DEPT}', '${expr}')`;

/** The raw predicate of rule `i`, each call replaced by its expected expansion; every call must be covered. */
export function expanded(prefix: string, i: number, subs: readonly (readonly [string, string])[]): string {
  let s = pred(prefix, i);
  for (const [from, to] of subs) {
    if (!s.includes(from)) throw new Error(`${prefix} rule ${i}: \`${from}\` is not in the predicate`);
    s = s.replaceAll(from, to);
  }
  if (/@[A-Za-z]/.test(s)) throw new Error(`${prefix} rule ${i}: a call is left unexpanded in ${s}`);
  return s;
}

// Expected `masked` entries, in Immuta's policyInfo form [seed; semantics §4].
export const hashing = (name: string): MaskedEntry => ({ type: "Consistent Value", metadata: {}, name, actionType: "Hashing" });
export const nullify = (name: string): MaskedEntry => ({ type: "Consistent Value", metadata: { constant: null }, name, actionType: "Nullify" });
export const constant = (name: string, value: string): MaskedEntry => ({
  type: "Consistent Value",
  metadata: { constant: value },
  name,
  actionType: "Constant",
});
export const customFunction = (name: string, sqlFunction: string): MaskedEntry => ({
  type: "Custom Function",
  metadata: { sqlFunction },
  name,
  actionType: "CustomFunction",
});
