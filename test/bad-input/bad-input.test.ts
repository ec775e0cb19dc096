/**
 * Malformed bundles: each must be rejected (never thrown) with one issue that names
 * the exact JSON path, a stable code, and a message a user can act on
 * (bundle-and-cli.md: "unknown keys are errors … with the JSON path in the message";
 * "the message names the offending value and, where a fixed set is allowed, the
 * accepted values"; "a YAML or JSON syntax error names the file, line and column").
 *
 * Every case starts from fixtures/seed/bundle.yaml and changes one thing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { IssueCode, Result, VeilIssue } from "../../src/errors.js";
import { loadBundleTexts } from "../../src/model/documents.js";
import { parseBundle } from "../../src/model/bundle.js";

const SEED_FILE = join(import.meta.dirname, "..", "..", "fixtures", "seed", "bundle.yaml");
const SEED_TEXT = readFileSync(SEED_FILE, "utf8");

// Loose on purpose: the tests mutate the raw document freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

/** A fresh, mutable copy of the seed bundle as plain data. */
const seed = (): Raw => parse(SEED_TEXT) as Raw;

/** The seed with one change applied. */
function mutated(change: (b: Raw) => void): Raw {
  const b = seed();
  change(b);
  return b;
}

/** A V2 data policy with one rule. */
const v2Policy = (rule: Raw, extra: Raw = {}): Raw => ({ id: 30, name: "V2 Policy", type: "data", actions: [{ rules: [rule] }], ...extra });

/** A V2 masking rule on the seed's `Confidential` tag. */
const v2Mask = (maskingConfig: Raw, extra: Raw = {}): Raw => ({
  type: "Masking",
  config: { fields: [{ type: "columnTags", columnTag: "Confidential" }], maskingConfig },
  ...extra,
});

/** Path of the seed's single v1 masking rule. */
const V1_RULE = ["globalPolicies", 0, "actions", 0, "rules", 0] as const;
/** Path of the single rule of a V2 policy at `globalPolicies[0]`. */
const V2_RULE = ["globalPolicies", 0, "actions", 0, "rules", 0] as const;

/** Asserts exactly one issue and returns it. */
function onlyIssue<T>(r: Result<T>): VeilIssue {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error("expected the bundle to be rejected");
  expect(r.issues).toHaveLength(1);
  return r.issues[0]!;
}

/** Asserts a single issue with this code and path whose message contains every fragment. */
function expectIssue<T>(r: Result<T>, code: IssueCode, path: readonly (string | number)[], ...fragments: string[]): VeilIssue {
  const i = onlyIssue(r);
  expect(i.path).toEqual(path);
  expect(i.code).toBe(code);
  for (const f of fragments) expect(i.message).toContain(f);
  return i;
}

it("the seed itself is valid (every case below is one change away from it)", () => {
  expect(parseBundle(seed()).ok).toBe(true);
  expect(loadBundleTexts([{ file: "bundle.yaml", text: SEED_TEXT }]).ok).toBe(true);
});

describe("columns", () => {
  it("rejects a dataType that is not a string", () => {
    const r = parseBundle(mutated((b) => (b.dataSources[0].columns[1].dataType = 5)));
    expectIssue(r, "invalid_input", ["dataSources", 0, "columns", 1, "dataType"], "expected string", "number");
  });

  it("rejects an unknown dataType name and lists the accepted types", () => {
    const r = parseBundle(mutated((b) => (b.dataSources[0].columns[1].dataType = "varchr")));
    const i = expectIssue(r, "invalid_input", ["dataSources", 0, "columns", 1, "dataType"], "unknown data type `varchr`", "accepted");
    for (const t of ["text", "varchar", "integer", "bigint", "numeric", "decimal", "double", "boolean", "date", "timestamp", "json"]) {
      expect(i.message).toContain(t);
    }
  });

  it("rejects duplicate column names, pointing at the second one", () => {
    const r = parseBundle(mutated((b) => b.dataSources[0].columns.push({ name: "WS_ITEM_SK", dataType: "text" })));
    expectIssue(r, "duplicate_id", ["dataSources", 0, "columns", 5, "name"], "duplicate column `WS_ITEM_SK`", "index 1");
  });
});

describe("masking types", () => {
  it("rejects an unknown v1 masking type (`maskingConfig.type`) and lists the v1 types", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies[0].actions[0].rules[0].config.maskingConfig.type = "Scramble")));
    expectIssue(
      r,
      "invalid_input",
      [...V1_RULE, "config", "maskingConfig", "type"],
      "unknown masking type `Scramble`",
      "accepted:",
      "Consistent Value",
      "Regular Expression",
      "Custom Function",
    );
  });

  it("rejects an unknown V2 masking type, naming it and listing the V2 names", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies = [v2Policy(v2Mask({ type: "Scramble" }))])));
    expectIssue(
      r,
      "invalid_input",
      [...V2_RULE, "config", "maskingConfig", "type"],
      "unknown masking type `Scramble`",
      "accepted:",
      "Hash",
      "Null",
      "Constant",
      "Regex",
    );
  });

  it("rejects a v1 Regular Expression mask without `replacement`", () => {
    const r = parseBundle(
      mutated((b) => (b.globalPolicies[0].actions[0].rules[0].config.maskingConfig = { type: "Regular Expression", metadata: { regex: "\\d" } })),
    );
    expectIssue(r, "invalid_input", [...V1_RULE, "config", "maskingConfig", "metadata", "replacement"], "`Regular Expression` requires `replacement`");
  });

  it("rejects a V2 Regex mask without `replacement`", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies = [v2Policy(v2Mask({ type: "Regex", regex: "\\d" }))])));
    expectIssue(r, "invalid_input", [...V2_RULE, "config", "maskingConfig", "replacement"], "requires `replacement`");
  });

  it("rejects a V2 Constant mask without `constant`", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies = [v2Policy(v2Mask({ type: "Constant" }))])));
    expectIssue(r, "invalid_input", [...V2_RULE, "config", "maskingConfig", "constant"], "`Constant` requires a string `constant`");
  });
});

describe("duplicates and references", () => {
  it("rejects duplicate data source ids, pointing at the second one", () => {
    const r = parseBundle(mutated((b) => b.dataSources.push({ ...b.dataSources[0], name: "Web Sales Copy" })));
    expectIssue(r, "duplicate_id", ["dataSources", 1, "id"], "duplicate data source id `16`", "index 0");
  });

  it("rejects duplicate policy ids across v1 and V2 policies", () => {
    const r = parseBundle(mutated((b) => b.globalPolicies.push(v2Policy(v2Mask({ type: "Hash" }), { id: 9, name: "Same id" }))));
    expectIssue(r, "duplicate_id", ["globalPolicies", 1, "id"], "duplicate policy id `9`", "index 0");
  });

  it("rejects a user whose currentProject does not exist", () => {
    const r = parseBundle(mutated((b) => (b.users[0].currentProject = 7)));
    expectIssue(r, "unknown_reference", ["users", 0, "currentProject"], "unknown project `7`");
  });

  it("maps a duplicate in a second file back to that file and its in-file index", () => {
    const other = stringify({ dataSources: [{ id: 16, name: "Other", columns: [{ name: "A", dataType: "text" }] }] });
    const r = loadBundleTexts([
      { file: "a.yaml", text: SEED_TEXT },
      { file: "b.yaml", text: other },
    ]);
    const i = expectIssue(r, "duplicate_id", ["dataSources", 0, "id"], "duplicate data source id `16`");
    expect(i.file).toBe("b.yaml");
  });
});

describe("regexes", () => {
  it("rejects an invalid regex in a v1 columnRegex circumstance", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies[0].circumstances = [{ operator: "or", type: "columnRegex", columnRegex: { regex: "WS_(" } }])));
    const i = expectIssue(r, "invalid_regex", ["globalPolicies", 0, "circumstances", 0, "columnRegex", "regex"], "invalid regex `WS_(`");
    // The engine's reason, once: not V8's `/WS_(/: ` prefix repeating the pattern.
    expect(i.message).toBe("invalid regex `WS_(`: Unterminated group");
  });

  it("rejects an invalid regex in a V2 columnRegex circumstance", () => {
    const r = parseBundle(
      mutated((b) => (b.globalPolicies = [v2Policy(v2Mask({ type: "Hash" }), { circumstances: [{ type: "columnRegex", regex: "[a-" }] })])),
    );
    const i = expectIssue(r, "invalid_regex", ["globalPolicies", 0, "circumstances", 0, "regex"], "invalid regex `[a-`");
    expect(i.message).toBe("invalid regex `[a-`: Unterminated character class");
  });
});

describe("syntax errors", () => {
  it("reports invalid YAML with the file, line and column", () => {
    // Line 4 repeats `name`, whose key starts at column 5.
    const text = "users:\n  - profileId: 2\n    name: Jane\n    name: Joe\n";
    const i = expectIssue(loadBundleTexts([{ file: "users.yaml", text }]), "invalid_syntax", [], "invalid YAML at line 4, column 5", "unique");
    expect(i.file).toBe("users.yaml");
  });

  it("reports a YAML tab before a plain scalar with the file, line and column", () => {
    const text = "users:\n  - profileId:\t2\n    name: Jane\n";
    const i = expectIssue(loadBundleTexts([{ file: "tabs.yml", text }]), "invalid_syntax", [], "invalid YAML at line 2, column 15", "tab");
    expect(i.file).toBe("tabs.yml");
  });

  it("reports invalid JSON with the file, line and column", () => {
    // The second comma on line 3 is at column 21.
    const text = '{\n  "users": [\n    {"profileId": 2,, "name": "Jane"}\n  ]\n}\n';
    const i = expectIssue(loadBundleTexts([{ file: "users.json", text }]), "invalid_syntax", [], "invalid JSON at line 3, column 21");
    expect(i.file).toBe("users.json");
    expect(i.message).not.toMatch(/position \d+/);
  });
});

describe("unknown keys", () => {
  it("rejects a top-level typo (`globalPolicy`) from an object", () => {
    const r = parseBundle(
      mutated((b) => {
        b.globalPolicy = b.globalPolicies;
        delete b.globalPolicies;
      }),
    );
    expectIssue(r, "invalid_input", ["globalPolicy"], "unknown key `globalPolicy`");
  });

  it("rejects a top-level typo (`globalPolicy`) from a file, listing the accepted keys", () => {
    const b = seed();
    b.globalPolicy = b.globalPolicies;
    delete b.globalPolicies;
    const i = expectIssue(
      loadBundleTexts([{ file: "bundle.yaml", text: stringify(b) }]),
      "invalid_input",
      ["globalPolicy"],
      "unknown key `globalPolicy`",
      "accepted:",
      "globalPolicies",
    );
    expect(i.file).toBe("bundle.yaml");
  });

  it("rejects an unknown key inside a v1 rule (`exceptoins`) at the key's own path", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies[0].actions[0].rules[0].exceptoins = null)));
    expectIssue(r, "invalid_input", [...V1_RULE, "exceptoins"], "unknown key `exceptoins`");
  });

  it("rejects an unknown key inside a V2 rule (`exceptoins`) at the key's own path", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies = [v2Policy(v2Mask({ type: "Hash" }, { exceptoins: { groups: ["HR"] } }))])));
    expectIssue(r, "invalid_input", [...V2_RULE, "exceptoins"], "unknown key `exceptoins`");
  });

  it("rejects an unknown key inside a local (handler) rule at the key's own path", () => {
    const r = parseBundle(
      mutated(
        (b) =>
          (b.dataSources[0].policyHandler = {
            jsonPolicies: [
              {
                type: "masking",
                rules: [{ type: "masking", exceptoins: null, config: { fields: ["WS_ITEM_SK"], maskingConfig: { type: "Consistent Value" } } }],
              },
            ],
          }),
      ),
    );
    expectIssue(r, "invalid_input", ["dataSources", 0, "policyHandler", "jsonPolicies", 0, "rules", 0, "exceptoins"], "unknown key `exceptoins`");
  });
});

describe("rule types and conditions", () => {
  it("rejects an unknown V2 rule type and lists the accepted ones", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies = [v2Policy({ type: "Row Restriction by Magic", config: {} })])));
    expectIssue(
      r,
      "invalid_input",
      [...V2_RULE, "type"],
      "unknown rule type `Row Restriction by Magic`",
      "accepted:",
      "Masking",
      "Row Restriction by Custom Where Clause",
      "Row Restriction by Never",
    );
  });

  it("rejects an unknown v1 condition type, naming it and listing the accepted ones", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies[0].actions[0].rules[0].exceptions = { operator: "or", conditions: [{ type: "emails" }] })));
    expectIssue(
      r,
      "invalid_input",
      [...V1_RULE, "exceptions", "conditions", 0, "type"],
      "unknown condition type `emails`",
      "accepted: groups, authorizations, purposes",
    );
  });

  it("rejects an empty V2 exceptions object (`{operator: any}`)", () => {
    const r = parseBundle(mutated((b) => (b.globalPolicies = [v2Policy(v2Mask({ type: "Hash" }, { exceptions: { operator: "any" } }))])));
    expectIssue(r, "invalid_input", [...V2_RULE, "exceptions"], "needs at least one group, attribute, purpose or advanced expression");
  });

  it("rejects an unknown function in a V2 subscription policy's advanced expression", () => {
    const r = parseBundle(
      mutated((b) =>
        b.globalPolicies.push({
          id: 20,
          name: "Subscription",
          type: "subscription",
          actions: { type: "entitlements", entitlements: { advanced: "@isInGroup('x')" } },
        }),
      ),
    );
    expectIssue(
      r,
      "invalid_condition",
      ["globalPolicies", 1, "actions", "entitlements", "advanced"],
      "unknown function `@isInGroup`",
      "column 1",
      "@isInGroups",
    );
  });

  it("rejects an unknown function in a v1 subscription policy's advanced expression", () => {
    const r = parseBundle(
      mutated((b) =>
        b.globalPolicies.push({
          id: 20,
          name: "Subscription",
          type: "subscription",
          actions: [{ type: "subscription", subscriptionType: "policy", advanced: "@isInGroup('x')" }],
        }),
      ),
    );
    expectIssue(
      r,
      "invalid_condition",
      ["globalPolicies", 1, "actions", 0, "advanced"],
      "unknown function `@isInGroup`",
      "@isInGroups, @hasAttribute, @isUsingPurpose",
    );
  });
});
