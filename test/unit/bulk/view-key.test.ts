/**
 * diff renders each half of a view once per distinct key (src/bulk/view-key.ts). That is
 * sound only if equal keys mean equal halves: for generated catalogs, any two users with
 * the same `maskKey` on a plan have the same masked columns, and the same `rowKey` the
 * same row view (visibilities, filters, counts, denial, row access).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planKernel } from "../../../src/bulk/kernel.js";
import { maskKey, rowKey } from "../../../src/bulk/view-key.js";
import { maskPart, rowPart } from "../../../src/bulk/view.js";
import { createEngine } from "../../../src/engine/engine.js";
import { unwrap } from "../../../src/errors.js";
import { parseBundle } from "../../../src/model/bundle.js";
import { catalogArb } from "../../arbitraries/catalog.js";

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 60);
const NOW = "2024-06-01T00:00:00Z";

describe("view keys", () => {
  it("equal keys on a plan mean equal views", () => {
    fc.assert(
      fc.property(catalogArb, (obj) => {
        const bundle = unwrap(parseBundle(obj));
        const e = createEngine(bundle);
        for (const ds of bundle.dataSources) {
          const plan = unwrap(e.planFor(ds.id));
          const k = planKernel(plan);
          const masks = new Map<string, string>();
          const rows = new Map<string, string>();
          for (const u of bundle.users) {
            const d = unwrap(e.decide({ dataSource: ds.id, user: u.profileId, now: NOW }));
            const mk = maskKey(e.policySet, k, d.user);
            const rk = rowKey(e.policySet, k, d.user);
            const m = JSON.stringify(maskPart(d.masks).masked);
            const { noVisibilities: _nv, ...r } = rowPart(d.plan, d.rows, d.nowMs);
            const rText = JSON.stringify(r);
            if (masks.has(mk)) expect(m, `mask key ${mk} on ${ds.name}`).toBe(masks.get(mk));
            else masks.set(mk, m);
            if (rows.has(rk)) expect(rText, `row key ${rk} on ${ds.name}`).toBe(rows.get(rk));
            else rows.set(rk, rText);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
