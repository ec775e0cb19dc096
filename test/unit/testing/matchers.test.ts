/**
 * The assertions of `veil-policy/testing`: each passes when the decision holds, throws
 * PolicyAssertionError when it does not (with what did not hold and explain's account of
 * the decision), and `.not` inverts it without swallowing a request that fails.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine, explain, formatExplanation, unwrap, type EvaluationRequest } from "../../../src/index.js";
import { loadBundleFile } from "../../../src/node.js";
import { expectDecision, expectDiff, PolicyAssertionError } from "../../../src/testing.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const EXAMPLE = loadBundleFile(join(ROOT, "fixtures", "policy-tests", "example", "bundle"));
const BROKEN = loadBundleFile(join(ROOT, "fixtures", "policy-tests", "broken", "bundle"));
const CLAIMS = loadBundleFile(join(ROOT, "fixtures", "scenarios", "rows-purpose-restriction", "bundle-v2.yaml"));
const SEED = loadBundleFile(join(ROOT, "fixtures", "seed", "bundle.yaml"));
const SEED_AFTER = loadBundleFile(join(ROOT, "docs", "examples", "web-sales-after.yaml"));

/** The error an assertion throws (fails the test when it throws nothing). */
function thrown(f: () => unknown): PolicyAssertionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyAssertionError);
    return e as PolicyAssertionError;
  }
  throw new Error("expected the assertion to fail");
}

async function rejected(p: Promise<unknown>): Promise<PolicyAssertionError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyAssertionError);
    return e as PolicyAssertionError;
  }
  throw new Error("expected the assertion to fail");
}

/** The explanation in a failure message, without the message's indentation. */
const explanationIn = (message: string) => {
  const at = message.indexOf("\n\nexplain:\n");
  expect(at).toBeGreaterThan(0);
  return message.slice(at + "\n\nexplain:\n".length).replace(/^ {2}/gm, "");
};
const explained = (bundle: typeof EXAMPLE, request: EvaluationRequest) => formatExplanation(unwrap(explain(unwrap(bundle), request))).replace(/\n+$/, "");

const ben = { user: "Ben", dataSource: "Customers" } as const;
const ana = { user: "Ana", dataSource: "Customers" } as const;

describe("expectDecision", () => {
  it("toMask: with and without an actionType", () => {
    expectDecision(EXAMPLE, ana).toMask("EMAIL", "Hashing");
    expectDecision(EXAMPLE, ana).toMask("EMAIL");
    const e = thrown(() => expectDecision(EXAMPLE, ana).toMask("EMAIL", "Nullify"));
    expect(e.message.split("\n")[0]).toBe("user Ana on Customers: EMAIL: expected a Nullify mask, got Hashing");
    expect({ actual: e.actual, expected: e.expected }).toEqual({ actual: "Hashing", expected: "Nullify" });
    expect(thrown(() => expectDecision(EXAMPLE, ana).toMask("REGION")).message).toMatch(
      /^user Ana on Customers: REGION: expected a mask, got no mask \(in clear\)/,
    );
  });

  it("a failure carries explain's account of the decision, exactly as formatExplanation writes it", () => {
    const e = thrown(() => expectDecision(BROKEN, ben).toShowColumn("EMAIL"));
    expect(e.message.split("\n")[0]).toBe("user Ben on Customers: EMAIL: expected in clear, got a Hashing mask");
    expect(explanationIn(e.message)).toBe(explained(BROKEN, ben));
    expect(e.message).toContain("Privacy Team");
  });

  it("toShowColumn", () => {
    expectDecision(EXAMPLE, ben).toShowColumn("EMAIL");
    expectDecision(EXAMPLE, ana).toShowColumn("CUSTOMER_ID");
    thrown(() => expectDecision(EXAMPLE, ana).toShowColumn("EMAIL"));
  });

  it("toSeeVisibilities: exactly these, in any order", () => {
    expectDecision(EXAMPLE, ana).toSeeVisibilities([{ REGION: "EU" }]);
    const e = thrown(() => expectDecision(EXAMPLE, ana).toSeeVisibilities([{ REGION: "EU" }, { REGION: "US" }]));
    expect(e.message.split("\n")[0]).toBe('user Ana on Customers: visibilities: expected [{"REGION":"EU"},{"REGION":"US"}], got [{"REGION":"EU"}]');
    thrown(() => expectDecision(EXAMPLE, ana).toSeeVisibilities([]));
    expectDecision(EXAMPLE, { user: "Ana", dataSource: "Orders" }).toSeeVisibilities([]);
    const both = { user: { profileId: 98, name: "Eve", groups: ["EU", "US"] }, dataSource: "Customers" };
    expectDecision(EXAMPLE, both).toSeeVisibilities([{ REGION: "EU" }, { REGION: "US" }]);
    expectDecision(EXAMPLE, both).toSeeVisibilities([{ REGION: "US" }, { REGION: "EU" }]);
  });

  it("toSeeRows", () => {
    expectDecision(EXAMPLE, ana).toSeeRows("filtered");
    expectDecision(EXAMPLE, { user: "Cy", dataSource: "Customers" }).toSeeRows("none");
    expectDecision(EXAMPLE, { user: "Ana", dataSource: "Orders" }).toSeeRows("all");
    expect(thrown(() => expectDecision(EXAMPLE, ana).toSeeRows("all")).message.split("\n")[0]).toBe("user Ana on Customers: rows: expected all, got filtered");
  });

  it("toBeDenied: a purpose restriction", () => {
    expectDecision(CLAIMS, { user: "Dan", dataSource: "Claims" }).toBeDenied();
    expectDecision(CLAIMS, { user: "Cleo", dataSource: "Claims" }).not.toBeDenied();
    expectDecision(CLAIMS, { user: "Dan", dataSource: "Claims", projectId: 3101 }).not.toBeDenied();
    const e = thrown(() => expectDecision(CLAIMS, { user: "Cleo", dataSource: "Claims" }).toBeDenied());
    expect(e.message.split("\n")[0]).toBe("user Cleo on Claims: expected the user to be denied, but no purpose restriction denies them");
    expect(thrown(() => expectDecision(CLAIMS, { user: "Dan", dataSource: "Claims" }).not.toBeDenied()).message).toMatch(
      /^user Dan on Claims: expected not to be denied, but it is\n\nexplain:\n/,
    );
  });

  it(".not inverts each assertion, with the explanation when it fails", () => {
    expectDecision(EXAMPLE, ben).not.toMask("EMAIL");
    expectDecision(EXAMPLE, ana).not.toMask("EMAIL", "Nullify");
    expectDecision(EXAMPLE, ana).not.toShowColumn("EMAIL");
    expectDecision(EXAMPLE, ana).not.toSeeRows("none");
    const e = thrown(() => expectDecision(EXAMPLE, ana).not.toMask("EMAIL", "Hashing"));
    expect(e.message.split("\n")[0]).toBe("user Ana on Customers: expected not to mask EMAIL with Hashing, but it is");
    expect(explanationIn(e.message)).toBe(explained(EXAMPLE, ana));
  });

  it("a request that fails fails the assertion, with or without .not", () => {
    const who = { user: "Zed", dataSource: "Customers" };
    expect(thrown(() => expectDecision(EXAMPLE, who).toMask("EMAIL")).message).toBe(
      "user Zed on Customers: the request failed:\nerror: user: unknown user `Zed`; known: 1 (Ana), 2 (Ben), 3 (Cy)",
    );
    expect(thrown(() => expectDecision(EXAMPLE, who).not.toMask("EMAIL")).message).toContain("unknown user `Zed`");
  });

  it("toMatch takes a whole expectation of a test file", () => {
    expectDecision(EXAMPLE, ana).toMatch({ masked: { EMAIL: "Hashing" }, rows: "filtered", visibilities: [{ REGION: "EU" }] });
    expectDecision(EXAMPLE, { user: "Zed", dataSource: "Orders" }).toMatch({ error: "unknown user" });
    const e = thrown(() => expectDecision(EXAMPLE, ana).toMatch({ masked: { EMAIL: "Nullify" }, rows: "all" }));
    expect(e.message.split("\n").slice(0, 2)).toEqual([
      "user Ana on Customers: EMAIL: expected a Nullify mask, got Hashing",
      "rows: expected all, got filtered",
    ]);
  });

  it("takes a parsed bundle, a loader's Result, or an engine; an invalid bundle is a failure naming its problems", () => {
    expectDecision(unwrap(EXAMPLE), ana).toMask("EMAIL", "Hashing");
    expectDecision(createEngine(unwrap(EXAMPLE)), ana).toMask("EMAIL", "Hashing");
    const bad = loadBundleFile(join(ROOT, "docs", "examples", "web-sales-typo.yaml"));
    expect(thrown(() => expectDecision(bad, ana)).message).toMatch(/^the bundle is invalid:\nerror: .*unknown masking type `Scramble`/);
  });

  it("a user profile not in the bundle", () => {
    expectDecision(EXAMPLE, { user: { profileId: 99, name: "Dee", groups: ["Privacy", "EU"] }, dataSource: "Customers" }).toShowColumn("EMAIL");
  });
});

describe("expectDiff", () => {
  const cell = { user: 2, dataSource: "Web Sales" } as const;

  it("toChange: a column unmasked, with its mask before", async () => {
    await expectDiff(SEED, SEED_AFTER).toChange({ ...cell, column: "WS_SOLD_DATE_SK", change: "unmasked" });
    await expectDiff(SEED, SEED_AFTER).toChange({ ...cell, column: "WS_SOLD_DATE_SK", change: "unmasked", from: "Nullify" });
    await expectDiff(SEED, SEED_AFTER).toChange({ ...cell, change: "unmasked" });
    await expectDiff(SEED, SEED_AFTER).toChange({ ...cell, change: "rows", from: "all", to: "filtered" });
    await expectDiff(SEED, SEED_AFTER).toChange({ user: "Jane", dataSource: 16, change: "filters" });
    // The other way round, the same columns are masked again.
    await expectDiff(SEED_AFTER, SEED).toChange({ ...cell, column: "WS_BILL_CUSTOMER_SK", change: "masked", to: "Nullify" });
  });

  it("a change that is not there fails, listing what did change and explaining the decision after", async () => {
    const e = await rejected(expectDiff(SEED, SEED_AFTER).toChange({ ...cell, column: "WS_SOLD_DATE_SK", change: "masked" }));
    expect(e.message).toMatch(
      /^expected the diff to include user 2 on Web Sales: WS_SOLD_DATE_SK masked; what changed there:\n {2}WS_SOLD_DATE_SK: Nullify → clear\n {2}WS_BILL_CUSTOMER_SK: Nullify → clear\n {2}rows: all → filtered\n/,
    );
    expect(explanationIn(e.message)).toBe(explained(SEED_AFTER, { user: 2, dataSource: 16 }));
    await rejected(expectDiff(SEED, SEED_AFTER).toChange({ ...cell, change: "rows", to: "none" }));
    await rejected(expectDiff(SEED, SEED_AFTER).toChange({ ...cell, change: "denied" }));
  });

  it("nothing changed there", async () => {
    const e = await rejected(expectDiff(SEED, SEED).toChange({ ...cell, change: "unmasked" }));
    expect(e.message).toMatch(/^expected the diff to include user 2 on Web Sales: unmasked; nothing changed there\n\nexplain:\n/);
  });

  it(".not.toChange and toChangeNothing", async () => {
    await expectDiff(SEED, SEED_AFTER).not.toChange({ ...cell, change: "denied" });
    await rejected(expectDiff(SEED, SEED_AFTER).not.toChange({ ...cell, change: "unmasked" }));
    await expectDiff(SEED, SEED).toChangeNothing();
    const e = await rejected(expectDiff(SEED, SEED_AFTER).toChangeNothing());
    expect(e.message).toBe(
      "expected no change, got 1 changed (user, source) cells:\n  user 2 on 16: WS_SOLD_DATE_SK: Nullify → clear\n  user 2 on 16: WS_BILL_CUSTOMER_SK: Nullify → clear\n  user 2 on 16: rows: all → filtered\n" +
        '  user 2 on 16: filters: {} → {"customWhere":{"predicate":"WS_SOLD_DATE_SK >= 2451545"}}',
    );
  });

  it("an unknown user or source is a failure naming it", async () => {
    const e = await rejected(expectDiff(SEED, SEED_AFTER).toChange({ user: "Zed", dataSource: 16, change: "unmasked" }));
    expect(e.message).toContain("unknown user `Zed`");
  });
});
