/**
 * Pieces of the bundle JSON Schema that zod cannot derive itself: case-insensitive
 * patterns (JSON Schema has no `i` flag), the metadata each mask type allows and needs,
 * and the data-type grammar. Used by `bundle-json-schema.ts`.
 */
import { z } from "zod";
import { ACCEPTED_DATA_TYPES } from "./data-type.js";
import { checkMaskMetadata, METADATA_KEYS, V1_MASK_TYPES, V2_MASK_TYPES, V2MaskingConfigSchema, type V1MaskType } from "./masking-config.js";

type Json = Record<string, unknown>;

/** Builds case-insensitive regex sources (JSON Schema patterns have no `i` flag). */
export interface CaseFold {
  /** Matches exactly the strings `s` with `s.toLowerCase() === target`; `collapse`: spaces in `target` match runs of white space. */
  word(target: string, spaces?: "exact" | "collapse"): string;
  /** A character class of every character whose lower case is one of `chars`, plus `extra` (class syntax). */
  anyOf(chars: string, extra?: string): string;
}

/**
 * For each ASCII character, every BMP character whose `toLowerCase()` it is (`k`: `K`,
 * `k` and KELVIN SIGN), so a pattern accepts exactly what a `toLowerCase()` lookup does.
 */
export function caseFold(): CaseFold {
  const into = new Map<string, string[]>();
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCharCode(cp);
    const lower = ch.toLowerCase();
    if (lower.length === 1 && lower.charCodeAt(0) < 0x80) into.set(lower, [...(into.get(lower) ?? []), ch]);
  }
  const lit = (ch: string, inClass: boolean): string => {
    const code = ch.charCodeAt(0);
    if (code >= 0x80) return `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
    return (inClass ? /[\\\]\[^-]/ : /[\\^$.*+?()[\]{}|/]/).test(ch) ? `\\${ch}` : ch;
  };
  const forms = (ch: string): string[] => into.get(ch) ?? [ch];
  const one = (ch: string): string => {
    const all = forms(ch);
    return all.length === 1 ? lit(all[0]!, false) : `[${all.map((c) => lit(c, true)).join("")}]`;
  };
  const chars = (s: string): string => [...s].map(one).join("");
  return {
    word: (target, spaces = "exact") => (spaces === "collapse" ? target.split(" ").map(chars).join("\\s+") : chars(target)),
    anyOf: (set, extra = "") =>
      `[${[...set]
        .flatMap(forms)
        .map((c) => lit(c, true))
        .join("")}${extra}]`,
  };
}

/**
 * Keys a mask type requires, found by asking `checkMaskMetadata` itself with empty
 * metadata: an issue at `[key]` means `key` is required; an issue at the metadata
 * itself means "one of": the keys that each silence it.
 */
function maskRequirements(type: V1MaskType): { required: string[]; oneOf: string[] } {
  const probe = (metadata: Record<string, unknown>): (string | number)[][] => {
    const paths: (string | number)[][] = [];
    const ctx = { addIssue: (i: { path?: (string | number)[] }) => void paths.push(i.path ?? []), value: metadata, issues: [] };
    checkMaskMetadata(type, metadata, ctx as unknown as z.RefinementCtx, []);
    return paths;
  };
  const empty = probe({});
  const required = empty.filter((p) => p.length === 1).map((p) => String(p[0]));
  const oneOf = empty.some((p) => p.length === 0) ? METADATA_KEYS[type].filter((k) => !probe({ [k]: true }).some((p) => p.length === 0)) : [];
  return { required, oneOf };
}

/** `metadata` takes exactly the keys a mask type does (v1: in `metadata`). */
function keysOnly(keys: readonly string[]): Json {
  return keys.length === 0 ? { type: "object", maxProperties: 0 } : { type: "object", propertyNames: { enum: [...keys] } };
}

/** Per-type constraints of a v1 `maskingConfig` (what `checkMaskMetadata` enforces). */
export function v1MaskConditions(): Json[] {
  return V1_MASK_TYPES.map((type) => {
    const { required, oneOf } = maskRequirements(type);
    const metadata: Json = { ...keysOnly(METADATA_KEYS[type]) };
    if (required.length > 0) metadata["required"] = required;
    if (oneOf.length > 0) metadata["anyOf"] = oneOf.map((k) => ({ required: [k] }));
    const then: Json = { properties: { metadata } };
    if (required.length > 0 || oneOf.length > 0) then["required"] = ["metadata"];
    return { if: { properties: { type: { const: type } }, required: ["type"] }, then };
  });
}

/**
 * Per-type constraints of a V2 `maskingConfig`, whose keys sit inline or in `metadata`
 * (inline wins). Required keys come from `checkMaskMetadata` and from a probe of the V2
 * schema itself (`Constant` requires `constant`).
 */
export function v2MaskConditions(fold: CaseFold): Json[] {
  const present = (k: string): Json => ({
    anyOf: [{ required: [k] }, { required: ["metadata"], properties: { metadata: { type: "object", required: [k] } } }],
  });
  const names = Object.keys(V2_MASK_TYPES);
  return V1_MASK_TYPES.flatMap((type) => {
    const mine = names.filter((n) => V2_MASK_TYPES[n]!.type === type);
    if (mine.length === 0) return [];
    const allowed = METADATA_KEYS[type];
    const { required, oneOf } = maskRequirements(type);
    const conditions: Json[] = [];
    const perName = (name: string): string[] => {
      const r = V2MaskingConfigSchema.safeParse({ type: name });
      const extra = r.success ? [] : r.error.issues.filter((i) => i.path.length === 1 && i.path[0] !== "type").map((i) => String(i.path[0]));
      return [...new Set([...required, ...extra])];
    };
    // Names of one type can differ in what they require (Constant vs Hash).
    const groups = new Map<string, string[]>();
    for (const n of mine) {
      const key = perName(n).sort().join(",");
      groups.set(key, [...(groups.get(key) ?? []), n]);
    }
    for (const [key, group] of groups) {
      const needs = key === "" ? [] : key.split(",");
      const then: Json = {
        propertyNames: { enum: ["type", "metadata", ...allowed] },
        properties: { metadata: keysOnly(allowed) },
      };
      const all = [...needs.map(present), ...(oneOf.length > 0 ? [{ anyOf: oneOf.map(present) }] : [])];
      if (all.length > 0) then["allOf"] = all;
      conditions.push({
        if: { properties: { type: { type: "string", pattern: `^(?:${group.map((n) => fold.word(n)).join("|")})$` } }, required: ["type"] },
        then,
      });
    }
    return conditions;
  });
}

/**
 * `columnTypeOf`'s grammar: `name`, `name(params)` or anything `…[]` (an array), case-
 * insensitive, trimmed; `name` one of `ACCEPTED_DATA_TYPES`.
 */
export function dataTypePattern(fold: CaseFold): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const params = "(?:\\([^)]*\\))?";
  const names = ACCEPTED_DATA_TYPES.map((n) => fold.word(n)).join("|");
  const arrayOf = `${fold.anyOf(letters, "_ ")}*${fold.anyOf(letters, "0-9_")}*\\s*${params}\\[\\]`;
  return `^\\s*(?:(?:${names})\\s*${params}|${arrayOf})\\s*$`;
}
