/** `formatLint`: the table `veil lint` prints. */
import { describe, expect, it } from "vitest";
import { formatLint } from "../../../src/lint/index.js";
import { lintOf, mask, policy, source } from "./helpers.js";

describe("formatLint", () => {
  it("prints one aligned line per finding, then the counts", () => {
    const r = lintOf({
      dataSources: [source(1, "Loans", [{ name: "TERM", dataType: "integer", tags: ["Loan"] }])],
      globalPolicies: [policy(1, "Hash", [mask("Loan")]), policy(2, "Null", [mask("Loan", { type: "Null" })])],
    });
    expect(formatLint(r)).toBe(
      [
        "severity  code             path                                   message",
        "warning   type-fallback    globalPolicies[0].actions[0].rules[0]  on column `TERM` (`integer`) of `Loans`, the mask Hashing cannot produce the column's type: binding applies Nullify instead",
        "info      column-conflict  dataSources[0].columns[0]              2 masking policies reach column `TERM` of `Loans`; `Hash` (tag `Loan`) wins over `Null` (tag `Loan`): authored first: created 2023-01-01T00:00:00.000Z, before 2023-01-02T00:00:00.000Z",
        "0 errors, 1 warning, 1 info",
        "",
      ].join("\n"),
    );
  });

  it("says so when there is nothing to report", () => {
    expect(formatLint({ findings: [], summary: { errors: 0, warnings: 0, infos: 0 } })).toBe("no findings\n0 errors, 0 warnings, 0 infos\n");
  });
});
