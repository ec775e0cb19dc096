import { describe, expect, it } from "vitest";
import { circumstanceHolds, circumstancesHold } from "../../../src/compile/circumstances.js";
import type { DataSource } from "../../../src/model/data-source.js";
import type { Circumstance, JoinedCircumstance } from "../../../src/model/policy.js";

const ds: DataSource = {
  id: 1,
  name: "Orders",
  createdAt: "2023-03-01T00:00:00Z",
  server: "bq.example.com",
  tags: ["Environment.PRD"],
  domainId: "d-1",
  domainName: "Procurement",
  columns: [
    { name: "customer_ssn", dataType: "text", tags: ["PII.SSN"] },
    { name: "amount", dataType: "numeric" },
  ],
};
const bare: DataSource = { id: 2, name: "Bare", columns: [{ name: "x", dataType: "text" }] };

describe("circumstances", () => {
  const cases: [Circumstance, boolean, boolean][] = [
    [{ kind: "tags", tag: "Environment" }, true, false],
    [{ kind: "tags", tag: "Environment.DEV" }, false, false],
    [{ kind: "columnTags", tag: "PII" }, true, false],
    [{ kind: "columnRegex", regex: "SSN$", caseInsensitive: true }, true, false],
    [{ kind: "columnRegex", regex: "SSN$", caseInsensitive: false }, false, false],
    [{ kind: "anyTag" }, true, false],
    [{ kind: "noTags" }, false, true],
    [{ kind: "server", server: "bq.example.com" }, true, false],
    [{ kind: "time", startDate: "2023-01-01T00:00:00Z", endDate: null }, true, false],
    [{ kind: "time", startDate: null, endDate: "2023-01-01T00:00:00Z" }, false, false],
    [{ kind: "domains", domains: [{ id: "d-1" }] }, true, false],
    [{ kind: "domains", domains: [{ name: "Procurement" }] }, true, false],
    [{ kind: "domains", domains: [{ name: "Finance" }] }, false, false],
  ];
  for (const [c, onDs, onBare] of cases) {
    it(`${JSON.stringify(c)} holds ${onDs} on a tagged source, ${onBare} on a bare one`, () => {
      expect(circumstanceHolds(c, ds)).toBe(onDs);
      expect(circumstanceHolds(c, bare)).toBe(onBare);
    });
  }

  it("folds left with each circumstance's join; none means everywhere", () => {
    const yes: Circumstance = { kind: "anyTag" };
    const no: Circumstance = { kind: "noTags" };
    const j = (join: "and" | "or", circumstance: Circumstance): JoinedCircumstance => ({ join, circumstance });
    expect(circumstancesHold([], ds)).toBe(true);
    expect(circumstancesHold([j("and", yes), j("and", no)], ds)).toBe(false);
    expect(circumstancesHold([j("or", yes), j("or", no)], ds)).toBe(true);
    expect(circumstancesHold([j("or", no), j("or", no), j("or", yes)], ds)).toBe(true);
    // (no OR yes) AND no
    expect(circumstancesHold([j("or", no), j("or", yes), j("and", no)], ds)).toBe(false);
  });
});
