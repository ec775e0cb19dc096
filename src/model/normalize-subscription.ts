import type { VeilIssue } from "../errors.js";
import { normalizeV1Condition, normalizeV2Condition, advancedLogic } from "./normalize-condition.js";
import type { Condition, JoinedCircumstance, SubscriptionPolicy } from "./policy.js";
import type { V1Policy } from "./policy-v1.js";
import type { V2Policy } from "./policy-v2.js";
import { allOf } from "../lang/logic.js";
import { circumstanceFrom } from "./normalize-policy.js";

type Path = (string | number)[];

/** V2 subscription action types → v1 subscription types (V2 renames them). */
const V2_TYPES = { anyone: "automatic", approval: "approval", entitlements: "policy", manual: "manual" } as const;

function joinCircumstances(p: V1Policy | V2Policy): JoinedCircumstance[] {
  const v2Join = "circumstanceOperator" in p && p.circumstanceOperator === "all" ? "and" : "or";
  return (p.circumstances ?? []).map((c) => ({ join: ("operator" in c ? c.operator : undefined) ?? v2Join, circumstance: circumstanceFrom(c) }));
}

/** The fields both forms share once their action is read. */
function subscription(
  p: V1Policy | V2Policy,
  order: number,
  defaultId: number,
  action: { allowDiscovery?: boolean | undefined; automaticSubscription?: boolean | undefined; shareResponsibility?: boolean | undefined },
  subscriptionType: SubscriptionPolicy["subscriptionType"],
  audience: Condition | null,
): SubscriptionPolicy {
  return {
    id: p.id ?? defaultId,
    name: p.name,
    order,
    staged: p.staged ?? false,
    deleted: p.deleted ?? false,
    circumstances: joinCircumstances(p),
    subscriptionType,
    audience,
    allowDiscovery: action.allowDiscovery ?? false,
    automaticSubscription: action.automaticSubscription ?? false,
    shareResponsibility: action.shareResponsibility ?? false,
  };
}

/** A V2 subscription policy → SubscriptionPolicy. */
export function normalizeSubscriptionV2(
  p: Extract<V2Policy, { type: "subscription" }>,
  order: number,
  path: Path,
  issues: VeilIssue[],
  defaultId: number,
): SubscriptionPolicy {
  const action = Array.isArray(p.actions) ? p.actions[0]! : p.actions;
  const actionPath = Array.isArray(p.actions) ? [...path, "actions", 0] : [...path, "actions"];
  const entitlements = action.entitlements ? normalizeV2Condition(action.entitlements, [...actionPath, "entitlements"], issues) : null;
  // [ours] `advanced` beside `type` is AND-ed with `entitlements`, as in v1.
  const advanced = advancedLogic(action.advanced, [...actionPath, "advanced"], issues);
  const audience: Condition | null =
    advanced.length === 0
      ? entitlements
      : {
          logic: allOf([...(entitlements ? [entitlements.logic] : []), ...advanced]),
          report: entitlements ? { ...entitlements.report, advanced: action.advanced! } : { operator: "and", conditions: [], advanced: action.advanced! },
        };
  return subscription(p, order, defaultId, action, V2_TYPES[action.type], audience);
}

/** A v1 subscription policy → SubscriptionPolicy; `advanced` is AND-ed with `exceptions` [ours]. */
export function normalizeSubscriptionV1(
  p: Extract<V1Policy, { type: "subscription" }>,
  order: number,
  path: Path,
  issues: VeilIssue[],
  defaultId: number,
): SubscriptionPolicy {
  const action = p.actions[0]!;
  const parts: Condition[] = action.exceptions ? [normalizeV1Condition(action.exceptions)] : [];
  const advanced = advancedLogic(action.advanced, [...path, "actions", 0, "advanced"], issues);
  const audience: Condition | null =
    parts.length === 0 && advanced.length === 0
      ? null
      : {
          logic: allOf([...parts.map((c) => c.logic), ...advanced]),
          report: parts[0]?.report ?? { operator: "and", conditions: [], advanced: action.advanced! },
        };
  return subscription(p, order, defaultId, action, action.subscriptionType, audience);
}
