import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/** A golden scenario: bundles that must agree, and the cases evaluated on each. */
export const ScenarioSchema = z.strictObject({
  description: z.string().min(1),
  bundles: z.array(z.string()).min(1),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        dataSource: z.union([z.number(), z.string()]),
        user: z.union([z.number(), z.string()]),
        projectId: z.number().int().optional(),
        now: z.string().optional(),
        /** File holding the expected policyInfo, byte for byte (2-space JSON + newline). */
        expect: z.string().optional(),
        /** File holding the expected visibilityReport, byte for byte. */
        expectVisibilityReport: z.string().optional(),
        /** Report as the current user (`GET /dataSource/{id}/visibilityReport`): no projectId override. */
        currentUser: z.boolean().optional(),
        /** Or: a fragment every error message must contain. */
        expectError: z.string().optional(),
      }),
    )
    .min(1),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures");

/** Every folder under fixtures/ holding a scenario.yaml. */
export function scenarioDirs(root = FIXTURES): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (existsSync(join(dir, "scenario.yaml"))) out.push(dir);
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
  };
  walk(root);
  return out.sort();
}

export function readScenario(dir: string): Scenario {
  return ScenarioSchema.parse(parse(readFileSync(join(dir, "scenario.yaml"), "utf8")));
}
