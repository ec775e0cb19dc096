/**
 * The one table of Immuta's custom-WHERE @-functions (Immuta's "Custom WHERE Clause
 * Functions" page). Parsing (arity, argument kinds), binding (which arguments name a
 * column), expansion (what each reads of the user) and bulk user grouping all derive
 * from it; nothing else lists the functions.
 */

export type PredicateFunction =
  | "@attributeValuesContains"
  | "@groupsContains"
  | "@purposesContains"
  | "@hasAttribute"
  | "@isInGroups"
  | "@isUsingPurpose"
  | "@username"
  | "@iam"
  | "@columnTagged"
  | "@columnReference";

/** What a function reads of the user; `attribute` reads the attribute named by argument 0. */
export type UserInput = "attribute" | "groups" | "purposes" | "username" | "iam" | null;

export interface FunctionSpec {
  /** Argument counts; `max` undefined means unbounded. */
  readonly min: number;
  readonly max?: number;
  /** Written without parentheses (`@username`); `@username()` is accepted too. */
  readonly bare?: true;
  /** The argument that is a column, a column function or an SQL expression (tested against the user's values). */
  readonly columnArg?: number;
  /** The optional argument used as the only value when the user's list is empty. */
  readonly placeholderArg?: number;
  readonly reads: UserInput;
  /** The function names a column of the source: by tag, or by name. */
  readonly names?: "tag" | "column";
  /** Its arguments are string literals with backslash escapes for `\`, `'`, `"` and `` ` `` [doc]. */
  readonly backslashEscapes?: true;
  /** What it becomes: a test of the row, a truth about the user, a user value, or a column. */
  readonly yields: "rowTest" | "userTest" | "value" | "column";
}

export const FUNCTIONS: Readonly<Record<PredicateFunction, FunctionSpec>> = {
  "@attributeValuesContains": { min: 2, max: 3, columnArg: 1, placeholderArg: 2, reads: "attribute", yields: "rowTest" },
  "@groupsContains": { min: 1, max: 2, columnArg: 0, placeholderArg: 1, reads: "groups", yields: "rowTest" },
  "@purposesContains": { min: 1, max: 1, columnArg: 0, reads: "purposes", yields: "rowTest" },
  "@hasAttribute": { min: 2, max: 2, reads: "attribute", yields: "userTest" },
  "@isInGroups": { min: 1, reads: "groups", yields: "userTest" },
  "@isUsingPurpose": { min: 1, max: 1, reads: "purposes", yields: "userTest" },
  "@username": { min: 0, max: 0, bare: true, reads: "username", yields: "value" },
  "@iam": { min: 0, max: 0, bare: true, reads: "iam", yields: "value" },
  "@columnTagged": { min: 1, max: 1, reads: null, names: "tag", yields: "column" },
  "@columnReference": { min: 1, max: 1, reads: null, names: "column", backslashEscapes: true, yields: "column" },
};

export const ACCEPTED_FUNCTIONS = Object.keys(FUNCTIONS).join(", ");

/** Own keys only: `@constructor` is an unknown function, not Object.prototype's. */
export const isPredicateFunction = (name: string): name is PredicateFunction => Object.hasOwn(FUNCTIONS, name);
