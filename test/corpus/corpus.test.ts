/**
 * The real-world corpus (shared/corpus/real-world, see its INDEX.md): every policy
 * loads, YAML and JSON twins normalise identically, the invalid file fails with its
 * line and column, and each masking policy decides exactly what the spec says for
 * users inside and outside its audiences. Masking cases live in `masking-cases.ts`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatIssue } from "../../src/errors.js";
import { loadBundleFile } from "../../src/io/load.js";
import type { Bundle } from "../../src/model/bundle.js";
import { CORPUS, INVALID_DIR, changedOnApply, YAML_DIR, corpusFile, corpusJsonFiles, corpusYamlFiles, dataSource, factsOf, harness, rawPolicy, rawRuleTypes, skippedOf, user, type Harness } from "./helpers.js";
import { MASKING_CASES } from "./masking-cases.js";

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

  it("keeps quoted YAML scalars as strings (`\"9999.00\"`, `\"99.9\"`)", () => {
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
          expect(plan.rowRules).toEqual([]);
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

const ROW_PREFIXES = Array.from({ length: 14 }, (_, i) => `pttep-${String(i + 8).padStart(2, "0")}-`);
const STAGED_ROW = new Set(["pttep-10-", "pttep-15-"]);

describe("row policies", () => {
  it("are exactly pttep-08..21", () => {
    const rowFiles = corpusJsonFiles()
      .filter((f) => !f.endsWith(".src.json"))
      .filter((f) => rawRuleTypes(JSON.parse(readFileSync(join(CORPUS, f), "utf8")) as Record<string, unknown>).some((t) => t in ROW_KINDS));
    expect(rowFiles.map((f) => f.slice(0, 9))).toEqual(ROW_PREFIXES);
  });

  describe.each(ROW_PREFIXES)("%s", (prefix) => {
    const raw = rawPolicy(prefix);
    const staged = STAGED_ROW.has(prefix);

    it("normalises to row rules of the authored kinds, in order", () => {
      const bundle = load(join(CORPUS, corpusFile(prefix)));
      expect(bundle.globalPolicies).toHaveLength(1);
      expect(bundle.subscriptionPolicies).toHaveLength(0);
      const p = bundle.globalPolicies[0]!;
      expect(p.name).toBe(raw["name"]);
      expect(p.staged).toBe(staged);
      const rules = p.actions.flatMap((a) => a.rules);
      const expected = rawRuleTypes(raw).map((t) => ROW_KINDS[t]);
      expect(expected.every((k) => k !== undefined)).toBe(true);
      expect(rules.map((r) => (r.kind === "row" ? r.rowKind : r.kind))).toEqual(expected);
    });

    let h: Harness;
    beforeAll(() => {
      h = harness(raw, [dataSource(1, factsOf(raw), [{ name: "col", dataType: "text" }])], [user(1, "anyone"), user(2, "grouped", ["some group"])]);
    });

    if (staged) {
      it("binds nothing (staged) and evaluates fine", () => {
        const plan = h.plan(1);
        expect(plan.rowRules).toEqual([]);
        expect(skippedOf(plan)).toEqual([{ name: String(raw["name"]), reason: "staged" }]);
        const info = h.engine.policyInfo({ dataSource: 1, user: 1 });
        expect(info).toEqual({ ok: true, value: { visibilities: [], visibilityRuleApplies: false, masked: [], additionalFilters: {} } });
      });
    } else {
      it("binds every row rule to a data source meeting its circumstances", () => {
        const plan = h.plan(1);
        expect(plan.skipped).toEqual([]);
        expect(plan.rowRules).toHaveLength(rawRuleTypes(raw).length);
      });

      it.each([1, 2])("policyInfo for user %i fails closed as unsupported", (u) => {
        const info = h.engine.policyInfo({ dataSource: 1, user: u });
        expect(info.ok).toBe(false);
        if (info.ok) return;
        expect(info.issues).toHaveLength(1);
        expect(info.issues[0]!.code).toBe("unsupported");
        expect(info.issues[0]!.message).toContain("row policies are not supported yet");
        expect(info.issues[0]!.path.slice(0, 2)).toEqual(["globalPolicies", 0]);
      });
    }
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
