/**
 * A JSON Schema (draft 2020-12) for bundle documents, generated from the zod schemas
 * that validate them, for editor completion and for validating a bundle outside Veil.
 *
 * The schema is a superset of what `parseBundle` accepts: what JSON Schema cannot say
 * is left open (a valid bundle is never rejected), but unknown keys are rejected
 * wherever zod rejects them (`additionalProperties: false`). Left open:
 * - regexes must compile, dates must parse (`RegexSourceSchema`, `IsoDateSchema`);
 * - `isOlderOrNewer` and `direction` of a v1 time rule must agree;
 * - a V2 `Constant` mask's `constant` must be a string (it may be null in the schema);
 * - local (handler) masking rules take column names in `fields`; the schema allows
 *   the v1 global field forms (tag objects, selectors) there too;
 * - advanced (`@function`) expressions and custom WHERE predicates are not parsed;
 * - cross references: unique ids and names, a user's `currentProject`, a project's
 *   `dataSources` (JSON Schema cannot relate two values of a document);
 * - which form (v1 or V2) a global policy is read as: the schema takes either, Veil
 *   picks one by its shape (`detectPolicyFormat`).
 *
 * Pure: no I/O. The build writes the result to `dist/bundle.schema.json`.
 */
import { z } from "zod";
import { BundleInputSchema } from "./bundle.js";
import { DomainRefSchema } from "./common.js";
import { V1ConditionItemSchema, V1ConditionSchema, V2ConditionSchema } from "./condition.js";
import { ColumnSchema, DataSourceSchema, JsonPolicySchema } from "./data-source.js";
import { ACCEPTED_DATA_TYPES } from "./data-type.js";
import { MaskMetadataSchema, V1MaskingConfigSchema, V2_MASK_TYPES, V2MaskingConfigSchema } from "./masking-config.js";
import {
  V1CircumstanceSchema,
  V1DataActionSchema,
  V1FieldSchema,
  V1MaskingRuleSchema,
  V1PolicySchema,
  V1RowRuleSchema,
  V1SubscriptionActionSchema,
} from "./policy-v1.js";
import {
  V2_RULE_TYPES,
  V2CircumstanceSchema,
  V2DataActionSchema,
  V2FieldSchema,
  V2PolicySchema,
  V2RuleSchema,
  V2SubscriptionActionSchema,
} from "./policy-v2.js";
import { CustomWhereConfigSchema, EntitlementsConfigSchema, MinimizationConfigSchema, PurposeConfigSchema, TimeConfigSchema } from "./row-config.js";
import { TagObjectSchema, TagSchema } from "./tag.js";
import { RECORD_VALUES } from "./record.js";
import { AccessSchema, ProjectSchema, PurposeSchema, UserSchema } from "./user.js";

import { caseFold, dataTypePattern, v1MaskConditions, v2MaskConditions } from "./bundle-json-schema-parts.js";

/** File name of the generated schema in `dist/` (and the last segment of its `$id`). */
export const BUNDLE_SCHEMA_FILE = "bundle.schema.json";

/** The published schema's `$id`. */
export const BUNDLE_SCHEMA_ID = `https://unpkg.com/veil-policy/${BUNDLE_SCHEMA_FILE}`;

type Json = Record<string, unknown>;
type Meta = { id?: string; description?: string; title?: string };
type AnyArray = z.ZodArray<z.core.$ZodType>;

/** Metadata given here wins over metadata the schemas carry in zod's global registry. */
class LayeredRegistry extends z.core.$ZodRegistry<Meta> {
  override get(schema: z.core.$ZodType): Meta | undefined {
    const mine = super.get(schema as never) as Meta | undefined;
    const global = z.globalRegistry.get(schema) as Meta | undefined;
    return mine || global ? { ...global, ...mine } : undefined;
  }
}

/** The same array schema (its `min`/`length` checks kept) with another item schema. */
function withElement(array: AnyArray, element: z.core.$ZodType): AnyArray {
  return new z.ZodArray({ ...array._zod.def, element });
}

/** `io: "input"` goes through `z.preprocess` to its target; this is the other end. */
function pipeOut(schema: z.core.$ZodType): z.core.$ZodType {
  return (schema as z.ZodPipe).out;
}

/** `z.object(...).transform(...)` in input mode is its object; this is that object. */
function pipeIn<T extends z.ZodPipe>(schema: T): T["in"] {
  return schema.in;
}

/** Descriptions (from the schemas' doc comments) and `$defs` names. */
function annotate(reg: LayeredRegistry): void {
  const entries: [z.core.$ZodType, Meta][] = [
    [ColumnSchema, { id: "Column", description: "A dictionary column." }],
    [TagSchema, { id: "Tag", description: "A tag, as a dotted string (`PII.SSN`) or as a tag object." }],
    [TagObjectSchema, { id: "TagObject", description: "Immuta's tag object, as returned in dictionaries and policies." }],
    [UserSchema, { id: "User", description: "A user profile: groups by name, attributes as name → unique values." }],
    [ProjectSchema, { id: "Project", description: "A project: its purposes are active while it is the user's current project." }],
    [PurposeSchema, { id: "Purpose", description: "A purpose." }],
    [AccessSchema, { id: "Access", description: "A subscription record: a user's access state on a data source." }],
    [V1CircumstanceSchema, { id: "V1Circumstance", description: "v1 circumstance: each carries the `operator` joining it to the ones before it." }],
    [V2CircumstanceSchema, { id: "V2Circumstance", description: "V2 circumstance: where a global policy applies." }],
    [
      V1FieldSchema,
      { id: "V1Field", description: "v1 masking target: a tag object, a tag name, or a selector `{type: noTags|anyTag|allColumns|columnRegex}`." },
    ],
    [V2FieldSchema, { id: "V2Field", description: "V2 masking target: which columns a masking rule reaches." }],
    [V1ConditionSchema, { id: "V1Condition", description: "v1 `exceptions` / `inclusions`: `{operator: or|and, conditions: [...]}`." }],
    [V1ConditionItemSchema, { id: "V1ConditionItem", description: "One v1 condition: group membership, attribute (authorization) or purpose." }],
    [
      V2ConditionSchema,
      {
        id: "V2Condition",
        description: "V2 audience (`exceptions`, `inclusions`, subscription `entitlements`): groups, attributes, purposes or an advanced expression.",
      },
    ],
    [DomainRefSchema, { id: "DomainRef", description: "A domain named by id or by name." }],
    [MaskMetadataSchema, { id: "MaskMetadata", description: "Mask metadata; which keys apply depends on the masking type." }],
    [V1MaskingConfigSchema, { id: "V1MaskingConfig", description: "v1 `maskingConfig`: `{type, metadata}`." }],
    [
      V2MaskingConfigSchema,
      {
        id: "V2MaskingConfig",
        description: "V2 `maskingConfig`: the type name (case-insensitive) plus its metadata inline (`{type: Constant, constant: X}`).",
      },
    ],
    [V1MaskingRuleSchema, { id: "V1MaskingRule", description: "v1 masking rule." }],
    [V1SubscriptionActionSchema, { id: "V1SubscriptionAction", description: "v1 subscription action." }],
    [V2SubscriptionActionSchema, { id: "V2SubscriptionAction", description: "A V2 subscription action (`actions` is one object in real exports)." }],
    [V2DataActionSchema, { id: "V2DataAction", description: "A V2 data action: a list of rules." }],
    [pipeOut(V2RuleSchema), { id: "V2Rule", description: "A V2 data rule; its `type` is matched case-insensitively." }],
    [CustomWhereConfigSchema, { description: "A custom WHERE clause; `column`, `invert` and `values` are the builder form's inputs." }],
    [EntitlementsConfigSchema, { description: "Rows whose tagged column matches the user's groups, attributes or purposes." }],
    [TimeConfigSchema, { description: "Rows newer (or older) than `time` seconds." }],
    [MinimizationConfigSchema, { description: "Show `percent` of the rows." }],
    [PurposeConfigSchema, { description: "Rows only for users acting under one of these purposes." }],
  ];
  for (const [schema, meta] of entries) reg.add(schema, meta);
}

/** The JSON Schema of `z.record(z.string(), value)`: what a `plainRecord` accepts. */
function recordJson(value: z.ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(z.record(z.string(), value), { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
  return rest;
}

/** The JSON Schema of a bundle document: a bundle object, a global policy, or a list of them. */
export function bundleJsonSchema(): Record<string, unknown> {
  const reg = new LayeredRegistry();
  annotate(reg);
  const fold = caseFold();
  /** JSON-side edits, by zod schema identity, applied as the schema is emitted. */
  const edits = new Map<z.core.$ZodType, (json: Json) => void>();
  const edit = (schema: z.core.$ZodType, f: (json: Json) => void) => {
    const prev = edits.get(schema);
    edits.set(schema, prev ? (j) => (prev(j), f(j)) : f);
  };

  // v1 row rules: `rowOrObjectRestriction` (the handler policy type) is read as
  // `customWhere` when its config has a `predicate`, otherwise as `visibility` (a
  // z.preprocess). Both branches take it as their `type`: a custom WHERE config requires
  // `predicate`, a visibility config does not allow it, so this is exact.
  const V1RowRule = pipeOut(V1RowRuleSchema) as z.ZodDiscriminatedUnion<z.ZodObject[]>;
  const rowRule = (type: string) => V1RowRule.options.find((o) => (o.shape["type"] as z.ZodLiteral).value === type)!;
  for (const type of ["customWhere", "visibility"]) {
    edit(rowRule(type).shape["type"]!, (j) => {
      delete j["const"];
      j["enum"] = [type, "rowOrObjectRestriction"];
    });
  }
  reg.add(V1RowRule, {
    id: "V1RowRule",
    description: "A v1 row rule; `rowOrObjectRestriction` is a custom WHERE with `config.predicate`, a visibility rule otherwise.",
  });
  const visibilityCondition = (rowRule("visibility").shape["conditions"] as z.ZodOptional<AnyArray>).unwrap().element;
  reg.add(visibilityCondition, {
    id: "V1VisibilityCondition",
    description: "A v1 visibility condition: `field` names the column (or a tag object) holding the value.",
  });
  // Visibility and prerequisite rules take `conditions` or `config`, exactly one (a refine).
  for (const o of [rowRule("visibility"), rowRule("prerequisite")]) {
    if ("conditions" in o.shape && "config" in o.shape) edit(o, (j) => (j["oneOf"] = [{ required: ["conditions"] }, { required: ["config"] }]));
  }

  // v1 data actions and local policies validate `rules` per item by the action's type
  // (a transform over `z.array(z.unknown())`): masking actions take masking rules, the rest row rules.
  const byActionType = (action: z.ZodObject, masking: z.core.$ZodType) => {
    const type = action.shape["type"] as z.ZodEnum;
    const rules = action.shape["rules"] as AnyArray;
    return z.union([
      action.extend({ type: type.extract(["masking"]), rules: withElement(rules, masking) }),
      action.extend({ type: type.exclude(["masking"]), rules: withElement(rules, V1RowRuleSchema) }),
    ]);
  };
  const V1DataActionInput = byActionType(pipeIn(V1DataActionSchema), V1MaskingRuleSchema);
  reg.add(V1DataActionInput, { id: "V1DataAction", description: "v1 data action: `{type, rules[]}`; the action type names the rule kind." });
  const LocalPolicyInput = byActionType(pipeIn(JsonPolicySchema), V1MaskingRuleSchema);
  reg.add(LocalPolicyInput, {
    id: "LocalPolicy",
    description: "One item of the handler's `jsonPolicies` (a local policy); masking rules name columns in `fields`.",
  });

  const [v1Data, v1Subscription] = V1PolicySchema.options;
  const V1PolicyInput = z.union([v1Data.extend({ actions: withElement(v1Data.shape.actions, V1DataActionInput) }), v1Subscription]);
  reg.add(V1PolicyInput, { id: "V1Policy", description: "A v1 global policy (`POST /policy/global` body or `GET /policy/global` item)." });
  reg.add(V2PolicySchema, { id: "V2Policy", description: "A V2 (policy-as-code) global policy." });
  const PolicyInput = z.union([V2PolicySchema, V1PolicyInput]);
  reg.add(PolicyInput, { id: "Policy", description: "A global policy, V2 (policy-as-code) or v1 (API)." });

  const handler = DataSourceSchema.shape.policyHandler.unwrap();
  const DataSourceInput = DataSourceSchema.extend({
    policyHandler: handler.extend({ jsonPolicies: withElement(handler.shape.jsonPolicies, LocalPolicyInput) }).optional(),
  });
  reg.add(DataSourceInput, { id: "DataSource", description: "A data source: `GET /dataSource/{id}` fields plus its dictionary and local policies." });

  const top = BundleInputSchema.shape;
  const BundleObject = BundleInputSchema.extend({
    dataSources: withElement(top.dataSources.unwrap(), DataSourceInput).optional(),
    globalPolicies: withElement(top.globalPolicies.unwrap(), PolicyInput).optional(),
  });
  reg.add(BundleObject, {
    id: "Bundle",
    description: "A bundle: data sources, global policies, projects, purposes, users and subscriptions. Every key is optional.",
  });
  const keyDocs: Record<string, string> = {
    dataSources: "Data sources with their dictionaries and local (handler) policies.",
    globalPolicies: "Global policies, V2 (policy-as-code) or v1 (API), data or subscription.",
    projects: "Projects; a user's current project's purposes are active.",
    purposes: "Purposes.",
    users: "User profiles.",
    access: "Subscription records (user × data source).",
  };
  edit(BundleObject, (j) => {
    for (const [k, p] of Object.entries(j["properties"] as Record<string, Json>)) if (keyDocs[k]) p["description"] = keyDocs[k];
  });

  // V2 rule types are matched case-insensitively, runs of white space as one (a z.preprocess).
  const canonicalRule = new Map(Object.entries(V2_RULE_TYPES).map(([lower, canonical]) => [canonical as string, lower]));
  for (const o of (pipeOut(V2RuleSchema) as z.ZodDiscriminatedUnion<z.ZodObject[]>).options) {
    const literal = o.shape["type"] as z.ZodLiteral<string>;
    const lower = canonicalRule.get(literal.value);
    if (lower === undefined) continue;
    edit(literal, (j) => {
      delete j["const"];
      Object.assign(j, { type: "string", pattern: `^${fold.word(lower, "collapse")}$`, examples: [literal.value] });
    });
  }
  // V2 masking types: a case-insensitive name (a superRefine over z.string()).
  const v2MaskNames = Object.keys(V2_MASK_TYPES);
  edit(V2MaskingConfigSchema.shape.type, (j) =>
    Object.assign(j, {
      pattern: `^(?:${v2MaskNames.map((n) => fold.word(n)).join("|")})$`,
      examples: v2MaskNames.map((n) => n.replace(/(^|[ -])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase())),
    }),
  );
  edit(V2MaskingConfigSchema, (j) => (j["allOf"] = v2MaskConditions(fold)));
  edit(V1MaskingConfigSchema, (j) => (j["allOf"] = v1MaskConditions()));
  // Column data types: `columnTypeOf` must know them (a refine).
  edit(ColumnSchema.shape.dataType, (j) => Object.assign(j, { pattern: dataTypePattern(fold), examples: [...ACCEPTED_DATA_TYPES] }));
  // A domain needs an id or a name; a V2 condition needs one non-empty key besides `operator` (refines).
  edit(DomainRefSchema, (j) => (j["minProperties"] = 1));
  edit(V2ConditionSchema, (j) => {
    j["anyOf"] = Object.entries(V2ConditionSchema.shape)
      .filter(([k]) => k !== "operator")
      .map(([k, s]) => (s.unwrap() instanceof z.ZodArray ? { required: [k], properties: { [k]: { type: "array", minItems: 1 } } } : { required: [k] }));
  });

  const Document = z.union([BundleObject, PolicyInput, z.array(PolicyInput)]);
  const schema = z.toJSONSchema(Document, {
    target: "draft-2020-12",
    io: "input",
    // Anything zod cannot express becomes `{}` (accepts anything) rather than throwing.
    unrepresentable: "any",
    cycles: "ref",
    reused: "inline",
    metadata: reg,
    override: ({ zodSchema, jsonSchema }) => {
      const j = jsonSchema as Json;
      // zod copies a registry `id` into the schema; it only names the `$defs` entry.
      if (typeof j["id"] === "string" && reg.get(zodSchema)?.id === j["id"]) delete j["id"];
      // A `plainRecord` validates in a transform (zod's record mishandles `__proto__` keys): emit the record it stands for.
      const recordValue = RECORD_VALUES.get(zodSchema);
      if (recordValue) Object.assign(j, recordJson(recordValue));
      edits.get(zodSchema)?.(j);
    },
  }) as Json;

  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: BUNDLE_SCHEMA_ID,
    title: "Veil bundle",
    description:
      "A Veil bundle document (JSON or YAML): a bundle object, a single global policy (V2 policy-as-code or v1), or a list of global policies. Generated from Veil's zod schemas.",
    ...rest,
  };
}
