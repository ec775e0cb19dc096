/**
 * What a mask function is given besides the value: where the cell sits (source, column,
 * type, row position) and the inputs that stand in for secrets and randomness.
 */
import { issue, type VeilIssue } from "../../errors.js";
import type { ColumnType } from "../../model/data-type.js";
import type { DialectId } from "../../sql/dialect.js";
import type { KeyProvider } from "../keys.js";

export interface MaskContext {
  readonly dataSourceId: number;
  readonly column: string;
  readonly columnType: ColumnType;
  /** Salts and keys; null when the caller has no secret (masks that need one then fail). */
  readonly keys: KeyProvider | null;
  /** Random bytes for reversible IVs; null when the caller supplies none (reversible then fails). */
  readonly randomBytes: ((n: number) => Uint8Array) | null;
  /** Position in the row stream, for seeded randomized response. */
  readonly rowIndex: number;
}

export interface MaskSqlContext {
  readonly dialect: DialectId;
  readonly dataSourceId: number;
  readonly column: string;
  readonly columnType: ColumnType;
  readonly keys: KeyProvider | null;
  /** Caller-configured UDF names (dotted identifiers); absent → the mask is refused. */
  readonly udfs: { readonly reversible?: string; readonly fpe?: string };
}

/** The issue for a mask that needs a secret when `keys` is null. */
export function needsKeys(what: string, column: string): VeilIssue {
  return issue(
    "invalid_input",
    ["keys"],
    `${what} on column \`${column}\` needs a key provider: set VEIL_SECRET (or pass \`keys\`, e.g. hkdfKeyProvider(secret)); without a secret Veil cannot derive its ${what === "hashing" ? "salt" : "key"}`,
  );
}

/** The issue for metadata a mask cannot use, at `metadata.<key>`. */
export function badMetadata(key: string, message: string): VeilIssue {
  return issue("invalid_input", ["metadata", key], message);
}
