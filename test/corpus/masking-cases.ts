/**
 * One case per masking policy in the corpus: data sources built from the policy's
 * own circumstances (id 1 satisfies all of them), users inside and outside each
 * audience, and the exact policyInfo `masked` array the spec requires for each.
 */
import type { MaskedEntry } from "../../src/report/policy-info.js";
import { constant, customFunction, dataSource, factsOf, hashing, nullify, user, type UserInput } from "./helpers.js";

type Raw = Record<string, unknown>;

export interface Expectation {
  readonly user: string;
  /** Defaults to 1, the data source meeting every circumstance. */
  readonly dataSource?: number;
  readonly why: string;
  readonly masked: MaskedEntry[];
}

export interface MaskingCase {
  /** File name prefix in the corpus, e.g. `pttep-04-`. */
  readonly prefix: string;
  readonly title: string;
  readonly staged?: boolean;
  readonly users: UserInput[];
  readonly dataSources: (policy: Raw) => Record<string, unknown>[];
  readonly expect: Expectation[];
  /** Data sources the policy must not bind to (reason `circumstances`). */
  readonly unbound?: { dataSource: number; why: string }[];
  /** Expected `changedOnApply` of the bound policy per column on data source 1. */
  readonly changedOnApply?: Record<string, string[]>;
}

const nobody = user(1, "nobody");
const analyst = user(2, "analyst", ["Analysts"], { "EntraID.department": ["OSS"] });

// pttep-04
const PO_DOMAIN = "763d0faa-6746-4106-9c6a-c6981a5f35a8";
const po = (n: string) => constant(n, "9999.00");
const PO_MASKED = [po("po_value"), po("po_value_entity"), po("value_text")];

// pttep-05 / pttep-07
const FARM = "FARM_FINGERPRINT(CAST(ROUND(@column, 1) AS STRING))";
const MDM_FN = String.raw`SAFE_CAST(REPLACE(REGEXP_REPLACE(CAST(@column AS STRING), r'^-?\d+(\.\d+)?$', '9999'), ',', '') AS NUMERIC)`;
const MDM = "Data Entity.PROSOURCE_MDMVIEWER";

export const MASKING_CASES: readonly MaskingCase[] = [
  {
    prefix: "pttep-01-",
    title: "Hash on a column tag, for everyone",
    users: [nobody, analyst],
    dataSources: (p) => [
      dataSource(1, factsOf(p), [
        { name: "person_name", dataType: "text", tags: ["PII.Person Name"] },
        { name: "first_name", dataType: "varchar(100)", tags: ["PII.Person Name.First"] },
        { name: "person_id", dataType: "integer", tags: ["PII.Person Name"] },
        { name: "pii_other", dataType: "text", tags: ["PII"] },
        { name: "note", dataType: "text" },
      ]),
      dataSource(2, { tags: [], columnTags: [] }, [{ name: "note", dataType: "text", tags: ["PII"] }]),
    ],
    expect: [
      {
        user: "nobody",
        why: "hashed text, a child tag reached, Nullify on the integer; the parent tag is not reached",
        masked: [hashing("person_name"), hashing("first_name"), nullify("person_id")],
      },
      { user: "analyst", why: "no exceptions: the same for everyone", masked: [hashing("person_name"), hashing("first_name"), nullify("person_id")] },
    ],
    unbound: [{ dataSource: 2, why: "no column tagged PII.Person Name (only its parent)" }],
    changedOnApply: { person_name: [], first_name: [], person_id: ["dataTypeMismatch"] },
  },
  {
    prefix: "pttep-02-",
    title: "Null on a column tag, for everyone",
    users: [nobody, analyst],
    dataSources: (p) => [
      dataSource(1, factsOf(p), [
        { name: "project", dataType: "text" },
        { name: "value", dataType: "numeric(18,2)", tags: ["Data Entity.ODS_SAP_BPCB.pl_project_planning.value"] },
        { name: "value_text", dataType: "text", tags: ["Data Entity.ODS_SAP_BPCB.pl_project_planning.value"] },
      ]),
      dataSource(2, { tags: [], columnTags: [] }, [{ name: "value", dataType: "numeric", tags: ["Data Entity.ODS_SAP_BPCB.pl_project_planning"] }]),
    ],
    expect: [
      { user: "nobody", why: "Nullify fits every type", masked: [nullify("value"), nullify("value_text")] },
      { user: "analyst", why: "no exceptions", masked: [nullify("value"), nullify("value_text")] },
    ],
    unbound: [{ dataSource: 2, why: "only the parent tag of the circumstance's column tag" }],
    changedOnApply: { value: [], value_text: [] },
  },
  {
    prefix: "pttep-03-",
    title: "Constant, staged",
    staged: true,
    users: [nobody, analyst],
    dataSources: (p) => [dataSource(1, factsOf(p), [{ name: "value", dataType: "numeric", tags: ["Data Entity.OCEANDATA.value"] }])],
    expect: [],
  },
  {
    prefix: "pttep-04-",
    title: "Constant with exceptions (attributes + groups), 5 circumstances joined by all",
    users: [
      nobody,
      user(2, "opc", [], { "EntraID.department": ["OPC"] }),
      user(3, "oss", [], { "EntraID.department": ["OSS", "opc"] }),
      user(4, "service account", ["DEV: Service-Account"]),
      user(5, "listed twice", ["group-001@corp.example.com"]),
      user(6, "listed last", ["svc-008@project.iam.example.com"]),
      user(7, "case variant", ["dev: service-account"]),
      user(8, "value as group", ["OPC"]),
      user(9, "person one", ["Person One"]),
      user(10, "padded", [" Person One"]),
    ],
    dataSources: (p) => {
      const f = factsOf(p);
      const cols = (drop: string[] = []) =>
        [
          { name: "po_value", dataType: "numeric(15,2)", tags: ["po.value"] },
          { name: "po_value_entity", dataType: "numeric", tags: ["Data Entity.PO.Value"] },
          { name: "plant", dataType: "text", tags: ["Data Entity.PO.Plant"] },
          { name: "value_text", dataType: "text", tags: ["Data Entity.PO.Value"] },
          { name: "date", dataType: "date", tags: ["Data Entity.PO.Date"] },
          { name: "vendor", dataType: "text" },
        ].filter((c) => !c.tags?.some((t) => drop.includes(t)));
      const without = (t: string) => ({ ...f, columnTags: f.columnTags.filter((x) => x !== t) });
      return [
        dataSource(1, f, cols()),
        dataSource(2, { ...f, domainId: "00000000-0000-4000-8000-000000000000" }, cols()),
        dataSource(3, { tags: f.tags, columnTags: f.columnTags, domainName: PO_DOMAIN }, cols()),
        dataSource(4, { ...f, tags: ["Environment.PRD"] }, cols()),
        dataSource(5, without("Data Entity.PO.Plant"), cols(["Data Entity.PO.Plant"])),
        dataSource(6, without("Data Entity.PO.Date"), cols(["Data Entity.PO.Date"])),
        dataSource(7, without("Data Entity.PO.Value"), cols(["Data Entity.PO.Value"])),
        dataSource(8, { ...f, tags: ["Environment.DEV.Sandbox"] }, cols()),
        dataSource(9, { ...f, tags: ["Environment"] }, cols()),
      ];
    },
    expect: [
      { user: "nobody", why: "in no group: masked; 9999.00 is kept on numeric and text columns", masked: PO_MASKED },
      { user: "opc", why: "excepted by attribute EntraID.department=OPC", masked: [] },
      { user: "oss", why: "other department values (and `opc` lower-case) do not except", masked: PO_MASKED },
      { user: "service account", why: "excepted by a group name with a colon and a space", masked: [] },
      { user: "listed twice", why: "excepted by the group listed twice", masked: [] },
      { user: "listed last", why: "excepted by the last listed group", masked: [] },
      { user: "case variant", why: "group names compare case-sensitively", masked: PO_MASKED },
      { user: "value as group", why: "an attribute value is not a group", masked: PO_MASKED },
      { user: "person one", why: "excepted by a group name with a space", masked: [] },
      { user: "padded", why: "group names are not trimmed", masked: PO_MASKED },
      { user: "nobody", dataSource: 8, why: "a child of the circumstance tag satisfies it", masked: PO_MASKED },
      { user: "opc", dataSource: 8, why: "still excepted", masked: [] },
    ],
    unbound: [
      { dataSource: 2, why: "the wrong domain" },
      { dataSource: 3, why: "no domain id (the id given as a domain name)" },
      { dataSource: 4, why: "Environment.PRD instead of Environment.DEV" },
      { dataSource: 5, why: "no column tagged Data Entity.PO.Plant" },
      { dataSource: 6, why: "no column tagged Data Entity.PO.Date" },
      { dataSource: 7, why: "no column tagged Data Entity.PO.Value" },
      { dataSource: 9, why: "only the parent tag Environment" },
    ],
    changedOnApply: { po_value: [], po_value_entity: [], value_text: [] },
  },
  {
    prefix: "pttep-05-",
    title: "Custom Function for everyone who (inclusions), otherwise @column",
    users: [
      user(1, "included", ["DW Migration.vendor.datasupport PRD"]),
      user(2, "nobody"),
      user(3, "near miss", ["DW Migration.vendor.datasupport DEV", "DW Migration.vendor"]),
      user(4, "included plus", ["Analysts", "DW Migration.vendor.datasupport PRD"]),
    ],
    dataSources: (p) => {
      const f = factsOf(p);
      const cols = [
        { name: "value", dataType: "numeric", tags: ["Data Entity.PO.Value"] },
        { name: "supplier", dataType: "text" },
        { name: "po_value", dataType: "float64", tags: ["po.value"] },
      ];
      return [
        dataSource(1, f, cols),
        dataSource(2, { tags: f.tags, columnTags: [] }, cols),
        dataSource(3, { tags: [], columnTags: [], domainId: f.domainId! }, cols),
        dataSource(4, { tags: ["Environment.DEV"], columnTags: [], domainId: "00000000-0000-4000-8000-000000000000" }, cols),
      ];
    },
    expect: [
      { user: "included", why: "the inclusions rule applies", masked: [customFunction("value", FARM), customFunction("po_value", FARM)] },
      { user: "included plus", why: "other groups do not matter", masked: [customFunction("value", FARM), customFunction("po_value", FARM)] },
      { user: "nobody", why: "the otherwise rule: identity", masked: [customFunction("value", "@column"), customFunction("po_value", "@column")] },
      { user: "near miss", why: "similar group names are not the group", masked: [customFunction("value", "@column"), customFunction("po_value", "@column")] },
      {
        user: "included",
        dataSource: 2,
        why: "circumstances any: the tag alone binds",
        masked: [customFunction("value", FARM), customFunction("po_value", FARM)],
      },
      {
        user: "nobody",
        dataSource: 3,
        why: "circumstances any: the domain alone binds",
        masked: [customFunction("value", "@column"), customFunction("po_value", "@column")],
      },
    ],
    unbound: [{ dataSource: 4, why: "neither the tag nor the domain" }],
    changedOnApply: { value: [], po_value: [] },
  },
  {
    prefix: "pttep-06-",
    title: "Custom Function with attribute inclusions, staged",
    staged: true,
    users: [user(1, "included", [], { "EntraID.CompanyName": ["PTTEP"] }), user(2, "nobody")],
    dataSources: (p) => [dataSource(1, factsOf(p), [{ name: "value", dataType: "numeric", tags: ["Data Entity.SUPPLYCHAIN_LOGISTIC.value"] }])],
    expect: [],
  },
  {
    prefix: "pttep-07-",
    title: "four actions: Custom Function, Hash, Null with exceptions, Null on `New` for everyone",
    users: [
      nobody,
      user(2, "svc 009", ["svc-009@project.iam.example.com"]),
      user(3, "svc 010", ["svc-010@project.iam.example.com"]),
      user(4, "both", ["svc-009@project.iam.example.com", "svc-010@project.iam.example.com"]),
      user(5, "near miss", ["svc-011@project.iam.example.com", "New"]),
    ],
    dataSources: (p) => {
      const rest = [
        { name: "bh_text", dataType: "string", tags: [`${MDM}.text`] },
        { name: "bh_text_id", dataType: "int64", tags: [`${MDM}.text`] },
        { name: "bh_time", dataType: "timestamp", tags: [`${MDM}.timestamp`] },
        { name: "well", dataType: "text" },
        { name: "bh_new", dataType: "text", tags: ["New"] },
      ];
      return [
        dataSource(1, factsOf(p), [{ name: "bh_value", dataType: "numeric", tags: [`${MDM}.value`] }, ...rest]),
        dataSource(2, { tags: [], columnTags: [] }, rest),
      ];
    },
    expect: [
      {
        user: "nobody",
        why: "each tagged column gets its own action's mask; Hash falls back to Nullify on the integer",
        masked: [customFunction("bh_value", MDM_FN), hashing("bh_text"), nullify("bh_text_id"), nullify("bh_time"), nullify("bh_new")],
      },
      { user: "svc 009", why: "excepted from the first three actions, not the 4th (no exceptions)", masked: [nullify("bh_new")] },
      { user: "svc 010", why: "excepted from the first three actions, not the 4th", masked: [nullify("bh_new")] },
      { user: "both", why: "excepted from the first three actions, not the 4th", masked: [nullify("bh_new")] },
      {
        user: "near miss",
        why: "an unlisted account (and a group named like the tag) is masked everywhere",
        masked: [customFunction("bh_value", MDM_FN), hashing("bh_text"), nullify("bh_text_id"), nullify("bh_time"), nullify("bh_new")],
      },
    ],
    unbound: [{ dataSource: 2, why: "no column tagged ...PROSOURCE_MDMVIEWER.value, though the other actions' tags are there" }],
    changedOnApply: { bh_value: [], bh_text: [], bh_text_id: ["dataTypeMismatch"], bh_time: [], bh_new: [] },
  },
  {
    prefix: "fh-immuta-utils-01-",
    title: "v1 Consistent Value, exceptions with operator and over 5 groups",
    users: [
      nobody,
      user(2, "group1", ["group1"]),
      user(3, "four of five", ["group2", "group3", "group4", "group5"]),
      user(4, "another four", ["group3", "group4", "group5", "group6"]),
      user(5, "all five", ["group6", "group5", "group4", "group3", "group2"]),
      user(6, "all six", ["group1", "group2", "group3", "group4", "group5", "group6"]),
    ],
    dataSources: (p) => [
      dataSource(1, factsOf(p), [
        { name: "c1", dataType: "text", tags: ["tag1"] },
        { name: "c2", dataType: "text", tags: ["tag2"] },
        { name: "c2_id", dataType: "bigint", tags: ["tag2"] },
        { name: "other", dataType: "text" },
        { name: "c3", dataType: "varchar", tags: ["tag3"] },
      ]),
      dataSource(2, { tags: [], columnTags: [] }, [{ name: "c3", dataType: "text", tags: ["tag3"] }]),
      dataSource(3, { tags: ["tag1"], columnTags: [] }, [{ name: "c", dataType: "text", tags: ["tag4"] }]),
    ],
    expect: [
      { user: "nobody", why: "in no group: hashed, Nullify on the integer", masked: [hashing("c1"), hashing("c2"), nullify("c2_id"), hashing("c3")] },
      { user: "group1", why: "excepted from rule 1 only", masked: [hashing("c2"), nullify("c2_id"), hashing("c3")] },
      { user: "four of five", why: "`and` needs all 5 groups", masked: [hashing("c1"), hashing("c2"), nullify("c2_id"), hashing("c3")] },
      { user: "another four", why: "`and` needs all 5 groups", masked: [hashing("c1"), hashing("c2"), nullify("c2_id"), hashing("c3")] },
      { user: "all five", why: "excepted from rule 2 (tag2, tag3), not rule 1", masked: [hashing("c1")] },
      { user: "all six", why: "excepted from both rules", masked: [] },
      { user: "nobody", dataSource: 2, why: "circumstances or: tag3 alone binds", masked: [hashing("c3")] },
    ],
    unbound: [{ dataSource: 3, why: "tag1 on the data source, not on a column" }],
    changedOnApply: { c1: [], c2: [], c2_id: ["dataTypeMismatch"], c3: [] },
  },
];
