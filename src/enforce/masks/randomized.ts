/**
 * Randomized response. Each cell's randomness is HMAC-SHA256 under the column's
 * `randomized` key (the key provider's seed for this source and column) of the row's
 * position, so it is fixed by (secret, source, column, row position) and by nothing else.
 * (Not the `sampling` key: that one salts minimization and appears in SQL text.)
 *
 * - With probability `replacementRate` (required) the value is replaced; otherwise kept.
 * - `categorical` (and `plain`): the replacement is drawn uniformly from metadata
 *   `domain` minus the value itself (with NULL as one more member when `allowNull`).
 * - `numeric`: the replacement is the value plus Gaussian noise of `stddev`, or, without
 *   `stddev`, a uniform draw from [`low`, `high`]; clamped to `low`/`high` when given,
 *   rounded to a whole number on whole-number columns.
 * - `numeric` on a time column: the instant plus Gaussian noise of `stddev` seconds.
 * - Without `kind`: numeric on number and time columns, categorical otherwise (as
 *   Immuta describes it: categorical values replaced uniformly by another value; numeric
 *   and datetime values given unbiased noise).
 *
 * Not in SQL: agreeing with memory needs a stable row key the query does not have.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { fail, ok, type Result } from "../../errors.js";
import type { MaskSpec } from "../../model/policy.js";
import { badMetadata, type MaskContext, needsKeys } from "./context.js";
import { readTime, writeTime } from "./time.js";

/** Four uniform draws in [0, 1), 53 bits each, from the row's HMAC. */
function uniforms(seed: Uint8Array, rowIndex: number): [number, number, number, number] {
  const bytes = hmac(sha256, seed, utf8ToBytes(`row:${rowIndex}`));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const draw = (i: number) => (view.getUint32(i * 8) * 2 ** 21 + (view.getUint32(i * 8 + 4) >>> 11)) / 2 ** 53;
  return [draw(0), draw(1), draw(2), draw(3)];
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function readNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** The randomized response of one cell (NULL stays NULL). */
export function randomizedResponse(mask: MaskSpec, value: unknown, ctx: MaskContext): Result<unknown> {
  const md = mask.metadata;
  const rate = num(md["replacementRate"]);
  if (rate === undefined || rate < 0 || rate > 1) {
    return fail([badMetadata("replacementRate", `randomized response on column \`${ctx.column}\` needs \`replacementRate\`, a number from 0 to 1`)]);
  }
  const family = ctx.columnType.family;
  const kind = md["kind"] ?? (family === "number" || family === "time" ? "numeric" : "categorical");
  if (kind !== "numeric" && kind !== "categorical" && kind !== "plain") {
    return fail([badMetadata("kind", `unknown randomized response \`kind\` \`${String(kind)}\`; accepted: plain, numeric, categorical`)]);
  }
  const low = num(md["low"]);
  const high = num(md["high"]);
  const stddev = num(md["stddev"]);
  const domain = md["domain"];
  if (kind === "numeric" && family === "time" && stddev === undefined) {
    return fail([badMetadata("stddev", `numeric randomized response on the time column \`${ctx.column}\` needs \`stddev\`, in seconds`)]);
  }
  if (kind === "numeric" && stddev === undefined && (low === undefined || high === undefined)) {
    return fail([badMetadata("stddev", `numeric randomized response on column \`${ctx.column}\` needs \`stddev\`, or both \`low\` and \`high\``)]);
  }
  if (kind !== "numeric" && (!Array.isArray(domain) || domain.length === 0)) {
    return fail([badMetadata("domain", `${kind} randomized response on column \`${ctx.column}\` needs \`domain\`, the column's distinct values`)]);
  }
  if (ctx.keys === null) return fail([needsKeys("randomized response", ctx.column)]);
  if (value === null || value === undefined) return ok(null);
  const [u0, u1, u2] = uniforms(ctx.keys.columnKey("randomized", ctx.dataSourceId, ctx.column), ctx.rowIndex);
  if (u0 >= rate) return ok(value);
  if (kind === "numeric" && family === "time") {
    // Times: the instant plus noise of `stddev` seconds (written as masks write times).
    const ms = readTime(value);
    if (ms === undefined || stddev === undefined) return ok(null);
    const noisy = Math.round(ms + 1000 * stddev * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
    return ok(Math.abs(noisy) <= 8.64e15 ? writeTime(noisy) : null);
  }
  if (kind === "numeric") {
    const x = readNumber(value);
    if (x === undefined) return ok(null);
    // Box–Muller on (u1, u2); 1 - u1 is in (0, 1], so the logarithm is finite.
    let y = stddev !== undefined ? x + stddev * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2) : low! + u1 * (high! - low!);
    if (low !== undefined) y = Math.max(low, y);
    if (high !== undefined) y = Math.min(high, y);
    return ok(ctx.columnType.integral ? Math.round(y) : y);
  }
  const others: unknown[] = (domain as unknown[]).filter((d) => String(d) !== String(value));
  if (md["allowNull"] === true) others.push(null);
  if (others.length === 0) return ok(value);
  return ok(others[Math.floor(u1 * others.length)]);
}
