/**
 * Runs a bundle object through everything a caller can reach (parseBundle; on success an
 * engine's policyInfo, visibilityReport and currentUserVisibilityReport for every
 * user × data source; loadBundleTexts on it as JSON and as YAML) and throws a
 * descriptive Error when anything throws, returns something that is not a Result, or
 * returns an issue that is not `{code, path: (string | number)[], message}`. An
 * `internal_error` issue is a caught crash, so it counts as a failure too.
 */
import { createEngine } from "../../src/engine/engine.js";
import { parseBundle, type Bundle } from "../../src/model/bundle.js";
import { loadBundleTexts } from "../../src/model/documents.js";
import type { Fixture } from "./fixtures.js";
import { applyOps, prototypeChanges, restorePrototypes, show, snapshotPrototypes, toJsonText, toYamlText, type Op } from "./mutation.js";

export const NOW = "2024-06-01T00:00:00Z";

/** `Name: message`, plus the first frame in src/ (where to look). */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return `a non-Error ${show(e)}`;
  const frame = (e.stack ?? "").split("\n").find((l) => /[\\/]src[\\/]/.test(l) && !/node_modules/.test(l));
  const where = frame
    ? ` (${frame
        .trim()
        .replace(/^at /, "")
        .replace(/^.*?[\\/](src[\\/].*?)\)?$/, "$1")})`
    : "";
  return `${e.name}: ${e.message.replace(/\s+/g, " ").slice(0, 240)}${where}`;
}

/** Calls `f`; a throw becomes an Error saying who threw what. */
export function call<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`${what} threw ${describeError(e)}`);
  }
}

interface AnyResult {
  ok: boolean;
  value?: unknown;
  issues?: unknown;
}

/** Throws unless `r` is a Result whose issues (if any) are well-formed and none is an internal error. */
export function checkResult(r: unknown, what: string): asserts r is AnyResult {
  if (!r || typeof r !== "object" || typeof (r as AnyResult).ok !== "boolean") throw new Error(`${what} returned ${show(r)}, not a Result`);
  const res = r as AnyResult;
  if (res.ok) return;
  if (!Array.isArray(res.issues) || res.issues.length === 0) throw new Error(`${what} failed without issues: ${show(res.issues)}`);
  for (const i of res.issues as Record<string, unknown>[]) {
    const bad = (why: string) => new Error(`${what}: malformed issue (${why}): ${show(i)}`);
    if (!i || typeof i !== "object") throw bad("not an object");
    if (typeof i["code"] !== "string" || i["code"] === "") throw bad("code");
    if (!Array.isArray(i["path"]) || !(i["path"] as unknown[]).every((p) => typeof p === "string" || (Number.isInteger(p) && (p as number) >= 0)))
      throw bad("path");
    if (typeof i["message"] !== "string" || (i["message"] as string).trim() === "") throw bad("message");
    if (i["code"] === "internal_error") throw new Error(`${what}: internal error at ${show(i["path"])}: ${String(i["message"]).slice(0, 240)}`);
  }
}

/** Exercises one bundle object; returns whether parseBundle accepted it. */
export function exercise(bundle: unknown): { accepted: boolean; cells: number } {
  const parsed = call("parseBundle", () => parseBundle(bundle));
  checkResult(parsed, "parseBundle");
  let cells = 0;
  if (parsed.ok) {
    const b: Bundle = parsed.value as Bundle;
    const engine = call("createEngine", () => createEngine(b));
    for (const ds of b.dataSources) {
      for (const u of b.users) {
        const req = { dataSource: ds.id, user: u.profileId, now: NOW };
        const calls: [string, () => unknown][] = [
          ["policyInfo", () => engine.policyInfo(req)],
          ["visibilityReport", () => engine.visibilityReport(req)],
          ["currentUserVisibilityReport", () => engine.currentUserVisibilityReport(req)],
        ];
        for (const [name, f] of calls) {
          const what = `${name}({dataSource: ${ds.id}, user: ${u.profileId}})`;
          const r = call(what, f);
          checkResult(r, what);
          if (r.ok) call(`JSON.stringify(${what})`, () => JSON.stringify(r.value));
        }
        cells++;
      }
    }
  }
  for (const [file, text] of [
    ["mutant.json", call("JSON.stringify(mutant)", () => toJsonText(bundle))],
    ["mutant.yaml", toYamlText(bundle)],
  ] as const) {
    const what = `loadBundleTexts(${file})`;
    checkResult(
      call(what, () => loadBundleTexts([{ file, text }])),
      what,
    );
  }
  return { accepted: parsed.ok, cells };
}

/** A case (parse, every report, both texts) must finish within this, bombs included. */
export const CASE_MS = 5_000;

/**
 * One fuzz case: mutate a fixture, exercise it, check the prototypes and the clock.
 * Throws with the fixture and the mutations named; restores the prototypes after a
 * pollution so later cases start clean.
 */
export function fuzzCase(fixture: Fixture, ops: readonly Op[], prototypes: ReturnType<typeof snapshotPrototypes>): void {
  const { root, did } = applyOps(fixture.bundle, ops);
  const label = `${fixture.name} with ${did.join("; ")}`;
  const t0 = performance.now();
  let failure: string | undefined;
  try {
    exercise(root);
  } catch (e) {
    failure = (e as Error).message;
  }
  const changes = prototypeChanges(prototypes);
  if (changes.length > 0) {
    restorePrototypes(prototypes);
    failure = `prototype pollution: ${changes.join("; ")}${failure ? ` (and ${failure})` : ""}`;
  }
  const ms = performance.now() - t0;
  if (failure === undefined && ms > CASE_MS) failure = `took ${Math.round(ms)} ms (budget ${CASE_MS} ms)`;
  if (failure !== undefined) throw new Error(`${label}\n  → ${failure}`);
}
