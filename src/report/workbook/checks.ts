// 校验 Checks: the engine's DOMAIN.md §7 invariants (each with the two figures compared), then live cross-checks
// between the sheets of this workbook, and the per-member reconciliation of the claim detail (SUMIF over every
// detail sheet) and of the payment-method table against the Members sheet.
import { type Fen, parseYuanToFen } from '../../domain/money.js';
import type { SettlementResult } from '../../domain/result.js';
import type { BudgetAnchors } from './budget.js';
import { CLAIM_COL, type ClaimSheets } from './claims.js';
import type { JournalAnchors } from './journal.js';
import { MEMBER_COL, type MemberAnchors } from './members.js';
import { METHOD_COL, type MethodAnchors } from './methods.js';
import { type Cell, type Row, type SheetModel, absAddr, addr, money, okCell, rowOf, sheetRef, strF } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';
import type { OutOfGroupAnchors } from './out-of-group.js';
import type { PrepaymentAnchors } from './prepayments.js';
import type { SummaryKey } from './summary.js';

export interface CheckAnchors {
  readonly summary: ReadonlyMap<SummaryKey, string>;
  readonly budget: BudgetAnchors;
  readonly prepayments: PrepaymentAnchors;
  readonly outOfGroup: OutOfGroupAnchors;
  readonly members: MemberAnchors;
  readonly methods: MethodAnchors;
  readonly journal: JournalAnchors;
  readonly claims: ClaimSheets;
}

const L = 4; // left figure column
const R = 5; // right figure column

export function checksSheet(r: SettlementResult, x: CheckAnchors): SheetModel {
  const rows: Row[] = [];
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  /** A row comparing two money figures with live difference and OK/FAIL formulas. */
  const compare = (id: string, zh: string, en: string, left: Fen, leftF: string | undefined, right: Fen, rightF: string | undefined) => {
    const row = rowOf(rows.length);
    const ok = left === right;
    rows.push({
      cells: [
        id,
        zh,
        en,
        money(left, leftF),
        money(right, rightF),
        money(left - right, `${addr(L, row)}-${addr(R, row)}`),
        okCell(ok, `IF(ROUND(${addr(L, row)}-${addr(R, row)},2)=0,"OK","FAIL")`),
      ],
    });
  };
  const S = (k: SummaryKey) => {
    const a = x.summary.get(k);
    if (a === undefined) throw new Error(`checks: no Summary cell for ${k}`);
    return sheetRef(SHEET.summary, a);
  };

  rows.push({ kind: 'section', cells: [null, '引擎校验（DOMAIN.md §7）', 'Engine invariants (DOMAIN.md §7)'] });
  for (const c of r.checks) {
    const left = parseYuanToFen(c.left);
    const right = parseYuanToFen(c.right);
    if (left !== undefined && right !== undefined) {
      const row = rowOf(rows.length);
      rows.push({
        cells: [c.id, c.zh, c.en, money(left), money(right), money(left - right, `${addr(L, row)}-${addr(R, row)}`), okCell(c.ok, `IF(ROUND(${addr(L, row)}-${addr(R, row)},2)=0,"OK","FAIL")`)],
      });
    } else {
      rows.push({ cells: [c.id, c.zh, c.en, c.left, c.right, null, okCell(c.ok)] });
    }
  }

  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: [null, '工作簿勾稽（公式）', 'Workbook cross-checks (live formulas)'] });
  const b = r.budget;
  const a = r.actuals;
  const s = r.settlement;
  compare('wb.budget', '预算表合计 = 汇总表 B', 'Budget sheet total = Summary B', sum(b.lines.map((l) => l.amount)), sheetRef(SHEET.budget, x.budget.total), b.total, S('B'));
  compare('wb.prepayments', '预拨表合计 = P − Q', 'Prepayments sheet total = P − Q', sum(b.prepayments.map((p) => p.amount)), sheetRef(SHEET.prepayments, x.prepayments.total), b.package - b.qualityDeposit, S('prepaid'));
  compare('wb.outOfGroup', '外转扣减表合计 = 汇总表 D', 'Out-of-group sheet total = Summary D', a.outOfGroupDeductions, sheetRef(SHEET.outOfGroup, x.outOfGroup.total), a.outOfGroupDeductions, S('D'));
  compare('wb.members.claims', '机构表医疗费用合计 = 汇总表 L', 'Members claims total = Summary L', sum(r.members.map((m) => m.claims)), sheetRef(SHEET.members, x.members.claimsTotal), a.inGroupLiability, S('L'));
  compare('wb.members.capitation', '机构表按人头合计 = 汇总表 C', 'Members capitation total = Summary C', sum(r.members.map((m) => m.capitation)), sheetRef(SHEET.members, x.members.capitationTotal), a.capitation, S('C'));
  if (x.methods.liabilityTotal !== undefined) {
    const methodsTotal = sum(a.members.flatMap((m) => m.methods.map((t) => t.liability)));
    compare('wb.methods', '支付方式表医保支付合计 = 汇总表 L', 'Payment-methods liability total = Summary L', methodsTotal, sheetRef(SHEET.methods, x.methods.liabilityTotal), a.inGroupLiability, S('L'));
  }
  const cf = r.carryForward;
  compare(
    'wb.conservation.members',
    '成员守恒：机构表合计 = T + 结转使用 − 结转提取',
    'Member conservation: Members total = T + reserve used − reserve added',
    sum(r.members.map((m) => m.total)),
    sheetRef(SHEET.members, x.members.memberTotal),
    s.groupTotal + cf.used - cf.added,
    `${S('T')}+${S('cfUsed')}-${S('cfAdded')}`,
  );
  compare('wb.conservation.budget', '预算守恒：B = T + D + 基金留存', 'Budget conservation: B = T + D + fund kept', b.total, S('B'), s.groupTotal + a.outOfGroupDeductions + s.fundRetained, `${S('T')}+${S('D')}+${S('fundKept')}`);
  compare('wb.journal', '分录合计 = 0.00', 'Sum of all journal postings = 0.00', sum(r.journal.flatMap((t) => t.postings.map((p) => p.amount))), sheetRef(SHEET.journal, x.journal.postingsTotal), 0, undefined);

  const detail = x.claims;
  if (detail.rows > 0) {
    rows.push({ kind: 'blank', cells: [] });
    rows.push({ kind: 'section', cells: [null, '结算明细与机构表核对（按机构）', `Claim detail vs Members sheet, per member (${detail.rows} claims on ${detail.sheets.length} sheet(s))`] });
    for (const m of r.members) {
      const row = rowOf(rows.length);
      const crit = addr(1, row);
      const parts = detail.sheets.map((sh) => {
        const rng = (c: number) => sheetRef(sh.name, `${absAddr(c, sh.firstRow)}:${absAddr(c, sh.lastRow)}`);
        return `SUMIF(${rng(CLAIM_COL.member)},${crit},${rng(CLAIM_COL.liability)})`;
      });
      const memberRow = x.members.rowOf.get(m.id)!;
      const got = detail.liabilityByMember.get(m.id) ?? 0;
      const cells: Cell[] = [
        m.id,
        `明细医保支付合计 = 机构表医疗费用：${m.name}`,
        `Σ detail liability = Members claims: ${m.id}`,
        money(got, parts.join('+')),
        money(m.claims, sheetRef(SHEET.members, addr(MEMBER_COL.claims, memberRow))),
        money(got - m.claims, `${addr(L, row)}-${addr(R, row)}`),
        okCell(got === m.claims, `IF(ROUND(${addr(L, row)}-${addr(R, row)},2)=0,"OK","FAIL")`),
      ];
      rows.push({ cells });
    }
  }
  if (x.methods.liabilityTotal !== undefined) {
    rows.push({ kind: 'blank', cells: [] });
    rows.push({ kind: 'section', cells: [null, '支付方式表与机构表核对（按机构）', 'Payment-methods sheet vs Members sheet, per member'] });
    const rng = (c: number) => sheetRef(SHEET.methods, `${absAddr(c, x.methods.firstRow)}:${absAddr(c, x.methods.lastRow)}`);
    for (const m of r.members) {
      const row = rowOf(rows.length);
      const got = sum(a.members.find((am) => am.id === m.id)?.methods.map((t) => t.liability) ?? []);
      const memberRow = x.members.rowOf.get(m.id)!;
      rows.push({
        cells: [
          m.id,
          `支付方式表医保支付合计 = 机构表医疗费用：${m.name}`,
          `Σ payment-method liability = Members claims: ${m.id}`,
          money(got, `SUMIF(${rng(METHOD_COL.member)},${addr(1, row)},${rng(METHOD_COL.liability)})`),
          money(m.claims, sheetRef(SHEET.members, addr(MEMBER_COL.claims, memberRow))),
          money(got - m.claims, `${addr(L, row)}-${addr(R, row)}`),
          okCell(got === m.claims, `IF(ROUND(${addr(L, row)}-${addr(R, row)},2)=0,"OK","FAIL")`),
        ],
      });
    }
  }
  // A headline: every check on this sheet passed?
  const resultCol = 7;
  const failures = rows.filter((row) => {
    const c = row.cells[resultCol - 1];
    return c === 'FAIL' || (typeof c === 'object' && c !== null && c.t === 'str' && c.v === 'FAIL');
  }).length;
  const last = rowOf(rows.length - 1);
  rows.push({ kind: 'blank', cells: [] });
  rows.push({
    kind: 'total',
    cells: ['ALL', '全部校验', 'All checks', null, null, null, strF(failures === 0 ? 'OK' : 'FAIL', `IF(COUNTIF(${addr(resultCol, rowOf(0))}:${addr(resultCol, last)},"FAIL")=0,"OK","FAIL")`)],
  });
  return {
    name: SHEET.checks,
    csv: CSV.checks,
    title: sheetTitle(SHEET.checks, r.scenario),
    columns: [
      { zh: '编号', en: 'ID' },
      { zh: '校验项', en: 'Check (Chinese)' },
      { zh: '校验项（英文）', en: 'Check (English)' },
      { zh: '数值一', en: 'Left figure' },
      { zh: '数值二', en: 'Right figure' },
      { zh: '差额', en: 'Difference' },
      { zh: '结果', en: 'Result' },
    ],
    rows,
    filterRows: 0,
  };
}
