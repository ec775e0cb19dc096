import type { LogicRule as RulesLogic } from "../lang/logic.js";
import { parseAdvanced } from "../lang/advanced.js";
import { allOf, anyOf, attributeLogic, groupLogic, purposeLogic } from "../lang/logic.js";
import type { VeilIssue } from "../errors.js";
import type { V1Condition, V2Condition } from "./condition.js";
import { checkDepth, MAX_DEPTH } from "./depth.js";
import type { Condition, ReportConditionItem } from "./policy.js";

type Path = (string | number)[];

/** Joins terms with the condition's operator; JSON Logic and v1 report forms stay in step. */
function build(operator: "or" | "and", items: ReportConditionItem[], extra: RulesLogic[], advanced: string | undefined): Condition {
  const terms: RulesLogic[] = items.map((c) =>
    c.type === "groups"
      ? groupLogic(c.group.name)
      : c.type === "authorizations"
        ? attributeLogic(c.authorization.auth, c.authorization.value)
        : purposeLogic(c.value),
  );
  terms.push(...extra);
  const logic = operator === "or" ? anyOf(terms) : allOf(terms);
  return { logic, report: advanced === undefined ? { operator, conditions: items } : { operator, conditions: items, advanced } };
}

/** V2 `{operator: any|all, groups, attributes, purposes, advanced}` → Condition. Operator defaults to `any` [ours]. */
export function normalizeV2Condition(c: V2Condition, path: Path, issues: VeilIssue[]): Condition {
  const items: ReportConditionItem[] = [
    ...(c.groups ?? []).map((name): ReportConditionItem => ({ type: "groups", group: { name } })),
    ...(c.attributes ?? []).map((a): ReportConditionItem => ({ type: "authorizations", authorization: { auth: a.name, value: a.value } })),
    ...(c.purposes ?? []).map((value): ReportConditionItem => ({ type: "purposes", value })),
  ];
  return build(c.operator === "all" ? "and" : "or", items, advancedLogic(c.advanced, [...path, "advanced"], issues), c.advanced);
}

/** v1 `{operator: or|and, conditions}` → Condition. Operator defaults to `or` [ours]. */
export function normalizeV1Condition(c: V1Condition): Condition {
  const items = c.conditions.map(
    (x): ReportConditionItem =>
      x.type === "groups"
        ? { type: "groups", group: { name: x.group.name } }
        : x.type === "authorizations"
          ? { type: "authorizations", authorization: { auth: x.authorization.auth, value: x.authorization.value } }
          : { type: "purposes", value: x.value },
  );
  return build(c.operator ?? "or", items, [], undefined);
}

/**
 * An `advanced` expression as one more term; a parse failure is a validation issue. So
 * is nesting deeper than `MAX_DEPTH` (the parser, and everything after it that walks
 * the condition, recurses: 100,000 parentheses or NOTs overflowed the stack).
 */
export function advancedLogic(text: string | undefined, path: Path, issues: VeilIssue[]): RulesLogic[] {
  if (text === undefined) return [];
  const tooDeep = { code: "invalid_condition" as const, path, message: `the expression nests too deeply: its condition is more than ${MAX_DEPTH} levels deep` };
  let parsed: ReturnType<typeof parseAdvanced>;
  try {
    parsed = parseAdvanced(text, path);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    // The parser ran out of stack: deep nesting, or one group of some 100,000 terms.
    issues.push({ ...tooDeep, message: "the expression is too large to read: it nests too deeply, or one group has too many terms" });
    return [false];
  }
  if (!parsed.ok) {
    for (const i of parsed.issues) issues.push(i);
    return [false];
  }
  if (checkDepth(parsed.value)) {
    issues.push(tooDeep);
    return [false];
  }
  return [parsed.value];
}
