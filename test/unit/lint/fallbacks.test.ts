/** `type-fallback`: a winning mask binding cannot fit to its column's type becomes Nullify. */
import { describe, expect, it } from "vitest";
import { lintOf, mask, only, policy, source } from "./helpers.js";

const loans = source(1, "Loans", [
  { name: "TERM", dataType: "integer", tags: ["Loan.Term"] },
  { name: "NOTE", dataType: "text", tags: ["Loan.Note"] },
]);

describe("type-fallback", () => {
  it("reports a text constant on an integer column, on the rule's path", () => {
    const r = lintOf({ dataSources: [loans], globalPolicies: [policy(1, "Redact", [mask("Loan", { type: "Constant", constant: "REDACTED" })])] });
    expect(only(r, "type-fallback")).toEqual([
      {
        code: "type-fallback",
        severity: "warning",
        path: ["globalPolicies", 0, "actions", 0, "rules", 0],
        message: "on column `TERM` (`integer`) of `Loans`, the mask Constant `REDACTED` cannot produce the column's type: binding applies Nullify instead",
        policy: { id: 1, name: "Redact" },
        dataSource: { id: 1, name: "Loans" },
      },
    ]);
  });

  it("says nothing for masks that fit, or for a losing policy's mask (it is never applied)", () => {
    const fits = lintOf({
      dataSources: [loans],
      globalPolicies: [policy(1, "Zero", [mask("Loan.Term", { type: "Constant", constant: "0" })]), policy(2, "Hash notes", [mask("Loan.Note")])],
    });
    expect(only(fits, "type-fallback")).toEqual([]);
    // "Hash loans" (tag `Loan`) loses TERM to the deeper "Zero terms": its hash would not fit, but it is never bound there.
    const loser = lintOf({
      dataSources: [loans],
      globalPolicies: [policy(1, "Hash loans", [mask("Loan")]), policy(2, "Zero terms", [mask("Loan.Term", { type: "Constant", constant: "0" })])],
    });
    expect(only(loser, "type-fallback")).toEqual([]);
    expect(only(loser, "column-conflict")).toHaveLength(1);
  });
});
