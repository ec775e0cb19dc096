/**
 * Deterministic scale fixtures (seeded): S (10 sources × 20 columns × 20 policies ×
 * 100 users), M (1k × 100 × 500 × 1k) and L (10k × 100 × 2k × 10k), with tag
 * hierarchies, exceptions, row policies and visibilities. Generated in memory.
 */
import type { BundleInput } from "../src/model/bundle.js";
import { distinct, intBelow, mulberry32, pad } from "./rng.js";

export const SIZES = {
  S: { sources: 10, columns: 20, policies: 20, users: 100 },
  M: { sources: 1_000, columns: 100, policies: 500, users: 1_000 },
  L: { sources: 10_000, columns: 100, policies: 2_000, users: 10_000 },
} as const;
export type Size = keyof typeof SIZES;

/** 10 domains × 10 subjects × 10 leaves: `d3`, `d3.s7`, `d3.s7.l1`. */
const TAGS = Array.from({ length: 1000 }, (_, i) => `d${Math.floor(i / 100)}.s${Math.floor(i / 10) % 10}.l${i % 10}`);
const GROUPS = Array.from({ length: 200 }, (_, i) => `group-${pad(i, 3)}`);
const DEPTS = Array.from({ length: 20 }, (_, i) => `dept-${pad(i, 2)}`);
const REGIONS = Array.from({ length: 20 }, (_, i) => `region-${pad(i, 2)}`);
const MASKS = [{ type: "Hash" }, { type: "Null" }, { type: "Constant", constant: "REDACTED" }, { type: "Regex", regex: "[0-9]", replacement: "#" }];
const TYPES = ["text", "text", "text", "integer", "timestamp"];

/** A tag at a random depth of the hierarchy (policies target all three levels). */
function policyTag(rnd: () => number): string {
  const leaf = TAGS[intBelow(rnd, TAGS.length)]!;
  const depth = 1 + intBelow(rnd, 3);
  return leaf.split(".").slice(0, depth).join(".");
}

/** Generates a bundle of the given size; `scale` shrinks counts (for tests), `sources` caps the catalog. */
export function generateBundle(size: Size, options: { seed?: number; sources?: number; users?: number } = {}): BundleInput {
  const spec = SIZES[size];
  const rnd = mulberry32(options.seed ?? 7);
  const nSources = options.sources ?? spec.sources;
  const nUsers = options.users ?? spec.users;
  const dataSources = Array.from({ length: nSources }, (_, s) => ({
    id: s + 1,
    name: `source ${pad(s + 1, 5)}`,
    tags: [`env.${["dev", "prd"][s % 2]}`],
    columns: [
      { name: "region", dataType: "text", tags: ["geo.region"] },
      ...Array.from({ length: spec.columns - 1 }, (_, k) => ({
        name: `c${pad(k + 1, 3)}`,
        dataType: TYPES[intBelow(rnd, TYPES.length)]!,
        tags: distinct(rnd, TAGS.length, intBelow(rnd, 3)).map((t) => TAGS[t]!),
      })),
    ],
    visibilities: distinct(rnd, REGIONS.length, 4 + intBelow(rnd, 8)).map((r) => ({ region: REGIONS[r]! })),
  }));
  const globalPolicies = Array.from({ length: spec.policies }, (_, i) => {
    const base = {
      id: i + 1,
      name: `policy ${pad(i + 1, 5)}`,
      type: "data",
      createdAt: new Date(Date.UTC(2020, 0, 1) + intBelow(rnd, 1000) * 86_400_000).toISOString(),
    };
    const exceptions =
      rnd() < 0.8
        ? {
            exceptions: {
              operator: "any",
              groups: [GROUPS[intBelow(rnd, GROUPS.length)]!],
              attributes: [{ name: "Dept", value: DEPTS[intBelow(rnd, DEPTS.length)]! }],
            },
          }
        : {};
    if (i % 10 === 9) {
      // Every tenth policy restricts rows by the user's regions, on production sources only.
      return {
        ...base,
        circumstances: [{ type: "tags", tag: "env.prd" }],
        actions: [
          {
            rules: [
              {
                type: "Row Restriction by User Entitlements",
                ...exceptions,
                config: { matches: [{ type: "attribute", attribute: "Region", tag: "geo.region" }] },
              },
            ],
          },
        ],
      };
    }
    const tag = policyTag(rnd);
    return {
      ...base,
      ...(rnd() < 0.5 ? { circumstances: [{ type: "columnTags", columnTag: tag }] } : {}),
      actions: [
        {
          rules: [
            {
              type: "Masking",
              ...exceptions,
              config: { fields: [{ type: "columnTags", columnTag: tag }], maskingConfig: MASKS[intBelow(rnd, MASKS.length)]! },
            },
          ],
        },
      ],
    };
  });
  const users = Array.from({ length: nUsers }, (_, u) => ({
    profileId: u + 1,
    name: `user ${pad(u + 1, 5)}`,
    groups: distinct(rnd, GROUPS.length, intBelow(rnd, 6)).map((g) => GROUPS[g]!),
    authorizations: { Dept: [DEPTS[intBelow(rnd, DEPTS.length)]!], Region: distinct(rnd, REGIONS.length, intBelow(rnd, 4)).map((r) => REGIONS[r]!) },
  }));
  return { dataSources, globalPolicies, users };
}
