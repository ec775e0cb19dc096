import type { MaskSpec, Policy, RowRule } from "../model/policy.js";

/**
 * originalPolicyId: lower-cased parts joined with `(^_^)`: rule type, policy name,
 * column, authored masking type, then three parts empty for a plain policy [seed].
 * [ours] part 5 is the action number when a policy has several actions, part 6 is
 * `local` for a local policy, part 7 stays empty.
 */
export function originalPolicyId(policy: Policy, actionIndex: number, column: string, authored: MaskSpec): string {
  const part5 = policy.actions.length > 1 ? String(actionIndex + 1) : "";
  const part6 = policy.scope === "local" ? "local" : "";
  return ["masking", policy.name, column, authored.type, part5, part6, ""].map((p) => p.toLowerCase()).join("(^_^)");
}

/** originalPolicyId of a row policy: type, name, two empty column/mask parts, then the masking parts' scheme [ours]. */
export function rowOriginalId(policy: Policy, actionIndex: number, type: string): string {
  const part5 = policy.actions.length > 1 ? String(actionIndex + 1) : "";
  return [type, policy.name, "", "", part5, policy.scope === "local" ? "local" : "", ""].map((p) => p.toLowerCase()).join("(^_^)");
}

/** The handler policy type of a bound row action [ours for mixed actions: rowOrObjectRestriction]. */
export function rowPolicyType(rules: readonly RowRule[]): string {
  const kinds = new Set(rules.map((r) => r.rowKind));
  if (kinds.size === 1) {
    const only = rules[0]!.rowKind;
    if (only === "time" || only === "minimization") return only;
    if (only === "purpose") return "prerequisite";
  }
  return "rowOrObjectRestriction";
}
