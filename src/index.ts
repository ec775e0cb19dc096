/**
 * Veil: Immuta data-policy evaluation without an Immuta server.
 * The pure core: explicit named exports only, and nothing in its import graph touches
 * `node:*`, the clock or randomness, so it runs in browsers, edge runtimes, Deno and Bun.
 * File loaders and worker threads are in `veil-policy/node` (src/node.ts).
 */
export { createEngine, policyInfo, visibilityReport, findDataSource, findUser } from "./engine/engine.js";
export type { Engine, EngineOptions, EvaluationRequest, Decisions } from "./engine/engine.js";
export { createPlanCache } from "./compile/plan-cache.js";
export type { PlanCache } from "./compile/plan-cache.js";
export { parseBundle, detectPolicyFormat } from "./model/bundle.js";
export type { Bundle, BundleInput, DataSourceModel } from "./model/bundle.js";
export { loadBundleTexts } from "./model/documents.js";
export { compilePlan, compilePolicySet } from "./compile/index.js";
export type { PolicySet } from "./compile/index.js";
export type { Plan, ColumnPlan, BoundMaskingPolicy, BoundMaskRule, BoundRowRule, SkippedPolicy } from "./compile/plan.js";
export { renderedPolicy } from "./report/policy-json.js";
export type { RenderedPolicy } from "./report/policy-json.js";
export { evaluateMasking, evaluateRows } from "./evaluate/checked.js";
export type { MaskDecision, RuleOutcome } from "./evaluate/masking.js";
export { prepareUser, projectFor } from "./evaluate/subject.js";
export type { PreparedUser } from "./evaluate/subject.js";
export { renderPolicyInfo } from "./report/policy-info.js";
export { renderVisibilityReport, renderPolicySet } from "./report/visibility-report.js";
export type { VisibilityReport } from "./report/visibility-report.js";

export type { RowDecision, RowPolicyDecision } from "./evaluate/rows.js";
export { ruleOutcomes } from "./evaluate/audience.js";
export { matrix, matrixStream } from "./bulk/matrix.js";
export type { MatrixResult, MatrixStream, MatrixBlock } from "./bulk/matrix.js";
export { diff, diffStream } from "./bulk/diff.js";
export type { DiffResult, DiffStream, DiffSummary, PolicyTextChange } from "./bulk/diff.js";
export type { BulkOptions } from "./bulk/run.js";
export type { CellSummary } from "./bulk/cell.js";
export type { CellChange } from "./bulk/cells.js";
export type { PolicyInfo, MaskedEntry } from "./report/policy-info.js";
export { policyHash } from "./report/policy-hash.js";
export { VeilError, fail, formatIssue, formatPath, ok, unwrap } from "./errors.js";
export type { VeilIssue, IssueCode, Result } from "./errors.js";
export type { Policy, Rule, MaskingRule, RowRule, Condition, MaskSpec, Circumstance, FieldSelector } from "./model/policy.js";
export { bundleJsonSchema } from "./model/bundle-json-schema.js";
export { lint, formatLint, FINDING_CODES, SEVERITY_OF, LintReportSchema } from "./lint/index.js";
export type { Finding, FindingCode, LintReport, Severity } from "./lint/index.js";
export { enforceRows } from "./enforce/enforce-rows.js";
export type { EnforceOptions, EnforceSource, Row } from "./enforce/enforce-rows.js";
export { renderSql } from "./enforce/sql.js";
export type { RenderSqlOptions, RenderedSql } from "./enforce/sql.js";
export { explain, explainDecisions } from "./explain/explain.js";
export { formatExplanation } from "./explain/format.js";
export type { FormatOptions } from "./explain/format.js";
export type {
  Explanation,
  ColumnExplanation,
  RowsExplanation,
  RowPolicyExplanation,
  RowRuleDetail,
  RuleExplanation,
  MaskRuleExplanation,
  ConditionExplanation,
  SkippedExplanation,
  PolicyRef,
  MaskExplanation,
  LoserExplanation,
  LostBecause,
  ConditionItemExplanation,
  EntitlementMatchExplanation,
  CircumstanceExplanation,
} from "./explain/types.js";
export type { RowAccess, RowEffect, RowEffectKind, RowVerdict, RowDenial, RowProblem, HiddenBy } from "./evaluate/verdict.js";
export { maskValue, maskSql, kAnonymize, kAnonymizeSql, unmaskReversible, unmaskFormatPreserving, ff1Encrypt, ff1Decrypt } from "./enforce/masks/index.js";
export type { MaskContext, MaskSqlContext } from "./enforce/masks/index.js";
export { hkdfKeyProvider } from "./enforce/keys.js";
export type { KeyProvider, KeyPurpose } from "./enforce/keys.js";
