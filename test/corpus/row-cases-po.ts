/**
 * The three large procurement "Official Mart" row policies (pttep-14, -20, -21): long
 * first-match chains of inclusions rules, the builder form, `@columnTagged`,
 * entitlements with exceptions, and `@attributeValuesContains` over SQL expressions.
 * Part of the row-case table (`row-cases.ts`), split out to keep files short.
 */
import { avc, date, DEPT, DIV, ds, expanded, PO_DEPT, pred, SEC, text, user, vis } from "./helpers.js";
import type { RowCase } from "./row-cases.js";

const nobody = user(1, "nobody");
const g = (id: number, name: string) => user(id, name, [name]);

// pttep-14
const P14 = "pttep-14-";
const BUILDER = "('EMI','OLG','OLG/M','EMX','EME')";
const PR_COLUMNS = [
  text("rls_department", [PO_DEPT]),
  text("RequisitionTrackingNumber_BEDNR"),
  date("PurchasingDocumentDate_BEDAT"),
  date("POCreatedDate_AEDAT"),
];

// pttep-20
const P20 = "pttep-20-";
const ABBR = (list: string) => `"ContractHolderDepartmentAbbr" IN (${list})`;

// pttep-21: the SQL expressions its @attributeValuesContains calls name.
const P21 = "pttep-21-";
const IHREZ_UP = `SPLIT( ContractHolderDepartment_IHREZ,"/") [SAFE_OFFSET(0)]`;
const VERNA_UP = `SPLIT( WBSOwner_VERNA,"/") [SAFE_OFFSET(0)]`;
const IHREZ = `split( ContractHolderDepartment_IHREZ, "/") [safe_offset(0)]`;
const VERNA = `split( WBSOwner_VERNA, "/") [safe_offset(0)]`;
/** pttep-21 rule `rule` with the user's department list (SQL text); rule 1 spells the expressions in capitals, rule 11 has only the last call. */
const p21 = (rule: 1 | 11 | 12 | 13, list: string) => {
  const [ihrez, verna] = rule === 1 ? [IHREZ_UP, VERNA_UP] : [IHREZ, VERNA];
  const subs: [string, string][] = [[avc(verna), `(${verna}) IN (${list})`]];
  if (rule !== 11) subs.push([avc("rls_department"), `"rls_department" IN (${list})`], [avc(ihrez), `(${ihrez}) IN (${list})`]);
  return expanded(P21, rule, subs);
};
const PO_COLUMNS = [
  text("PurchasingNumber_EBELN"),
  text("rls_department"),
  text("PurchasingCategoryCode_BSTYP"),
  text("ContractHolderDepartment_IHREZ"),
  text("WBSOwner_VERNA"),
  text("TrackingNumber_BEDNR"),
  text("ItemCategory_MTART"),
  date("PurchasingDocumentDate_BEDAT"),
  date("POCreatedDate_AEDAT"),
  { name: "Created_Datetime", dataType: "timestamp" },
];

export const PO_MART_CASES: readonly RowCase[] = [
  {
    prefix: P14,
    title: "builder form (column/invert/values) with @columnTagged, nine inclusions rules, entitlements with exceptions",
    users: [
      nobody,
      g(2, "group-012@corp.example.com"),
      user(3, "ODX/P", [], { [SEC]: ["ODX/P"] }),
      user(4, "division EMI", [], { [DIV]: ["EMI"] }),
      user(5, "EFE", [], { [DEPT]: ["EFE"] }),
      user(6, "division EDM", [], { [DIV]: ["EDM"] }),
      g(7, "datamart_supplychain.datauser"),
      user(8, "OWO/P", [], { [SEC]: ["OWO/P"] }),
      user(9, "OTF", [], { [DEPT]: ["OTF"] }),
      g(10, "group-022@corp.example.com"),
      user(11, "ODT in ODT/M", [], { [DEPT]: ["ODT"], [SEC]: ["ODT/M"] }),
      user(12, "OSS", [], { [DEPT]: ["OSS"] }),
      g(13, "ODT/M Intern"),
      user(14, "g012 in division EMI", ["group-012@corp.example.com"], { [DIV]: ["EMI"] }),
      user(15, "OTF in OWO/P", [], { [DEPT]: ["OTF"], [SEC]: ["OWO/P"] }),
    ],
    dataSources: (p) => [
      ds(1, p, PR_COLUMNS, { visibilities: vis("rls_department", "ODT", "ODT/M", "EMI", "OSS") }),
      ds(2, p, [text("rls_department"), ...PR_COLUMNS.slice(1)]),
      ds(3, p, [text("dept_code", [`${PO_DEPT}.Code`]), ...PR_COLUMNS], { visibilities: vis("dept_code", "ODT", "EMI") }),
    ],
    rowColumns: ["rls_department"],
    visibilitiesCount: 4,
    expect: [
      { user: "group-012@corp.example.com", why: "rule 1", rule: 0, where: "rls_department IN ('EDM','EFE','ECM','EWP','ETS','EME','EMX','EDC','EDV')" },
      { user: "g012 in division EMI", why: "rule 1 comes before the builder rule", rule: 0, where: pred(P14, 0) },
      { user: "ODX/P", why: "rule 2", rule: 1, where: "rls_department IN ('ODT','ODC','OMS')" },
      { user: "division EMI", why: "rule 3, the builder form: @columnTagged → the tagged column, quoted", rule: 2, where: `"rls_department" IN ${BUILDER}` },
      { user: "EFE", why: "rule 4: the user's department on the column", rule: 3, where: `( "rls_department" IN ('EFE') )` },
      { user: "division EDM", why: "rule 4 includes division EDM, who has no department: `IN (NULL)`", rule: 3, where: `( "rls_department" IN (NULL) )` },
      { user: "datamart_supplychain.datauser", why: "rule 6 (rule 5 repeats rule 3 and never applies)", rule: 5, where: pred(P14, 5) },
      { user: "OWO/P", why: "rule 7 by attribute", rule: 6, where: pred(P14, 6) },
      { user: "OTF in OWO/P", why: "rule 7 comes before rule 8", rule: 6, where: pred(P14, 6) },
      { user: "OTF", why: "rule 8", rule: 7, where: pred(P14, 7) },
      { user: "group-022@corp.example.com", why: "rule 9", rule: 8, where: pred(P14, 8) },
      {
        user: "ODT in ODT/M",
        why: "entitlements, `any` of department and section on the same column",
        rule: 9,
        visible: [{ rls_department: "ODT" }, { rls_department: "ODT/M" }],
      },
      { user: "nobody", why: "entitlements, nothing matches", rule: 9, visible: [] },
      { user: "OSS", why: "excepted by attribute: no rule applies", rule: null },
      { user: "ODT/M Intern", why: "excepted by group: no rule applies", rule: null },
      { user: "division EMI", dataSource: 3, why: "the first column carrying the tag or a descendant", rule: 2, where: `"dept_code" IN ${BUILDER}` },
      { user: "ODT in ODT/M", dataSource: 3, why: "entitlements read that first tagged column", rule: 9, visible: [{ dept_code: "ODT" }] },
    ],
    untagged: [{ dataSource: 2, why: "no column is tagged Data Entity.PO.Department", detail: "no column is tagged `Data Entity.PO.Department`" }],
  },
  {
    prefix: P20,
    title: "nine inclusions rules, then @attributeValuesContains for everyone except",
    users: [
      nobody,
      g(2, "group-012@corp.example.com"),
      user(3, "ODX/P", [], { [SEC]: ["ODX/P"] }),
      user(4, "division EMI", [], { [DIV]: ["EMI"] }),
      user(5, "EFE", [], { [DEPT]: ["EFE"] }),
      user(6, "division EDM", [], { [DIV]: ["EDM"] }),
      g(7, "datamart_supplychain.datauser"),
      user(8, "OWO/P", [], { [SEC]: ["OWO/P"] }),
      user(9, "division OWO", [], { [DIV]: ["OWO"] }),
      g(10, "group-022@corp.example.com"),
      g(11, "dcoe.msm.datasupport"),
      user(12, "OLG", [], { [DEPT]: ["OLG"] }),
      user(13, "OPC", [], { [DEPT]: ["OPC"] }),
      g(14, "Person Three"),
    ],
    dataSources: (p) => [
      ds(1, p, [text("ContractNumber"), text("DepartmentSection_IHREZ"), text("ContractHolderDepartmentAbbr"), date("ContractCreatedDate")]),
      ds(2, p, [text("ContractHolderDepartmentAbbr")], { domainName: "Exploration" }),
    ],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      {
        user: "group-012@corp.example.com",
        why: "rule 1",
        rule: 0,
        where: "split(DepartmentSection_IHREZ, '/')[safe_offset(0)] IN ('EDM','EFE','ECM','EWP','ETS','EME','EMX','EDC','EDV')",
      },
      { user: "ODX/P", why: "rule 2", rule: 1, where: pred(P20, 1) },
      { user: "division EMI", why: "rule 3", rule: 2, where: pred(P20, 2) },
      { user: "EFE", why: "rule 4: the column quoted, the department quoted", rule: 3, where: ABBR("'EFE'") },
      { user: "division EDM", why: "rule 4 without a department: `IN (NULL)`", rule: 3, where: ABBR("NULL") },
      { user: "datamart_supplychain.datauser", why: "rule 5", rule: 4, where: "EXTRACT(YEAR FROM ContractCreatedDate) IN (2023,2024)" },
      { user: "OWO/P", why: "rule 6", rule: 5, where: pred(P20, 5) },
      { user: "division OWO", why: "rule 7", rule: 6, where: pred(P20, 6) },
      { user: "group-022@corp.example.com", why: "rule 8", rule: 7, where: pred(P20, 7) },
      { user: "dcoe.msm.datasupport", why: "rule 9", rule: 8, where: pred(P20, 8) },
      { user: "OLG", why: "no inclusions: rule 10", rule: 9, where: ABBR("'OLG'") },
      { user: "nobody", why: "rule 10 without a department: `IN (NULL)`", rule: 9, where: ABBR("NULL") },
      { user: "OPC", why: "excepted from rule 10 by attribute: no filter", rule: null },
      { user: "Person Three", why: "excepted from rule 10 by group: no filter", rule: null },
    ],
    unbound: [{ dataSource: 2, why: "another domain name (`all`)" }],
  },
  {
    prefix: P21,
    title: "the largest policy: fourteen rules, @attributeValuesContains over SQL expressions",
    users: [
      nobody,
      g(2, "group-012@corp.example.com"),
      user(3, "EFE", [], { [DEPT]: ["EFE"] }),
      user(4, "division EDM", [], { [DIV]: ["EDM"] }),
      user(5, "ODX/P", [], { [SEC]: ["ODX/P"] }),
      user(6, "OWO/P", [], { [SEC]: ["OWO/P"] }),
      user(7, "division OWO", [], { [DIV]: ["OWO"] }),
      g(8, "datamart_supplychain.datauser"),
      g(9, "group-022@corp.example.com"),
      g(10, "dcoe.msm.datasupport"),
      g(11, "Person Four"),
      g(12, "svc-043@project.iam.example.com"),
      g(13, "Person One"),
      g(14, "Person Five"),
      user(15, "Person Five in OLG", ["Person Five"], { [DEPT]: ["OLG"] }),
      user(16, "PTTEP OLG", [], { "EntraID.isPTTEP": ["true"], [DEPT]: ["OLG"] }),
      user(17, "OLG+OMI", [], { [DEPT]: ["OLG", "OMI"] }),
      g(18, "scm.custodian.datauser"),
      g(19, "svc-028@project.iam.example.com"),
    ],
    dataSources: (p) => [ds(1, p, PO_COLUMNS), ds(2, p, PO_COLUMNS, { domainName: "procurement" })],
    rowColumns: [],
    visibilitiesCount: 0,
    expect: [
      { user: "group-012@corp.example.com", why: "rule 1, multi-line, as authored", rule: 0, where: pred(P21, 0) },
      { user: "EFE", why: "rule 2: the column quoted, two SQL expressions in parentheses", rule: 1, where: p21(1, "'EFE'") },
      { user: "division EDM", why: "rule 2 without a department: every list `IN (NULL)`", rule: 1, where: p21(1, "NULL") },
      { user: "ODX/P", why: "rule 3", rule: 2, where: "rls_department IN ('ODT','ODC','OMS')" },
      { user: "OWO/P", why: "rule 4 (a folded YAML scalar)", rule: 3, where: pred(P21, 3) },
      { user: "division OWO", why: "rule 5", rule: 4, where: pred(P21, 4) },
      { user: "datamart_supplychain.datauser", why: "rule 6", rule: 5, where: pred(P21, 5) },
      { user: "group-022@corp.example.com", why: "rule 7", rule: 6, where: pred(P21, 6) },
      { user: "dcoe.msm.datasupport", why: "rule 8", rule: 7, where: "rls_department IN ('EME','EMX','PS1','PFO1','PFO2','PFO3','EMI','ECM','OMI')" },
      { user: "Person Four", why: "rule 9", rule: 8, where: "rls_department IN ('OTF','OFE')" },
      {
        user: "svc-043@project.iam.example.com",
        why: "rule 10",
        rule: 9,
        where: "rls_department IN ('TTM', 'BTK', 'OTK', 'OTM') AND Created_Datetime >= '2019-01-01'",
      },
      { user: "Person One", why: "rule 11: `1=1`", rule: 10, where: "1=1" },
      { user: "Person Five", why: "rule 12 without a department", rule: 11, where: p21(11, "NULL") },
      { user: "Person Five in OLG", why: "rule 12", rule: 11, where: p21(11, "'OLG'") },
      { user: "PTTEP OLG", why: "rule 13", rule: 12, where: p21(12, "'OLG'") },
      { user: "OLG+OMI", why: "rule 14, both departments", rule: 13, where: p21(13, "'OLG', 'OMI'") },
      { user: "nobody", why: "rule 14 without a department", rule: 13, where: p21(13, "NULL") },
      { user: "scm.custodian.datauser", why: "excepted from rule 14, in no inclusions: no filter", rule: null },
      { user: "svc-028@project.iam.example.com", why: "excepted from rule 14: no filter", rule: null },
    ],
    unbound: [{ dataSource: 2, why: "domain names compare case-sensitively" }],
  },
];
