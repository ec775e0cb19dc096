/**
 * One case per row policy in the corpus (pttep-08 … pttep-21): a data source built
 * from the policy's own circumstances (id 1 satisfies all of them) with the columns
 * its predicates and entitlement tags name, users inside and outside each rule's
 * inclusions and exceptions, and, per user, the rule that applies (first match in the
 * action) and the exact policyInfo row output the spec requires (semantics §5–6).
 *
 * Expected predicates are written out, or taken from the raw policy text with each
 * @-function call replaced by its expansion (`expanded`), which fails if a call it
 * names is not in the text or if any call is left unexpanded.
 */
import { avc, dataSource, date, DEPT, DIV, ds, expanded, PO_DEPT, pred, SEC, text, user, vis, type UserInput } from "./helpers.js";
import { PO_MART_CASES } from "./row-cases-po.js";

type Raw = Record<string, unknown>;

export interface RowExpectation {
  readonly user: string;
  /** Defaults to 1, the data source meeting every circumstance. */
  readonly dataSource?: number;
  readonly why: string;
  /** Index within the action of the rule that applies (first match); null when none does. */
  readonly rule: number | null;
  /** The exact `additionalFilters.customWhere.predicate`; absent → `additionalFilters` is `{}`. */
  readonly where?: string;
  /** Set when an entitlements rule applies: the user's visibilities (`visibilityRuleApplies: true`). */
  readonly visible?: Record<string, string>[];
}

export interface RowCase {
  /** File name prefix in the corpus, e.g. `pttep-08-`. */
  readonly prefix: string;
  readonly title: string;
  readonly staged?: boolean;
  /** Staged: also evaluate a copy with `staged: false`, so its rules are exercised. */
  readonly evaluateLive?: boolean;
  readonly users: UserInput[];
  readonly dataSources: (policy: Raw) => Record<string, unknown>[];
  /** Row-security columns of data source 1, and its distinct visibilities over them. */
  readonly rowColumns: string[];
  readonly visibilitiesCount: number;
  readonly expect: RowExpectation[];
  /** Data sources the policy must not bind to (reason `circumstances`). */
  readonly unbound?: { dataSource: number; why: string }[];
  /** Data sources where the action does not bind because a tag it needs is on no column. */
  readonly untagged?: { dataSource: number; why: string; detail: string }[];
}

const nobody = user(1, "nobody");

// pttep-13 / pttep-17 / pttep-21: SQL expressions given to @attributeValuesContains.
const IHERZ13 = `split( ContractHolderDepartmentSection_IHERZ, "/") [safe_offset(0)]`;
const VERNA13 = `split( WBSOwner_VERNA, "/") [safe_offset(0)]`;
const RESP17 = `split( resp_pers_des, "/") [safe_offset(0)]`;
/** pttep-13 rule 0 with the user's department list (SQL text). */
const p13 = (list: string) =>
  expanded("pttep-13-", 0, [
    [avc("rls_department"), `"rls_department" IN (${list})`],
    [avc(IHERZ13), `(${IHERZ13}) IN (${list})`],
    [avc(VERNA13), `(${VERNA13}) IN (${list})`],
  ]);

const CASES: RowCase[] = [
  {
    prefix: "pttep-08-",
    title: "custom WHERE for everyone",
    users: [nobody, user(2, "analyst", ["Analysts"], { [DEPT]: ["OSS"] })],
    dataSources: (p) => [ds(1, p, [text("TABNAME"), text("CHANGENR")]), dataSource(2, { tags: ["ODS.PRD.SAP_ECC.pur"], columnTags: [] }, [text("TABNAME")])],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "nobody", why: "no conditions: the predicate as authored", rule: 0, where: "TABNAME in ('QMFE', 'QMUR')" },
      { user: "analyst", why: "the same for everyone", rule: 0, where: "TABNAME in ('QMFE', 'QMUR')" },
    ],
    unbound: [{ dataSource: 2, why: "only the parent of the circumstance tag" }],
  },
  {
    prefix: "pttep-09-",
    title: "custom WHERE for everyone, two tags joined by all",
    users: [nobody, user(2, "planner", ["DATAMART.PRODUCTION PLANNING"])],
    dataSources: (p) => [
      ds(1, p, [text("asset"), { name: "target", dataType: "numeric" }]),
      dataSource(2, { tags: ["Environment.DEV"], columnTags: [] }, [text("asset")]),
    ],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "nobody", why: "no conditions", rule: 0, where: "asset = 'S1'" },
      { user: "planner", why: "no conditions", rule: 0, where: "asset = 'S1'" },
    ],
    unbound: [{ dataSource: 2, why: "carries one of the two tags `all` requires" }],
  },
  {
    prefix: "pttep-10-",
    title: "custom WHERE, staged",
    staged: true,
    users: [nobody, user(2, "asset owner", ["GBN"])],
    dataSources: (p) => [ds(1, p, [text("ASSET")])],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [],
  },
  {
    prefix: "pttep-11-",
    title: "two inclusions rules, then entitlements for everyone else",
    users: [
      nobody,
      user(2, "g11", ["group-011@corp.example.com"]),
      user(3, "g12", ["group-012@corp.example.com"]),
      user(4, "g11+g12", ["group-012@corp.example.com", "group-011@corp.example.com"]),
      user(5, "ECM", [], { [DEPT]: ["ECM"] }),
      user(6, "EFE+ECM", [], { [DEPT]: ["EFE", "ECM"] }),
      user(7, "g11 in ECM", ["group-011@corp.example.com"], { [DEPT]: ["ECM"] }),
    ],
    dataSources: (p) => [
      ds(1, p, [text("DeptName", ["Data Entity.TIMEWRITE.Department"]), { name: "WorkHours", dataType: "numeric" }], {
        visibilities: vis("DeptName", "ECM", "EFE", "OSS"),
      }),
      ds(2, p, [text("DeptName"), { name: "WorkHours", dataType: "numeric" }]),
    ],
    rowColumns: ["DeptName"],
    visibilitiesCount: 3,
    expect: [
      { user: "g11", why: "rule 1 includes group-011", rule: 0, where: "DeptName in ('ECM', 'EFE')" },
      { user: "g12", why: "rule 2 includes group-012", rule: 1, where: "DeptName LIKE 'E%'" },
      { user: "g11+g12", why: "the first matching rule wins", rule: 0, where: "DeptName in ('ECM', 'EFE')" },
      { user: "ECM", why: "entitlements: the rows whose DeptName is the user's department", rule: 2, visible: [{ DeptName: "ECM" }] },
      {
        user: "EFE+ECM",
        why: "entitlements: one visibility per matching value, in the source's order",
        rule: 2,
        visible: [{ DeptName: "ECM" }, { DeptName: "EFE" }],
      },
      { user: "nobody", why: "entitlements apply, nothing matches: no visibilities", rule: 2, visible: [] },
      { user: "g11 in ECM", why: "an included user gets the inclusions rule only, not the entitlements", rule: 0, where: "DeptName in ('ECM', 'EFE')" },
    ],
    untagged: [{ dataSource: 2, why: "no column carries the entitlements tag", detail: "no column is tagged `Data Entity.TIMEWRITE.Department`" }],
  },
  {
    prefix: "pttep-12-",
    title: "entitlements with inclusions, custom WHERE with inclusions, `1=1` otherwise",
    users: [
      nobody,
      user(2, "ECM", [], { [DEPT]: ["ECM"] }),
      user(3, "ECM+EFE", [], { [DEPT]: ["ECM", "EFE"] }),
      user(4, "developer", ["ECM DT.datadeveloper"]),
      user(5, "EFE", [], { [DEPT]: ["EFE"] }),
      user(6, "ECM developer", ["ECM DT.datadeveloper"], { [DEPT]: ["ECM"] }),
    ],
    dataSources: (p) => [ds(1, p, [text("material"), text("rls_department", [PO_DEPT])], { visibilities: vis("rls_department", "ECM", "EFE", "OSS") })],
    rowColumns: ["rls_department"],
    visibilitiesCount: 3,
    expect: [
      { user: "ECM", why: "included by department ECM: entitlements on the tagged column", rule: 0, visible: [{ rls_department: "ECM" }] },
      { user: "ECM+EFE", why: "included (has ECM); sees every department they hold", rule: 0, visible: [{ rls_department: "ECM" }, { rls_department: "EFE" }] },
      { user: "developer", why: "rule 2 includes the developer group", rule: 1, where: "rls_department = 'ECM'" },
      { user: "ECM developer", why: "the entitlements rule comes first", rule: 0, visible: [{ rls_department: "ECM" }] },
      { user: "EFE", why: "not included anywhere: the `1=1` otherwise", rule: 2, where: "1=1" },
      { user: "nobody", why: "the `1=1` otherwise", rule: 2, where: "1=1" },
    ],
  },
  {
    prefix: "pttep-13-",
    title: "@attributeValuesContains over columns and SQL expressions; entitlements with exceptions",
    users: [
      nobody,
      user(2, "EMI", [], { [DEPT]: ["EMI"] }),
      user(3, "OLG+EMI", [], { [DEPT]: ["OLG", "EMI"] }),
      user(4, "g001", ["group-001@corp.example.com"]),
      user(5, "OLG", [], { [DEPT]: ["OLG"] }),
      user(6, "OLG+OLG/M", [], { [DEPT]: ["OLG", "OLG/M"] }),
      user(7, "OSS", [], { [DEPT]: ["OSS"] }),
      user(8, "SCM service", ["SCM Service Account"]),
      user(9, "olg", [], { [DEPT]: ["olg"] }),
    ],
    dataSources: (p) => [
      ds(
        1,
        p,
        [
          text("rls_department", [PO_DEPT]),
          text("TrackingNumber_BEDNR"),
          text("ContractHolderDepartmentSection_IHERZ"),
          text("WBSOwner_VERNA"),
          date("PurchasingDocumentDate_BEDAT"),
        ],
        {
          visibilities: vis("rls_department", "EMI", "OLG", "OLG/M", "OSS"),
        },
      ),
      ds(2, p, [text("rls_department", [PO_DEPT])], { domainId: "00000000-0000-0000-0000-000000000000" }),
    ],
    rowColumns: ["rls_department"],
    visibilitiesCount: 4,
    expect: [
      { user: "EMI", why: "rule 1: a column → quoted identifier, an expression verbatim in parentheses, the value quoted", rule: 0, where: p13("'EMI'") },
      { user: "OLG+EMI", why: "rule 1: every department, in the user's order", rule: 0, where: p13("'OLG', 'EMI'") },
      { user: "g001", why: "rule 2 includes group-001", rule: 1, where: "extract(year from PurchasingDocumentDate_BEDAT)<=2019" },
      { user: "OLG", why: "entitlements for everyone not excepted", rule: 2, visible: [{ rls_department: "OLG" }] },
      { user: "OLG+OLG/M", why: "entitlements: both values", rule: 2, visible: [{ rls_department: "OLG" }, { rls_department: "OLG/M" }] },
      { user: "nobody", why: "entitlements, no values: sees no visibility", rule: 2, visible: [] },
      { user: "olg", why: "values compare case-sensitively", rule: 2, visible: [] },
      { user: "OSS", why: "excepted by attribute: no rule applies", rule: null },
      { user: "SCM service", why: "excepted by group: no rule applies", rule: null },
    ],
    unbound: [{ dataSource: 2, why: "another domain id (`all`)" }],
  },
  {
    prefix: "pttep-15-",
    title: "@columnTagged twice, exceptions with one attribute twice under `all`; staged",
    staged: true,
    evaluateLive: true,
    users: [nobody, user(2, "OPC+OSS", [], { [DEPT]: ["OPC", "OSS"] }), user(3, "OPC", [], { [DEPT]: ["OPC"] })],
    dataSources: (p) => [ds(1, p, [text("plant", ["Data Entity.PO.Plant"]), { name: "po_date", dataType: "date", tags: ["Data Entity.PO.Date"] }])],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "nobody", why: "(made live) each @columnTagged → its column, quoted", rule: 0, where: `"plant"='4101' AND "po_date" < '2014-01-01'` },
      { user: "OPC", why: "(made live) `all`: one of the two values does not except", rule: 0, where: `"plant"='4101' AND "po_date" < '2014-01-01'` },
      { user: "OPC+OSS", why: "(made live) holds both values: excepted", rule: null },
    ],
  },
  {
    prefix: "pttep-16-",
    title: "`true` for three inclusions rules, `false` otherwise",
    users: [
      nobody,
      user(2, "SVP", [], { [DIV]: ["OSM"], "EntraID.JobTitle": ["SVP, Supply Chain Management Division"], "EntraID.departments": ["- : -"] }),
      user(3, "SVP without departments", [], { [DIV]: ["OSM"], "EntraID.JobTitle": ["SVP, Supply Chain Management Division"] }),
      user(4, "OSS : -", [], { "EntraID.departments": ["OSS : -"] }),
      user(5, "market intelligence", ["dcoe.marketintelligence.datascience"]),
      user(6, "oss : -", [], { "EntraID.departments": ["oss : -"] }),
    ],
    dataSources: (p) => [ds(1, p, [text("ppf_id"), text("approval_status")])],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "SVP", why: "rule 1 (`all` of three attributes, one a job title with a comma)", rule: 0, where: "true" },
      { user: "OSS : -", why: "rule 2 (`any`)", rule: 1, where: "true" },
      { user: "market intelligence", why: "rule 3 (groups)", rule: 2, where: "true" },
      { user: "SVP without departments", why: "misses one attribute of `all`: the `false` otherwise", rule: 3, where: "false" },
      { user: "oss : -", why: "values compare case-sensitively: otherwise", rule: 3, where: "false" },
      { user: "nobody", why: "the `false` otherwise", rule: 3, where: "false" },
    ],
  },
  {
    prefix: "pttep-17-",
    title: "@attributeValuesContains over a SQL expression, `false` otherwise",
    users: [
      nobody,
      user(2, "OWO/P", [], { [SEC]: ["OWO/P"] }),
      user(3, "g034", ["group-034@corp.example.com"]),
      user(4, "OFE", [], { [DEPT]: ["OFE"] }),
      user(5, "PTTEP ECM+EXP", [], { "EntraID.isPTTEP": ["true"], [DEPT]: ["ECM", "EXP"] }),
      user(6, "PTTEP O'X", [], { "EntraID.isPTTEP": ["true"], [DEPT]: ["O'X"] }),
      user(7, "PTTEP, no department", [], { "EntraID.isPTTEP": ["true"] }),
      user(8, "PTTEP OFE", [], { "EntraID.isPTTEP": ["true"], [DEPT]: ["OFE"] }),
      user(9, "PTTEP TRUE", [], { "EntraID.isPTTEP": ["TRUE"], [DEPT]: ["ECM"] }),
    ],
    dataSources: (p) => [ds(1, p, [text("wbs_element"), text("resp_pers_des"), { name: "actual_cost", dataType: "numeric(18,2)" }])],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "OWO/P", why: "rule 1 by attribute (attributes and groups, `any`)", rule: 0, where: "true" },
      { user: "g034", why: "rule 1 by group", rule: 0, where: "true" },
      { user: "OFE", why: "rule 2: the predicate as authored", rule: 1, where: `split( resp_pers_des, "/") [safe_offset(0)] IN ('OFE','OFD','OTF','OTF1')` },
      { user: "PTTEP OFE", why: "rule 2 comes before rule 3", rule: 1, where: `split( resp_pers_des, "/") [safe_offset(0)] IN ('OFE','OFD','OTF','OTF1')` },
      { user: "PTTEP ECM+EXP", why: "rule 3: the expression verbatim (parenthesised), the values quoted", rule: 2, where: `(${RESP17}) IN ('ECM', 'EXP')` },
      { user: "PTTEP O'X", why: "rule 3: a quote in a value is doubled", rule: 2, where: `(${RESP17}) IN ('O''X')` },
      { user: "PTTEP, no department", why: "rule 3 without the attribute: an empty list, `IN (NULL)`", rule: 2, where: `(${RESP17}) IN (NULL)` },
      { user: "PTTEP TRUE", why: "`TRUE` is not the string `true`: the `false` otherwise", rule: 3, where: "false" },
      { user: "nobody", why: "the `false` otherwise", rule: 3, where: "false" },
    ],
  },
  {
    prefix: "pttep-18-",
    title: "an inclusions rule, then @attributeValuesContains for everyone except three groups",
    users: [
      nobody,
      user(2, "OWO", [], { [DIV]: ["OWO"] }),
      user(3, "g006", ["group-006@corp.example.com"]),
      user(4, "OPC", [], { [DEPT]: ["OPC"] }),
      user(5, "custodian", ["scm.custodian.datauser"]),
      user(6, "Person One in OWO", ["Person One"], { [DIV]: ["OWO"] }),
    ],
    dataSources: (p) => [
      ds(1, p, [text("DepartmentSection_IHREZ"), text("ContractHolderDepartmentAbbr"), { name: "guarantee_amount", dataType: "numeric" }]),
      ds(2, p, [text("DepartmentSection_IHREZ")]),
    ],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "OWO", why: "rule 1 by attribute", rule: 0, where: pred("pttep-18-", 0) },
      { user: "g006", why: "rule 1 by group", rule: 0, where: pred("pttep-18-", 0) },
      { user: "Person One in OWO", why: "the inclusions rule comes first; its exception does not matter", rule: 0, where: pred("pttep-18-", 0) },
      { user: "OPC", why: "rule 2: a column → quoted identifier", rule: 1, where: `"ContractHolderDepartmentAbbr" IN ('OPC')` },
      { user: "nobody", why: "rule 2 without the attribute: `IN (NULL)`", rule: 1, where: `"ContractHolderDepartmentAbbr" IN (NULL)` },
      { user: "custodian", why: "excepted from rule 2, not included in rule 1: no filter", rule: null },
      {
        user: "OPC",
        dataSource: 2,
        why: "a source without that column: the name is an expression, verbatim in parentheses",
        rule: 1,
        where: `(ContractHolderDepartmentAbbr) IN ('OPC')`,
      },
    ],
  },
  {
    prefix: "pttep-19-",
    title: "one inclusions rule (`all`), `1=1` otherwise",
    users: [nobody, user(2, "svc-035", ["svc-035@project.iam.example.com"])],
    dataSources: (p) => [ds(1, p, [text("ASSET"), text("annulus")]), dataSource(2, { tags: [], columnTags: [] }, [text("ASSET")])],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "svc-035", why: "the included group", rule: 0, where: "ASSET = 'G1/61'" },
      { user: "nobody", why: "the `1=1` otherwise", rule: 1, where: "1=1" },
    ],
    unbound: [{ dataSource: 2, why: "no tags" }],
  },
];

/** Every row policy of the corpus, in file order. */
export const ROW_CASES: readonly RowCase[] = [...CASES, ...PO_MART_CASES].sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
