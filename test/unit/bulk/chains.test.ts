/**
 * Columns won by a chain of exceptions-only rules (several masking rules on one tag: the
 * first whose exceptions do not hold the user masks) take the kernel's chain path. For
 * generated chains and users, matrix counts what policyInfo masks, and equal mask keys
 * mean equal masked columns.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planKernel } from "../../../src/bulk/kernel.js";
import { matrix } from "../../../src/bulk/matrix.js";
import { maskKey } from "../../../src/bulk/view-key.js";
import { createEngine } from "../../../src/engine/engine.js";
import { unwrap } from "../../../src/errors.js";
import { parseBundle } from "../../../src/model/bundle.js";

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 100);
const GROUPS = ["a", "b", "c", "d"];
const MASKS = [{ type: "Null" }, { type: "Hash" }, { type: "Constant", constant: "X" }];

const chainArb = fc.array(fc.record({ except: fc.subarray(GROUPS), mask: fc.constantFrom(...MASKS) }), { minLength: 2, maxLength: 4 });
const caseArb = fc.record({
  chains: fc.array(chainArb, { minLength: 1, maxLength: 3 }),
  users: fc.array(fc.subarray(GROUPS), { minLength: 1, maxLength: 8 }),
});

describe("exceptions-only rule chains", () => {
  it("matrix counts what policyInfo masks, and mask keys decide the masked columns", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ chains, users }) => {
        const bundle = unwrap(
          parseBundle({
            dataSources: [{ id: 1, name: "S", columns: chains.map((_, i) => ({ name: `c${i}`, dataType: "text", tags: [`T${i}`] })) }],
            globalPolicies: chains.map((chain, i) => ({
              id: i + 1,
              name: `chain ${i}`,
              type: "data",
              actions: [
                {
                  rules: chain.map((r) => ({
                    type: "Masking",
                    config: { fields: [{ type: "columnTags", columnTag: `T${i}` }], maskingConfig: r.mask },
                    ...(r.except.length > 0 ? { exceptions: { operator: "any", groups: r.except } } : {}),
                  })),
                },
              ],
            })),
            users: users.map((groups, i) => ({ profileId: i + 1, name: `u${i}`, groups })),
          }),
        );
        const e = createEngine(bundle);
        const m = unwrap(await matrix(bundle));
        const k = planKernel(unwrap(e.planFor(1)));
        expect(k.chainStart.length - 1).toBe(chains.length);
        const byKey = new Map<string, string>();
        users.forEach((_, i) => {
          const info = unwrap(e.policyInfo({ dataSource: 1, user: i + 1 }));
          expect(m.masked[i]).toBe(info.masked.length);
          const key = maskKey(e.policySet, k, unwrap(e.prepare(i + 1)));
          const masked = JSON.stringify(info.masked);
          if (byKey.has(key)) expect(masked).toBe(byKey.get(key));
          else byKey.set(key, masked);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
