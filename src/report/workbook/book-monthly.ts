// 月度预结算 (DOMAIN.md §12.3) in the book workbook: the twelve months × their figures (workload, withheld and the
// room as live formulas where they reproduce the stored figure), and the members × months paid, whose live sums
// must give each month's paid (checked against the Monthly sheet, cell by cell) and each member's Σ paid.
import type { BookState } from '../../book/state.js';
import { versionInForce } from '../../book/state.js';
import type { Fen } from '../../domain/money.js';
import { MONTH_FIGURE_LABEL, TIER_LABEL } from './labels.js';
import { type Row, type SheetModel, absAddr, addr, int, money, num, okCell, rowOf, sheetRef } from './model.js';
import { BOOK_SHEET, sheetTitle } from './names.js';

/** Columns of the Monthly sheet. */
export const MONTH_COL = {
  month: 1,
  status: 2,
  version: 3,
  claimRows: 4,
  installment: 5,
  liability: 6,
  capitation: 7,
  workload: 8,
  outOfGroup: 9,
  due: 10,
  room: 11,
  paid: 12,
  withheld: 13,
  dipPointValue: 14,
} as const;

export interface MonthlyAnchors {
  /** The cell of each month's paid (index 0 = January). */
  readonly paid: readonly string[];
  readonly paidTotal: string;
  readonly paidTotalFen: Fen;
}

export interface PaidByMemberAnchors {
  /** The cell of each member's Σ paid over the year. */
  readonly memberPaid: ReadonlyMap<string, string>;
  readonly total: string;
}

const monthName = (year: number, i: number) => `${year}-${String(i + 1).padStart(2, '0')}`;
const sum = (xs: readonly Fen[]): Fen => xs.reduce((a, b) => a + b, 0);
const scenarioOf = (state: BookState) => state.versions[state.versions.length - 1].scenario;
const titleOf = (state: BookState, sheet: string) => {
  const s = scenarioOf(state);
  return sheetTitle(sheet, { name: s.name, year: state.year, groupId: state.groupId });
};

export function monthlySheet(state: BookState): { model: SheetModel; anchors: MonthlyAnchors } {
  const C = MONTH_COL;
  const rows: Row[] = [];
  for (let i = 0; i < 12; i++) {
    const r = state.months[i];
    const row = rowOf(i);
    const at = (c: number) => addr(c, row);
    if (r === undefined) {
      rows.push({ cells: [monthName(state.year, i), '未月结 open', null, null, money(state.installments[i])] });
      continue;
    }
    // K_m = Σ_{k≤m} (I_k − δ·D_k) − Σ_{k<m} paid_k, with δ of the version in force in m: a live formula when it
    // gives the stored room (it always should; a book altered behind the tool's back shows the plain figure).
    const deduct = versionInForce(state, i + 1).scenario.monthly.deductOutOfGroup;
    const upTo = state.months.slice(0, i + 1);
    const room = sum(upTo.map((m) => m.installment - (deduct ? m.outOfGroupDeductions : 0))) - sum(upTo.slice(0, i).map((m) => m.paid));
    const range = (c: number, last: number) => `SUM(${absAddr(c, rowOf(0))}:${addr(c, last)})`;
    const roomF = `${range(C.installment, row)}${deduct ? `-${range(C.outOfGroup, row)}` : ''}${i > 0 ? `-${range(C.paid, row - 1)}` : ''}`;
    rows.push({
      cells: [
        r.month,
        '已月结 closed',
        int(r.version),
        int(r.claimRows),
        money(r.installment),
        money(r.inGroupLiability),
        money(r.capitation),
        money(r.workload, r.workload === r.inGroupLiability + r.capitation ? `${at(C.liability)}+${at(C.capitation)}` : undefined),
        money(r.outOfGroupDeductions),
        r.due === null ? null : money(r.due),
        money(r.room, room === r.room ? roomF : undefined),
        money(r.paid),
        money(r.withheld, r.withheld === r.workload - r.paid ? `${at(C.workload)}-${at(C.paid)}` : undefined),
        r.dipPointValue === undefined ? null : num(r.dipPointValue, '#,##0.0000'),
      ],
    });
  }
  const closed = state.months;
  const total = (c: number, fen: Fen) => money(fen, `SUM(${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(11))})`);
  const installments = state.installments.map((x, i) => closed[i]?.installment ?? x);
  const paidTotal = sum(closed.map((m) => m.paid));
  rows.push({
    kind: 'total',
    cells: [
      '合计 Total',
      `${closed.length}/12`,
      null,
      int(
        closed.reduce((a, m) => a + m.claimRows, 0),
        `SUM(${absAddr(C.claimRows, rowOf(0))}:${absAddr(C.claimRows, rowOf(11))})`,
      ),
      total(C.installment, sum(installments)),
      total(C.liability, sum(closed.map((m) => m.inGroupLiability))),
      total(C.capitation, sum(closed.map((m) => m.capitation))),
      total(C.workload, sum(closed.map((m) => m.workload))),
      total(C.outOfGroup, sum(closed.map((m) => m.outOfGroupDeductions))),
      total(C.due, sum(closed.map((m) => m.due ?? 0))),
      null,
      total(C.paid, paidTotal),
      total(C.withheld, sum(closed.map((m) => m.withheld))),
      null,
    ],
  });
  rows.push({ kind: 'blank', cells: [] });
  const mode = scenarioOf(state).monthly.mode;
  rows.push({
    kind: 'note',
    cells: [
      `工作量 W = L + C；预算空间 K_m = Σ_{k≤m}(I_k − δ·D_k) − Σ_{k<m} paid_k；${mode === 'claims' ? '应付 due = round(W × (1 − 暂扣比例))，拨付 = max(0, min(due, K))' : '按期预拨：拨付 = max(0, K)'}；暂扣 = W − 拨付（DOMAIN.md §12.3）`,
    ],
  });
  rows.push({
    kind: 'note',
    cells: [
      `Workload W = L + C; room K_m = Σ_{k≤m}(I_k − δ·D_k) − Σ_{k<m} paid_k; ${mode === 'claims' ? 'due = round(W × (1 − withhold rate)), paid = max(0, min(due, K))' : 'installments: paid = max(0, K)'}; withheld = W − paid (DOMAIN.md §12.3)`,
    ],
  });
  const totalRow = rowOf(12);
  return {
    model: {
      name: BOOK_SHEET.monthly,
      csv: 'book-monthly.csv',
      title: titleOf(state, BOOK_SHEET.monthly),
      columns: [
        { zh: '月份', en: 'Month', width: 10 },
        { zh: '状态', en: 'Status' },
        { zh: '政策版本', en: 'Version' },
        { zh: '结算行数', en: 'Claim rows' },
        ...(['installment', 'inGroupLiability', 'capitation', 'workload', 'outOfGroupDeductions', 'due', 'room', 'paid', 'withheld'] as const).map((k) => ({
          zh: MONTH_FIGURE_LABEL[k][0],
          en: MONTH_FIGURE_LABEL[k][1],
        })),
        { zh: '预结算点值', en: 'DIP point value' },
      ],
      rows,
      filterRows: 12,
    },
    anchors: {
      paid: Array.from({ length: 12 }, (_, i) => addr(C.paid, rowOf(i))),
      paidTotal: addr(C.paid, totalRow),
      paidTotalFen: paidTotal,
    },
  };
}

const FIRST_MONTH_COL = 4;
const SUM_COL = FIRST_MONTH_COL + 12;

/** Members × months paid: SUM down each month = the month's paid (checked), SUM across = the member's Σ paid. */
export function paidByMemberSheet(state: BookState, monthly: MonthlyAnchors): { model: SheetModel; anchors: PaidByMemberAnchors } {
  const members = scenarioOf(state).group.members;
  const n = members.length;
  const monthCols = Array.from({ length: 12 }, (_, i) => FIRST_MONTH_COL + i);
  const paidOf = (id: string, i: number): Fen | undefined => state.months[i]?.members.find((m) => m.id === id)?.paid ?? (state.months[i] ? 0 : undefined);
  const memberPaid = new Map<string, string>();
  const rows: Row[] = members.map((m, j) => {
    const row = rowOf(j);
    memberPaid.set(m.id, addr(SUM_COL, row));
    const paid = monthCols.map((_, i) => paidOf(m.id, i));
    return {
      cells: [
        m.id,
        m.name,
        TIER_LABEL[m.tier],
        ...paid.map((p) => (p === undefined ? null : money(p))),
        money(sum(paid.map((p) => p ?? 0)), `SUM(${addr(FIRST_MONTH_COL, row)}:${addr(SUM_COL - 1, row)})`),
      ],
    };
  });
  const down = (c: number) => (n > 0 ? `SUM(${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(n - 1))})` : '0');
  const columnTotals = monthCols.map((_, i) => sum(members.map((m) => paidOf(m.id, i) ?? 0)));
  const monthPaid = monthCols.map((_, i) => state.months[i]?.paid ?? 0);
  const grand = sum(columnTotals);
  const totalRow = rowOf(rows.length);
  rows.push({ kind: 'total', cells: ['合计', 'Σ members', null, ...monthCols.map((c, i) => money(columnTotals[i], down(c))), money(grand, down(SUM_COL))] });
  const refRow = rowOf(rows.length);
  rows.push({
    cells: [
      '月度预结算表',
      'Paid on the Monthly sheet',
      null,
      ...monthly.paid.map((ref, i) => money(monthPaid[i], sheetRef(BOOK_SHEET.monthly, ref))),
      money(monthly.paidTotalFen, sheetRef(BOOK_SHEET.monthly, monthly.paidTotal)),
    ],
  });
  const diffRow = rowOf(rows.length);
  const cols = [...monthCols, SUM_COL];
  const totals = [...columnTotals, grand];
  const refs = [...monthPaid, monthly.paidTotalFen];
  rows.push({ cells: ['差额', 'Difference', null, ...cols.map((c, i) => money(totals[i] - refs[i], `${addr(c, totalRow)}-${addr(c, refRow)}`))] });
  rows.push({
    kind: 'subtotal',
    cells: ['校验', 'Check', null, ...cols.map((c, i) => okCell(totals[i] === refs[i], `IF(ROUND(${addr(c, diffRow)},2)=0,"OK","FAIL")`))],
  });
  return {
    model: {
      name: BOOK_SHEET.monthlyByMember,
      csv: 'book-paid-by-member.csv',
      title: titleOf(state, BOOK_SHEET.monthlyByMember),
      columns: [
        { zh: '机构编码', en: 'Member ID' },
        { zh: '机构名称', en: 'Name' },
        { zh: '层级', en: 'Tier' },
        ...monthCols.map((_, i) => ({ zh: `${monthName(state.year, i)} 拨付`, en: `Paid ${monthName(state.year, i)}` })),
        { zh: '全年合计', en: 'Σ paid' },
      ],
      rows,
      filterRows: n,
    },
    anchors: { memberPaid, total: addr(SUM_COL, totalRow) },
  };
}
