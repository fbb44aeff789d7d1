// §13.1 sheets. 打包基金 Packaged funds: D and L per fund (the packaged columns' recorded sums), with the
// payment-standard adjustment that brings Σ L_f to L. 外转分析 Out-of-group analysis: where the money leaves — every
// out-of-group line by institution × region × category × referral status with each fund column and the deduction,
// then subtotals (SUMIF) by region, category, referral status and institution (largest deduction first).
import { PACKAGE_FUNDS } from '../../domain/types.js';
import type { SettlementResult } from '../../domain/result.js';
import { CATEGORIES } from '../../domain/types.js';
import { CATEGORY_LABEL, PACKAGE_FUND_LABEL, REFERRAL_STATUS_LABEL, REGION_LABEL } from './labels.js';
import { type Cell, type Row, type SheetModel, absAddr, addr, int, money, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

const YES_NO = (b: boolean) => (b ? '是 yes' : '否 no');

/** D and L per fund; undefined without the funds view (no `package` key and no fund columns in the claims). */
export function fundsSheet(r: SettlementResult): SheetModel | undefined {
  const f = r.actuals.funds;
  if (f === undefined) return undefined;
  const rows: Row[] = f.lines.map((l) => ({
    cells: [PACKAGE_FUND_LABEL[l.fund], YES_NO(l.packaged), money(l.outOfGroup), money(l.deduction), money(l.inGroup), money(l.liability)],
  }));
  const n = rows.length;
  const sum = (c: number) => `SUM(${addr(c, rowOf(0))}:${addr(c, rowOf(n - 1))})`;
  const total = (k: 'outOfGroup' | 'deduction' | 'inGroup' | 'liability') => f.lines.reduce((s, l) => s + l[k], 0);
  const totalI = rows.length;
  rows.push({ kind: 'total', cells: ['合计 Σ funds', null, money(total('outOfGroup'), sum(3)), money(total('deduction'), sum(4)), money(total('inGroup'), sum(5)), money(total('liability'), sum(6))] });
  const adjI = rows.length;
  rows.push({ cells: ['支付标准调整 Payment-standard adjustment', 'L − Σ L_f', null, null, null, money(f.paymentAdjustment)] });
  rows.push({
    kind: 'total',
    cells: ['D / L', null, null, money(r.actuals.outOfGroupDeductions, addr(4, rowOf(totalI))), null, money(r.actuals.inGroupLiability, `${addr(6, rowOf(totalI))}+${addr(6, rowOf(adjI))}`)],
  });
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'note', cells: ['扣减 D_f = 打包基金在医共体外的支付；计入 L_f = 打包基金在医共体内的记录支付；按支付方式（DRG/DIP/床日/单病种/人头）结算与记录之差为支付标准调整。'] });
  rows.push({ kind: 'note', cells: ['D_f = a packaged fund\'s out-of-group payments; L_f = its recorded in-group payments; what the payment methods pay beyond (or below) the recorded amounts is the payment-standard adjustment.'] });
  return {
    name: SHEET.funds,
    csv: CSV.funds,
    title: sheetTitle(SHEET.funds, r.scenario),
    columns: [
      { zh: '基金', en: 'Fund' },
      { zh: '是否打包', en: 'Packaged' },
      { zh: '医共体外支付（记录）', en: 'Out of group (recorded)' },
      { zh: '扣减 D_f', en: 'Deduction D_f' },
      { zh: '医共体内支付（记录）', en: 'In group (recorded)' },
      { zh: '计入 L_f', en: 'Liability L_f' },
    ],
    rows,
    filterRows: n,
  };
}

/** 外转分析; undefined when the run has no out-of-group claims (or no claims at all). */
export function outOfGroupAnalysisSheet(r: SettlementResult): SheetModel | undefined {
  const lines = r.actuals.outOfGroupAnalysis ?? [];
  if (lines.length === 0) return undefined;
  const FIRST_MONEY = 6; // F: basic … I: other, J: deduction
  const DEDUCTION = FIRST_MONEY + PACKAGE_FUNDS.length;
  const rows: Row[] = lines.map((l) => ({
    cells: [
      l.institutionId,
      REGION_LABEL(l.outOfRegion),
      CATEGORY_LABEL[l.category],
      REFERRAL_STATUS_LABEL[l.referral],
      int(l.claims),
      ...PACKAGE_FUNDS.map((f) => money(l.funds[f])),
      money(l.deduction),
    ],
  }));
  const n = lines.length;
  const range = (c: number) => `${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(n - 1))}`;
  type Line = (typeof lines)[number];
  const figures = (sel: readonly Line[], formula: (c: number) => string): Cell[] => [
    int(sel.reduce((s, l) => s + l.claims, 0), formula(5)),
    ...PACKAGE_FUNDS.map((f, k) => money(sel.reduce((s, l) => s + l.funds[f], 0), formula(FIRST_MONEY + k))),
    money(sel.reduce((s, l) => s + l.deduction, 0), formula(DEDUCTION)),
  ];
  rows.push({ kind: 'total', cells: ['合计 D', null, null, null, ...figures(lines, (c) => `SUM(${range(c)})`)] });
  const subtotals = <K>(zh: string, en: string, column: number, keys: readonly K[], label: (k: K) => string, pick: (l: Line) => K) => {
    rows.push({ kind: 'blank', cells: [] });
    rows.push({ kind: 'section', cells: [zh, en] });
    for (const key of keys) {
      const sel = lines.filter((l) => pick(l) === key);
      if (sel.length === 0) continue;
      const crit = addr(column, rowOf(rows.length));
      const cells: Cell[] = ['小计 Subtotal', null, null, null];
      cells[column - 1] = label(key);
      rows.push({ kind: 'subtotal', cells: [...cells, ...figures(sel, (c) => `SUMIF(${range(column)},${crit},${range(c)})`)] });
    }
  };
  subtotals('小计：按区域', 'Subtotals by region', 2, [false, true], REGION_LABEL, (l) => l.outOfRegion);
  subtotals('小计：按人员类别', 'Subtotals by insured category', 3, CATEGORIES, (c) => CATEGORY_LABEL[c], (l) => l.category);
  subtotals('小计：按转诊状态', 'Subtotals by referral status', 4, ['up', 'down', 'none', 'unknown'] as const, (k) => REFERRAL_STATUS_LABEL[k], (l) => l.referral);
  // by institution, the largest deduction first (ties by id)
  const byInst = new Map<string, number>();
  for (const l of lines) byInst.set(l.institutionId, (byInst.get(l.institutionId) ?? 0) + l.deduction);
  const institutions = [...byInst.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([id]) => id);
  subtotals('小计：按就医机构（扣减额从大到小）', 'Subtotals by institution (largest deduction first)', 1, institutions, (id) => id, (l) => l.institutionId);
  return {
    name: SHEET.outOfGroupAnalysis,
    csv: CSV.outOfGroupAnalysis,
    title: sheetTitle(SHEET.outOfGroupAnalysis, r.scenario),
    columns: [
      { zh: '就医机构', en: 'Destination institution' },
      { zh: '区域', en: 'Region' },
      { zh: '人员类别', en: 'Insured category' },
      { zh: '转诊状态', en: 'Referral status' },
      { zh: '单据数', en: 'Claims' },
      { zh: '统筹基金支付', en: 'Basic fund paid' },
      { zh: '大病保险支付', en: 'Critical illness paid' },
      { zh: '医疗救助支付', en: 'Medical assistance paid' },
      { zh: '其他补助支付', en: 'Other paid' },
      { zh: '扣减额（打包基金）', en: 'Deduction (packaged funds)' },
    ],
    rows,
    filterRows: n,
  };
}
