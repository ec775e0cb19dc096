import type { DataSource } from "../model/data-source.js";
import type { Circumstance, JoinedCircumstance } from "../model/policy.js";
import { anyTagReached } from "./tags.js";

function columnTags(ds: DataSource): string[] {
  return ds.columns.flatMap((c) => c.tags ?? []);
}

/** Whether one circumstance holds for a data source (semantics §2). */
export function circumstanceHolds(c: Circumstance, ds: DataSource): boolean {
  switch (c.kind) {
    case "tags":
      return anyTagReached(c.tag, ds.tags ?? []);
    case "columnTags":
      return anyTagReached(c.tag, columnTags(ds));
    case "columnRegex": {
      const re = new RegExp(c.regex, c.caseInsensitive ? "i" : "");
      return ds.columns.some((col) => re.test(col.name));
    }
    // [ours] anyTag: the source or one of its columns carries a tag; noTags: neither does.
    case "anyTag":
      return (ds.tags ?? []).length > 0 || columnTags(ds).length > 0;
    case "noTags":
      return (ds.tags ?? []).length === 0 && columnTags(ds).length === 0;
    case "server":
      return ds.server === c.server;
    case "time": {
      // [ours] a source without `createdAt` never satisfies a time circumstance.
      if (ds.createdAt === undefined) return false;
      const at = Date.parse(ds.createdAt);
      return (c.startDate === null || at >= Date.parse(c.startDate)) && (c.endDate === null || at <= Date.parse(c.endDate));
    }
    case "domains":
      return c.domains.some((d) => (d.id !== undefined && d.id === ds.domainId) || (d.name !== undefined && d.name === ds.domainName));
  }
}

/**
 * Whether a policy's circumstances hold: a left fold where each circumstance's
 * operator joins it to the result so far [ours for v1's per-circumstance operator].
 * No circumstances: the policy applies to every data source [ours].
 */
export function circumstancesHold(cs: readonly JoinedCircumstance[], ds: DataSource): boolean {
  if (cs.length === 0) return true;
  let result = circumstanceHolds(cs[0]!.circumstance, ds);
  for (let i = 1; i < cs.length; i++) {
    const { join, circumstance } = cs[i]!;
    result = join === "and" ? result && circumstanceHolds(circumstance, ds) : result || circumstanceHolds(circumstance, ds);
  }
  return result;
}
