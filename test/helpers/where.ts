/**
 * Test helper: a custom-WHERE predicate expanded for one user on one data source, through
 * the real pipeline (parseBundle → compilePlan → evaluateRows → renderExpr). `prepare` binds
 * once; `expand` is cheap, so generated tests can run many users through one binding.
 */
import { compilePlan } from "../../src/compile/index.js";
import { compilePolicySet } from "../../src/compile/policy-set.js";
import type { Result, VeilIssue } from "../../src/errors.js";
import { rowDecision } from "../../src/evaluate/rows.js";
import { prepareUser } from "../../src/evaluate/subject.js";
import { parseBundle } from "../../src/model/bundle.js";
import type { User } from "../../src/model/user.js";
import type { DialectId } from "../../src/sql/dialect.js";
import { DIALECTS } from "../../src/sql/dialects/index.js";
import { renderExpr } from "../../src/sql/render.js";

/** The Immuta `blobHandlerType` for each dialect. */
export const BLOB_HANDLER: Readonly<Record<DialectId, string>> = {
  postgres: "PostgreSQL",
  duckdb: "DuckDB",
  snowflake: "Snowflake",
  databricks: "Databricks",
  trino: "Trino",
  bigquery: "Google BigQuery",
  redshift: "Redshift",
};

export interface WhereSource {
  readonly dialect: DialectId;
  /** Columns of the source (all `text`), with their tags. */
  readonly columns: readonly { name: string; tags?: string[] }[];
}

export interface WhereUser {
  readonly groups?: string[];
  readonly authorizations?: Record<string, string[]>;
  readonly userid?: string;
  readonly iamid?: string;
  readonly name?: string;
  /** Purposes of the user's current project. */
  readonly purposes?: string[];
}

/** What a predicate becomes for a user: SQL, no rows (with why), or not applied on this source. */
export type WhereOutcome = { status: "sql"; sql: string } | { status: "noRows"; problems: readonly string[] } | { status: "notApplied"; detail: string };

/**
 * Binds `predicate` (a global custom-WHERE policy for everyone) to a source. Invalid
 * input gives the validation issues.
 */
export function prepareWhere(predicate: string, source: WhereSource): Result<{ expand(user: WhereUser): WhereOutcome }> {
  const bundle = parseBundle({
    dataSources: [
      {
        id: 1,
        name: "T",
        blobHandlerType: BLOB_HANDLER[source.dialect],
        columns: source.columns.map((c) => ({ name: c.name, dataType: "text", ...(c.tags ? { tags: c.tags } : {}) })),
      },
    ],
    globalPolicies: [
      {
        id: 1,
        name: "Where",
        type: "data",
        actions: [{ rules: [{ type: "Row Restriction by Custom Where Clause", config: { predicate } }] }],
      },
    ],
    projects: [{ id: 1, name: "P", purposes: [] }],
  });
  if (!bundle.ok) return bundle;
  const set = compilePolicySet(bundle.value);
  const plan = compilePlan(set, bundle.value.dataSources[0]!);
  const dialect = DIALECTS[source.dialect];
  return {
    ok: true,
    value: {
      expand(w: WhereUser): WhereOutcome {
        if (plan.rowPolicies.length === 0) return { status: "notApplied", detail: plan.skipped.map((s) => s.detail ?? s.reason).join("; ") };
        const user: User = {
          profileId: 1,
          name: w.name ?? "u",
          ...(w.userid !== undefined ? { userid: w.userid } : {}),
          ...(w.iamid !== undefined ? { iamid: w.iamid } : {}),
          groups: w.groups ?? [],
          authorizations: w.authorizations ?? {},
        } as User;
        const project = { id: 1, name: "P", purposes: w.purposes ?? [] };
        const u = prepareUser(set, user, w.purposes ? project : null);
        const rows = rowDecision(plan, u);
        if (rows.never) return { status: "noRows", problems: rows.problems };
        return { status: "sql", sql: rows.predicates.map((p) => renderExpr(p, dialect)).join(" AND ") };
      },
    },
  };
}

/** The issues of an invalid predicate (throws when it is valid). */
export function whereIssues(predicate: string, source: WhereSource): readonly VeilIssue[] {
  const r = prepareWhere(predicate, source);
  if (r.ok) throw new Error(`expected \`${predicate}\` to be rejected`);
  return r.issues;
}
