// 汇总 Summary: the statement as a waterfall (DOMAIN.md §5) from B down to T, Y and what the fund keeps. Every
// derived figure is a live formula over the cells above it (or a reference to the sheet that details it), written
// with its cached value, so the sheet shows the engine's figures before and after recalculation.
import { type Fen, roundFen } from '../../domain/money.js';
import type { SettlementResult } from '../../domain/result.js';
import type { BudgetAnchors } from './budget.js';
import type { MemberAnchors } from './members.js';
import { type Cell, PCT_FMT, type Row, type SheetModel, addr, money, num, rowOf, sheetRef } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

export const SUMMARY_AMOUNT_COL = 4;

/** Keys of the figures on the Summary sheet whose cells other sheets refer to. */
export type SummaryKey = 'B' | 'R' | 'P' | 'Q' | 'D' | 'A' | 'L' | 'C' | 'X' | 'S' | 'F' | 'G' | 'Qf' | 'T' | 'prepaid' | 'paid' | 'Y' | 'fundKept' | 'cfAdded' | 'cfUsed';

/** In a book (DOMAIN.md §12.4) the year-end payment is Y = T − Σ monthly paid: that sum in fen and the cell that holds it. */
export interface MonthlyPaid {
  readonly fen: Fen;
  readonly ref: string;
}

export function summarySheet(r: SettlementResult, budget: BudgetAnchors, members: MemberAnchors, monthlyPaid?: MonthlyPaid): { model: SheetModel; anchors: ReadonlyMap<SummaryKey, string> } {
  const b = r.budget;
  const a = r.actuals;
  const s = r.settlement;
  const surplus = s.balance >= 0;
  const rows: Row[] = [];
  const at = new Map<SummaryKey, string>();
  const D = (k: SummaryKey) => {
    const x = at.get(k);
    if (x === undefined) throw new Error(`summary: ${k} used before it is written`);
    return x;
  };
  const line = (key: string, zh: string, en: string, amount: Cell, how: string, kind: Row['kind'] = 'data', anchor?: SummaryKey) => {
    if (anchor !== undefined) at.set(anchor, addr(SUMMARY_AMOUNT_COL, rowOf(rows.length)));
    rows.push({ kind, cells: [key, zh, en, amount, how] });
  };
  const section = (zh: string, en: string) => rows.push({ kind: 'section', cells: [null, zh, en] });
  const pct = (x: { toFixed(): string }) => `${(Number(x.toFixed()) * 100).toFixed(2)}%`;

  section('预算与预拨', 'Budget and prepayment');
  line('B', '年度总额预算', 'Budget', money(b.total, sheetRef(SHEET.budget, budget.total)), '预算表合计 = Σ budget lines', 'data', 'B');
  line('R', '风险金（预留）', 'Risk reserve (kept by the fund)', money(b.riskReserve, sheetRef(SHEET.budget, budget.riskReserve)), '预算表 from the Budget sheet', 'data', 'R');
  line('P', '打包资金', 'Package', money(b.package, `${D('B')}-${D('R')}`), 'P = B − R', 'subtotal', 'P');
  line('Q', '质量保证金（预拨时扣留）', 'Quality deposit (withheld)', money(b.qualityDeposit, sheetRef(SHEET.budget, budget.qualityDeposit)), '预算表 from the Budget sheet', 'data', 'Q');

  section('年终结算', 'Year-end settlement');
  const dIn = rows.length;
  line('', '医共体外就医扣减：区域内', 'Out-of-group: in region', money(a.outOfGroupInRegion), '外转扣减表 see Out-of-group');
  line('', '医共体外就医扣减：异地', 'Out-of-group: out of region', money(a.outOfGroupOutOfRegion), '外转扣减表 see Out-of-group');
  line('D', '医共体外就医扣减', 'Out-of-group deductions', money(a.outOfGroupDeductions, `${addr(SUMMARY_AMOUNT_COL, rowOf(dIn))}+${addr(SUMMARY_AMOUNT_COL, rowOf(dIn + 1))}`), 'D = 区域内 in region + 异地 out of region', 'data', 'D');
  line('A', '可用资金', 'Available', money(s.available, `${D('P')}-${D('D')}`), 'A = P − D', 'subtotal', 'A');
  line('L', '医共体内统筹支付', 'In-group liability', money(a.inGroupLiability, sheetRef(SHEET.members, members.claimsTotal)), '机构表医疗费用合计 Σ members claims', 'data', 'L');
  line('C', '按人头付费', 'Capitation', money(a.capitation, sheetRef(SHEET.members, members.capitationTotal)), '机构表按人头合计 Σ members capitation', 'data', 'C');
  line('X', surplus ? '结余额' : '超支额（负数）', surplus ? 'Balance: surplus' : 'Balance: overrun (negative)', money(s.balance, `${D('A')}-${D('L')}-${D('C')}`), 'X = A − L − C', 'subtotal', 'X');
  line(surplus ? 's' : 'o', surplus ? '结余率' : '超支率', surplus ? 'Surplus rate = X / P' : 'Overrun rate = −X / P', num(s.rate.toFixed(), PCT_FMT, `IF(${D('P')}=0,0,ABS(${D('X')})/${D('P')})`), surplus ? 's = X / P' : 'o = −X / P');
  s.bands.forEach((band) => {
    const range = band.upTo === undefined ? '以上 above' : `≤ ${pct(band.upTo)}`;
    line('', `  档位 ${band.index + 1}（${range}）分成比例 ${band.share.toFixed()}`, `  Band ${band.index + 1} (${range}) share ${band.share.toFixed()}: portion of ${surplus ? 'X' : 'O'}`, money(roundFen(band.portion)), surplus ? '该档结余部分 part of X in this band' : '该档超支部分 part of O in this band');
  });
  if (surplus) {
    if (!s.scoreFactor.equals(1)) line('', '  考核系数（得分 ÷ 100）', '  Score factor (score ÷ 100)', num(s.scoreFactor.toFixed(), '0.0000'), 'scaleByScore');
    if (s.capApplied) line('', '  已触及上限', '  Cap applied', null, 'cap × P');
    line('S', '结余留用', 'Retained surplus', money(s.retainedSurplus), 'Σ 档位 × 分成比例 bands × shares', 'data', 'S');
    line('', '结余返还基金', 'Surplus returned to the fund', money(s.surplusReturnedToFund, `${D('X')}-${D('S')}`), 'X − S');
  } else {
    const oI = rows.length;
    line('O', '超支额', 'Overrun', money(-s.balance, `-${D('X')}`), 'O = −X');
    line('F', '医保基金分担', 'Fund overrun share', money(s.fundOverrunShare), 'Σ 档位 × 基金分担比例 bands × fund shares', 'data', 'F');
    line('G', '医共体自付（承担）', 'Group overrun liability', money(s.groupOverrunLiability, `${addr(SUMMARY_AMOUNT_COL, rowOf(oI))}-${D('F')}`), 'G = O − F', 'data', 'G');
  }

  section('考核与质量保证金', 'Assessment and quality deposit');
  line('', '考核得分', 'Assessment score', num(s.score.toFixed(), 'General'), '情景给定 from the scenario');
  line('', '保证金返还比例', 'Deposit return fraction', num(s.depositReturnFraction.toFixed(), PCT_FMT), '按得分插值 interpolated by score');
  const qrI = rows.length;
  line('', '保证金返还', 'Deposit returned', money(s.depositReturned), 'round(Q × 返还比例 fraction)');
  line('Qf', '保证金扣除', 'Deposit forfeited', money(s.depositForfeited, `${D('Q')}-${addr(SUMMARY_AMOUNT_COL, rowOf(qrI))}`), 'Qf = Q − 返还 returned', 'data', 'Qf');

  section('应得与清算', 'Group total and year-end payment');
  if (surplus) line('T', '医共体应得总额', 'Group total', money(s.groupTotal, `${D('L')}+${D('C')}+${D('S')}-${D('Qf')}`), 'T = L + C + S − Qf', 'total', 'T');
  else line('T', '医共体应得总额', 'Group total', money(s.groupTotal, `${D('A')}+${D('F')}-${D('Qf')}`), 'T = A + F − Qf', 'total', 'T');
  const prepaid = monthlyPaid === undefined ? (['已预拨', 'Prepaid'] as const) : (['预拨额度（P − Q）', 'Installments scheduled (P − Q)'] as const);
  line('', prepaid[0], prepaid[1], money(b.package - b.qualityDeposit, `${D('P')}-${D('Q')}`), 'P − Q（预拨表合计 = Σ prepayments）', 'data', 'prepaid');
  if (monthlyPaid !== undefined) line('', '已按月预结算拨付', 'Paid by monthly pre-settlement', money(monthlyPaid.fen, monthlyPaid.ref), 'Σ paid_m（月度预结算表 Monthly sheet）', 'data', 'paid');
  const Y = monthlyPaid === undefined ? s.yearEndPayment : s.groupTotal - monthlyPaid.fen;
  const paidKey = monthlyPaid === undefined ? 'prepaid' : 'paid';
  line('Y', Y < 0 ? '年终清算拨付（负数：医共体返还）' : '年终清算拨付', Y < 0 ? 'Year-end payment (negative: the group repays)' : 'Year-end payment', money(Y, `${D('T')}-${D(paidKey)}`), monthlyPaid === undefined ? 'Y = T − (P − Q)' : 'Y = T − Σ paid_m（§12.4）', 'total', 'Y');
  if (surplus) line('', '基金留存', 'Fund kept', money(s.fundRetained, `${D('R')}+(${D('X')}-${D('S')})+${D('Qf')}`), '= R + (X − S) + Qf', 'data', 'fundKept');
  else line('', '基金留存', 'Fund kept', money(s.fundRetained, `${D('R')}-${D('F')}+${D('Qf')}`), '= R − F + Qf', 'data', 'fundKept');
  line('', '预算守恒：T + D + 基金留存', 'Conservation: T + D + fund kept (= B)', money(s.groupTotal + a.outOfGroupDeductions + s.fundRetained, `${D('T')}+${D('D')}+${D('fundKept')}`), '应等于 must equal B', 'subtotal');

  section('结转储备金', 'Carry-forward reserve');
  const cf = r.carryForward;
  const opI = rows.length;
  line('', '期初', 'Opening', money(cf.opening), '情景给定 from the scenario');
  line('', '本年提取', 'Added this year', money(cf.added), 'round(Δ × retainShare)', 'data', 'cfAdded');
  line('', '本年使用', 'Used this year', money(cf.used), '弥补超支 covers a shortfall', 'data', 'cfUsed');
  line('', '期末', 'Closing', money(cf.closing, `${addr(SUMMARY_AMOUNT_COL, rowOf(opI))}+${D('cfAdded')}-${D('cfUsed')}`), '期初 + 提取 − 使用 opening + added − used', 'subtotal');
  return {
    model: {
      name: SHEET.summary,
      csv: CSV.summary,
      title: sheetTitle(SHEET.summary, r.scenario),
      columns: [
        { zh: '代号', en: 'Key', width: 7 },
        { zh: '项目（中文）', en: 'Item (Chinese)' },
        { zh: '项目（英文）', en: 'Item (English)' },
        { zh: '金额（元）', en: 'Amount (yuan)' },
        { zh: '计算', en: 'How it is derived' },
      ],
      rows,
      filterRows: 0,
    },
    anchors: at,
  };
}
