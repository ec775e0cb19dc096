/**
 * The real-world corpus (fixtures/corpus, see its INDEX.md): every policy
 * loads, YAML and JSON twins normalise identically, the invalid file fails with its
 * line and column, and each masking policy decides exactly what the spec says for
 * users inside and outside its audiences. Masking cases live in `masking-cases.ts`;
 * each row policy binds and yields exactly the row filters and visibilities the spec
 * requires (`row-cases.ts`, `row-cases-po.ts`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatIssue } from "../../src/errors.js";
import { loadBundleFile } from "../../src/io/load.js";
import type { Bundle } from "../../src/model/bundle.js";
import type { VisibilityReport } from "../../src/report/visibility-report.js";
import {
  CORPUS,
  DEPT,
  INVALID_DIR,
  PO_DEPT,
  changedOnApply,
  YAML_DIR,
  corpusFile,
  corpusJsonFiles,
  corpusYamlFiles,
  dataSource,
  factsOf,
  harness,
  rawPolicy,
  rawRuleTypes,
  skippedOf,
  text,
  user,
  vis,
  type Harness,
} from "./helpers.js";
import { MASKING_CASES } from "./masking-cases.js";
import { ROW_CASES, type RowExpectation } from "./row-cases.js";
import { renderedPolicy } from "../../src/report/policy-json.js";

function load(path: string): Bundle {
  const r = loadBundleFile(path);
  if (!r.ok) throw new Error(`${path} did not load: ${JSON.stringify(r.issues)}`);
  return r.value;
}

describe("loading the corpus", () => {
  it("has the files INDEX.md lists", () => {
    expect(corpusJsonFiles()).toHaveLength(26);
    expect(corpusYamlFiles()).toHaveLength(22);
  });

  it.each(corpusJsonFiles())("loads %s", (file) => {
    const r = loadBundleFile(join(CORPUS, file));
    expect(r.ok ? [] : r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it.each(corpusYamlFiles())("loads yaml/%s and it normalises exactly like its JSON twin", (file) => {
    const r = loadBundleFile(join(YAML_DIR, file));
    expect(r.ok ? [] : r.issues).toEqual([]);
    const yamlBundle = load(join(YAML_DIR, file));
    const jsonBundle = load(join(CORPUS, file.replace(/\.yaml$/, ".json")));
    expect(yamlBundle).toStrictEqual(jsonBundle);
    expect(yamlBundle.globalPolicies.length + yamlBundle.subscriptionPolicies.length).toBe(1);
  });

  it("every pttep JSON file has a YAML twin", () => {
    const pttep = corpusJsonFiles().filter((f) => f.startsWith("pttep-"));
    expect(corpusYamlFiles().map((f) => f.replace(/\.yaml$/, ".json"))).toEqual(pttep);
  });

  const srcTwins = corpusJsonFiles().filter((f) => f.endsWith(".src.json"));
  it.each(srcTwins)("%s (compact, as sent) normalises exactly like its pretty twin", (file) => {
    expect(load(join(CORPUS, file))).toStrictEqual(load(join(CORPUS, file.replace(/\.src\.json$/, ".json"))));
  });

  it('keeps quoted YAML scalars as strings (`"9999.00"`, `"99.9"`)', () => {
    const mask = (prefix: string) => {
      const p = load(join(YAML_DIR, corpusFile(prefix).replace(/\.json$/, ".yaml"))).globalPolicies[0]!;
      const rule = p.actions[0]!.rules[0]!;
      return rule.kind === "masking" ? rule.mask : undefined;
    };
    expect(mask("pttep-04-")).toEqual({ type: "Consistent Value", metadata: { constant: "9999.00" } });
    expect(mask("pttep-03-")).toEqual({ type: "Consistent Value", metadata: { constant: "99.9" } });
    expect(mask("pttep-02-")).toEqual({ type: "Consistent Value", metadata: { constant: null } });
  });
});

describe("the invalid file", () => {
  const path = join(INVALID_DIR, "pttep-x01-invalid-yaml-tab-before-plain-scalar.yaml");

  it("fails with the line and column of the tab, and the file", () => {
    const r = loadBundleFile(path);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // Line 12 is `            predicate: \tEXTRACT(...)`: the tab is the 24th character.
    expect(readFileSync(path, "utf8").split("\n")[11]!.indexOf("\t")).toBe(23);
    const hit = r.issues.find((i) => i.message.includes("line 12") && i.message.includes("column 24"));
    expect(hit, JSON.stringify(r.issues)).toBeDefined();
    expect(hit!.file).toBe(path);
    expect(formatIssue(hit!)).toContain(path);
    expect(hit!.code).toBe("invalid_syntax");
  });
});

describe("masking policies", () => {
  it("every corpus policy with a masking rule has a case", () => {
    const withMasking = corpusJsonFiles()
      .filter((f) => !f.endsWith(".src.json"))
      .filter((f) => rawRuleTypes(JSON.parse(readFileSync(join(CORPUS, f), "utf8")) as Record<string, unknown>).some((t) => t.toLowerCase() === "masking"));
    expect(withMasking).toEqual(MASKING_CASES.map((c) => corpusFile(c.prefix)).sort());
  });

  for (const c of MASKING_CASES) {
    describe(`${c.prefix.slice(0, -1)}: ${c.title}`, () => {
      const policy = rawPolicy(c.prefix);
      const name = String(policy["name"]);
      // Built before the tests run, so a bundle that fails to parse fails this case only.
      let h: Harness;
      beforeAll(() => {
        h = harness(policy, c.dataSources(policy), c.users);
      });

      if (c.staged) {
        it.each(c.users.map((u) => [u.name, u.profileId] as const))("binds nothing (staged): %s sees every column in clear", (_n, id) => {
          expect(h.masked(1, id)).toEqual([]);
        });
        it("lists the policy as skipped, reason staged", () => {
          const plan = h.plan(1);
          expect(plan.columns).toEqual([]);
          expect(plan.rowPolicies).toEqual([]);
          expect(skippedOf(plan)).toEqual([{ name, reason: "staged" }]);
        });
      }

      for (const e of c.expect) {
        it(`${e.user} on ${(e.dataSource ?? 1) === 1 ? "the matching data source" : `data source ${e.dataSource}`}: ${e.why}`, () => {
          const u = c.users.find((x) => x.name === e.user);
          if (!u) throw new Error(`unknown user ${e.user}`);
          expect(h.masked(e.dataSource ?? 1, u.profileId)).toEqual(e.masked);
        });
      }

      for (const n of c.unbound ?? []) {
        it(`binds nothing on data source ${n.dataSource}: ${n.why}`, () => {
          const plan = h.plan(n.dataSource);
          expect(plan.columns).toEqual([]);
          expect(skippedOf(plan)).toEqual([{ name, reason: "circumstances" }]);
          for (const u of c.users) expect(h.masked(n.dataSource, u.profileId)).toEqual([]);
        });
      }

      for (const [column, changed] of Object.entries(c.changedOnApply ?? {})) {
        it(`records changedOnApply ${JSON.stringify(changed)} on ${column}`, () => {
          expect(changedOnApply(h.plan(1), column)).toEqual(changed);
        });
      }
    });
  }
});

/** V2 row rule types → the normalised row kind (semantics §5). */
const ROW_KINDS: Record<string, string> = {
  "Row Restriction by Custom Where Clause": "customWhere",
  "Row Restriction by User Entitlements": "entitlements",
};

/** policyInfo with no row output and nothing masked. */
const NO_ROWS = { visibilities: [], visibilityRuleApplies: false, masked: [], additionalFilters: {} };
const REPORT_KEYS = [
  "noVisibilities",
  "dataSourceVisibilitiesCount",
  "userVisibilitiesCount",
  "masked",
  "dataSource",
  "dataSourceName",
  "additionalFilters",
  "allowMaskedJoins",
  "policySet",
];

/** The policyInfo a row expectation stands for (semantics §6). */
function expectedInfo(e: RowExpectation) {
  return {
    visibilities: e.visible ?? [],
    visibilityRuleApplies: e.visible !== undefined,
    masked: [],
    additionalFilters: e.where === undefined ? {} : { customWhere: { predicate: e.where } },
  };
}

type RenderedRule = { type: string; config: Record<string, unknown>; ruleAppliedForUser: boolean };
const policySetOf = (r: VisibilityReport) => JSON.parse(r.policySet) as { type: string; rules: RenderedRule[] }[];

describe("row policies", () => {
  it("are exactly pttep-08..21, one case each", () => {
    const rowFiles = corpusJsonFiles()
      .filter((f) => !f.endsWith(".src.json"))
      .filter((f) => rawRuleTypes(JSON.parse(readFileSync(join(CORPUS, f), "utf8")) as Record<string, unknown>).some((t) => t in ROW_KINDS));
    expect(rowFiles.map((f) => f.slice(0, 9))).toEqual(Array.from({ length: 14 }, (_, i) => `pttep-${String(i + 8).padStart(2, "0")}-`));
    expect(ROW_CASES.map((c) => corpusFile(c.prefix))).toEqual(rowFiles);
    expect(ROW_CASES.filter((c) => c.staged).map((c) => c.prefix)).toEqual(["pttep-10-", "pttep-15-"]);
  });

  for (const c of ROW_CASES) {
    describe(`${c.prefix.slice(0, -1)}: ${c.title}`, () => {
      const raw = rawPolicy(c.prefix);
      const name = String(raw["name"]);
      const kinds = rawRuleTypes(raw).map((t) => ROW_KINDS[t]);
      const rawConfigs = ((raw["actions"] as Record<string, unknown>[])[0]!["rules"] as { config: Record<string, unknown> }[]).map((r) => r.config);

      it("normalises to row rules of the authored kinds, in order", () => {
        const p = load(join(CORPUS, corpusFile(c.prefix))).globalPolicies[0]!;
        expect(p.name).toBe(name);
        expect(p.staged).toBe(c.staged === true);
        expect(kinds.every((k) => k !== undefined)).toBe(true);
        expect(p.actions.flatMap((a) => a.rules).map((r) => (r.kind === "row" ? r.rowKind : r.kind))).toEqual(kinds);
      });

      if (c.staged) {
        let s: Harness;
        beforeAll(() => {
          s = harness(raw, c.dataSources(raw), c.users);
        });
        it("binds nothing (staged): no row output for anyone", () => {
          const plan = s.plan(1);
          expect(plan.rowPolicies).toEqual([]);
          expect(plan.columns).toEqual([]);
          expect(skippedOf(plan)).toEqual([{ name, reason: "staged" }]);
          for (const u of c.users) {
            expect(s.info(1, u.profileId)).toEqual(NO_ROWS);
            expect(s.report(1, u.profileId).noVisibilities).toBe(true);
          }
        });
        if (!c.evaluateLive) return;
      }

      // A staged case with `evaluateLive` is exercised on a copy made live.
      const policy = c.staged ? { ...raw, staged: false } : raw;
      let h: Harness;
      beforeAll(() => {
        h = harness(policy, c.dataSources(policy), c.users);
      });

      it(`binds one row policy with all ${kinds.length} rules to data source 1, rendered as authored`, () => {
        const plan = h.plan(1);
        expect(plan.skipped).toEqual([]);
        expect(plan.rowPolicies).toHaveLength(1);
        expect(plan.rowPolicies[0]!.rules.map((r) => r.ruleIndex)).toEqual(kinds.map((_, i) => i));
        expect(plan.rowColumns).toEqual(c.rowColumns);
        expect(plan.visibilities).toHaveLength(c.visibilitiesCount);
        const rendered = renderedPolicy(plan.rowPolicies[0]!);
        expect(rendered.type).toBe("rowOrObjectRestriction");
        rendered.rules.forEach((r, i) => {
          if (kinds[i] === "customWhere") {
            // The authored config, builder keys (column/invert/values) included; the predicate unexpanded.
            expect(r).toMatchObject({ type: "customWhere", config: rawConfigs[i] });
            expect(Object.keys(r["config"] as object).sort()).toEqual(Object.keys(rawConfigs[i]!).sort());
          } else {
            const matches = rawConfigs[i]!["matches"] as { attribute: string }[];
            const operator = rawConfigs[i]!["operator"] === "all" ? "and" : "or";
            const conditions = matches.map((m) => ({ type: "authorizations", authorization: { auth: m.attribute }, field: c.rowColumns[0] }));
            expect(r).toMatchObject({ type: "visibility", config: { qualifications: { operator, conditions } } });
          }
        });
      });

      const builders = rawConfigs.flatMap((cfg, i) => ("column" in cfg ? [i] : []));
      if (builders.length > 0) {
        it(`keeps the builder form of rules ${builders.map((i) => i + 1).join(", ")} (column, invert, values) beside its @columnTagged predicate`, () => {
          const rules = renderedPolicy(h.plan(1).rowPolicies[0]!).rules;
          for (const i of builders) {
            expect(rawConfigs[i]).toMatchObject({ column: { name: "Data Entity.PO.Department", type: "tag" }, invert: false });
            expect(rules[i]!["config"]).toEqual({
              predicate: rawConfigs[i]!["predicate"],
              column: rawConfigs[i]!["column"],
              invert: false,
              values: rawConfigs[i]!["values"],
            });
          }
        });
      }

      for (const e of c.expect) {
        const dsId = e.dataSource ?? 1;
        const on = dsId === 1 ? "the matching data source" : `data source ${dsId}`;
        it(`${e.user} on ${on}: ${e.why}`, () => {
          const u = c.users.find((x) => x.name === e.user);
          if (!u) throw new Error(`unknown user ${e.user}`);
          const info = h.info(dsId, u.profileId);
          expect(info).toEqual(expectedInfo(e));
          if (dsId !== 1) return;
          const report = h.report(1, u.profileId);
          expect(Object.keys(report)).toEqual(REPORT_KEYS);
          expect(report).toMatchObject({
            noVisibilities: false,
            dataSourceVisibilitiesCount: c.visibilitiesCount,
            masked: [],
            additionalFilters: info.additionalFilters,
          });
          expect(report.userVisibilitiesCount).toBe(e.visible ? e.visible.length : c.visibilitiesCount);
          const set = policySetOf(report);
          expect(set).toHaveLength(1);
          expect(set[0]!.rules.map((r) => r.ruleAppliedForUser)).toEqual(kinds.map((_, i) => i === e.rule));
        });
      }

      for (const n of c.unbound ?? []) {
        it(`binds nothing on data source ${n.dataSource}: ${n.why}`, () => {
          const plan = h.plan(n.dataSource);
          expect(plan.rowPolicies).toEqual([]);
          expect(skippedOf(plan)).toEqual([{ name, reason: "circumstances" }]);
          for (const u of c.users) expect(h.info(n.dataSource, u.profileId)).toEqual(NO_ROWS);
        });
      }

      for (const n of c.untagged ?? []) {
        it(`does not bind its action on data source ${n.dataSource} (untaggedColumn): ${n.why}`, () => {
          const plan = h.plan(n.dataSource);
          expect(plan.rowPolicies).toEqual([]);
          expect(plan.skipped.map((s) => ({ name: s.policy.name, reason: s.reason, actionIndex: s.actionIndex, detail: s.detail }))).toEqual([
            { name, reason: "untaggedColumn", actionIndex: 0, detail: n.detail },
          ]);
          for (const u of c.users) {
            expect(h.info(n.dataSource, u.profileId)).toEqual(NO_ROWS);
            expect(h.report(n.dataSource, u.profileId)).toMatchObject({ noVisibilities: true, policySet: "[]" });
          }
        });
      }
    });
  }

  describe("several row policies on one source", () => {
    const policies = ["pttep-08-", "pttep-19-", "pttep-12-"].map(rawPolicy);
    const columns = [text("TABNAME"), text("ASSET"), text("rls_department", [PO_DEPT])];
    const source = {
      ...dataSource(1, { tags: policies.flatMap((p) => factsOf(p).tags), columnTags: [] }, columns),
      visibilities: vis("rls_department", "ECM", "OSS"),
    };
    const users = [user(1, "nobody"), user(2, "svc-035", ["svc-035@project.iam.example.com"]), user(3, "ECM", [], { [DEPT]: ["ECM"] })];
    let h: Harness;
    beforeAll(() => {
      h = harness(policies, [source], users);
    });

    it("AND their predicates, each parenthesised, in policy order", () => {
      expect(h.plan(1).rowPolicies).toHaveLength(3);
      expect(h.info(1, 1).additionalFilters).toEqual({ customWhere: { predicate: "(TABNAME in ('QMFE', 'QMUR')) AND (1=1) AND (1=1)" } });
      expect(h.info(1, 2).additionalFilters).toEqual({ customWhere: { predicate: "(TABNAME in ('QMFE', 'QMUR')) AND (ASSET = 'G1/61') AND (1=1)" } });
    });

    it("combine an entitlements rule with the others' predicates", () => {
      expect(h.info(1, 3)).toEqual({
        visibilities: [{ rls_department: "ECM" }],
        visibilityRuleApplies: true,
        masked: [],
        additionalFilters: { customWhere: { predicate: "(TABNAME in ('QMFE', 'QMUR')) AND (1=1)" } },
      });
      const report = h.report(1, 3);
      expect(report).toMatchObject({ noVisibilities: false, dataSourceVisibilitiesCount: 2, userVisibilitiesCount: 1 });
      expect(policySetOf(report).map((p) => p.rules.map((r) => r.ruleAppliedForUser))).toHaveLength(3);
    });
  });
});

describe("subscription policies", () => {
  it("pttep-22 (V2 entitlements, staged) loads as a subscription policy", () => {
    const b = load(join(CORPUS, corpusFile("pttep-22-")));
    expect(b.globalPolicies).toEqual([]);
    expect(b.subscriptionPolicies).toHaveLength(1);
    expect(b.subscriptionPolicies[0]).toMatchObject({
      name: "Operations Engineering Arthit PDMS",
      staged: true,
      deleted: false,
      subscriptionType: "policy",
      allowDiscovery: false,
      automaticSubscription: true,
      shareResponsibility: false,
      circumstances: [
        { join: "and", circumstance: { kind: "tags", tag: "ODS.ods_pdms_arthit_hq_datastore" } },
        { join: "and", circumstance: { kind: "tags", tag: "Environment.DEV" } },
      ],
    });
    expect(b.subscriptionPolicies[0]!.audience?.report).toEqual({ operator: "and", conditions: [{ type: "groups", group: { name: "ODC-S Staff" } }] });
  });

  it("fh-immuta-utils-02 (v1 policy subscription, id null) loads as a subscription policy", () => {
    const b = load(join(CORPUS, corpusFile("fh-immuta-utils-02-")));
    expect(b.globalPolicies).toEqual([]);
    expect(b.subscriptionPolicies).toHaveLength(1);
    expect(b.subscriptionPolicies[0]).toMatchObject({
      name: "valid_db_sub_policy_subscription_policy",
      staged: false,
      subscriptionType: "policy",
      allowDiscovery: false,
      automaticSubscription: true,
      circumstances: [{ join: "or", circumstance: { kind: "tags", tag: "group01" } }],
    });
    expect(b.subscriptionPolicies[0]!.audience?.report).toEqual({ operator: "or", conditions: [{ type: "groups", group: { name: "group01" } }] });
  });
});
