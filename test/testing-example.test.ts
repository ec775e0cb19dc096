/**
 * A policy change tested the way a user tests theirs, with `veil-policy/testing`
 * (imported here from the sources). README.md's "Testing a policy change" shows this
 * file's tests; test/unit/testing/readme-example.test.ts keeps the two the same.
 */
// README example starts
import { describe, it } from "vitest";
import { loadBundleFile } from "../src/node.js";
import { expectDecision, expectDiff } from "../src/testing.js";

const before = loadBundleFile("fixtures/seed/bundle.yaml");
const after = loadBundleFile("docs/examples/web-sales-after.yaml");
const jane = { user: "Jane", dataSource: "Web Sales" };

describe("excepting Analysts from the Confidential policy", () => {
  it("shows Jane, an analyst, the sold date in clear", async () => {
    expectDecision(before, jane).toMask("WS_SOLD_DATE_SK", "Nullify");
    expectDecision(after, jane).toShowColumn("WS_SOLD_DATE_SK");
    await expectDiff(before, after).toChange({ ...jane, column: "WS_SOLD_DATE_SK", change: "unmasked" });
  });

  it("keeps her rows to sales since 2000", async () => {
    expectDecision(after, jane).toSeeRows("filtered");
    await expectDiff(before, after).toChange({ ...jane, change: "rows", from: "all", to: "filtered" });
  });

  it("denies her nothing", () => {
    expectDecision(after, jane).not.toBeDenied();
  });
});
// README example ends
