// 支付方式 Payment methods: per member × method the claim count, costs, payment-standard total, liability and outlier
// counts, then the DRG base rate and the DIP point value used, with how the point value was derived.
import type { SettlementResult } from '../../domain/result.js';
import { METHOD_LABEL, TIER_LABEL } from './labels.js';
import { type Row, type SheetModel, absAddr, int, money, num, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

export const METHOD_COL = { member: 1, claims: 5, liability: 10 } as const;

export interface MethodAnchors {
  readonly firstRow: number;
  readonly lastRow: number; // < firstRow when there are no rows
  readonly liabilityTotal?: string;
}

export function methodsSheet(r: SettlementResult): { model: SheetModel; anchors: MethodAnchors } {
  const a = r.actuals;
  const rows: Row[] = [];
  for (const m of a.members) {
    for (const t of m.methods) {
      rows.push({
        cells: [m.id, m.name, TIER_LABEL[m.tier], METHOD_LABEL[t.method], int(t.claims), money(t.totalCost), money(t.fundPaid), money(t.patientPaid), money(t.standard), money(t.liability), int(t.highOutliers), int(t.lowOutliers)],
      });
    }
  }
  const n = rows.length;
  let liabilityTotal: string | undefined;
  if (n > 0) {
    const all = a.members.flatMap((m) => m.methods);
    const s = (f: (t: (typeof all)[number]) => number) => all.reduce((x, t) => x + f(t), 0);
    const sum = (c: number) => `SUM(${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(n - 1))})`;
    liabilityTotal = absAddr(METHOD_COL.liability, rowOf(n)).replace(/\$/g, '');
    rows.push({
      kind: 'total',
      cells: ['合计', 'Total', null, null, int(s((t) => t.claims), sum(5)), money(s((t) => t.totalCost), sum(6)), money(s((t) => t.fundPaid), sum(7)), money(s((t) => t.patientPaid), sum(8)), money(s((t) => t.standard), sum(9)), money(s((t) => t.liability), sum(10)), int(s((t) => t.highOutliers), sum(11)), int(s((t) => t.lowOutliers), sum(12))],
    });
  } else {
    rows.push({ kind: 'note', cells: [a.source === 'actuals' ? '汇总模式：无结算明细，医共体内统筹支付计入牵头医院 Aggregate mode: no claims; the in-group liability is booked to the lead' : '无医共体内结算单据 No in-group claims'] });
  }
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: ['支付标准参数', 'Payment parameters used'] });
  if (a.drgBaseRate !== undefined) {
    rows.push({ cells: ['DRG', '基础费率（元）', 'DRG base rate (yuan)', null, null, null, null, null, num(a.drgBaseRate.toFixed(), '#,##0.00####')] });
  }
  const dip = a.dip;
  if (dip !== undefined) {
    const budget = dip.mode === 'budget';
    rows.push({ cells: ['DIP', budget ? '点值（预算点值，元/分）' : '点值（结算点值，元/分）', budget ? 'Point value (budget, yuan per point)' : 'Point value (settlement, yuan per point)', null, null, null, null, null, num(dip.pointValue.toFixed(), '0.000000')] });
    rows.push({ cells: ['DIP', '医共体内 DIP 病例总分值', 'Σ points of in-group DIP claims', null, null, null, null, null, num(dip.totalPoints.toFixed(), '#,##0.0000')] });
    if (dip.poolAmount !== undefined) rows.push({ cells: ['DIP', '统筹基金总额（元）', 'Pool amount (yuan)', null, null, null, null, null, num(dip.poolAmount.toFixed(), '#,##0.00')] });
    if (dip.reimbursementRatio !== undefined) rows.push({ cells: ['DIP', '支付比例', 'Reimbursement ratio', null, null, null, null, null, num(dip.reimbursementRatio.toFixed(), '0.00%')] });
    if (budget) {
      rows.push({ kind: 'note', cells: ['点值取情景给定的预算点值。 The point value is the budget point value given in the scenario.'] });
    } else if (dip.poolAmount !== undefined && dip.reimbursementRatio !== undefined) {
      rows.push({ kind: 'note', cells: [`结算点值 = (统筹基金总额 ÷ 支付比例) ÷ 总分值 = (${dip.poolAmount.toFixed()} ÷ ${dip.reimbursementRatio.toFixed()}) ÷ ${dip.totalPoints.toFixed()}`] });
      rows.push({ kind: 'note', cells: ['Settlement point value = (pool amount ÷ reimbursement ratio) ÷ Σ points; used at full precision, never rounded before pricing:'] });
    }
    rows.push({ kind: 'note', cells: [`点值（全精度） point value (full precision) = ${dip.pointValue.toFixed()}`] });
  }
  if (a.drgBaseRate === undefined && dip === undefined) rows.push({ kind: 'note', cells: ['未使用 DRG / DIP No DRG or DIP pricing in this scenario'] });
  return {
    model: {
      name: SHEET.methods,
      csv: CSV.methods,
      title: sheetTitle(SHEET.methods, r.scenario),
      columns: [
        { zh: '机构编码', en: 'Member ID' },
        { zh: '机构名称', en: 'Name' },
        { zh: '层级', en: 'Tier' },
        { zh: '支付方式', en: 'Payment method' },
        { zh: '单据数', en: 'Claims (net)' },
        { zh: '医疗总费用', en: 'Total cost' },
        { zh: '统筹支付', en: 'Fund paid' },
        { zh: '个人负担', en: 'Patient paid' },
        { zh: '支付标准合计', en: 'Σ payment standards' },
        { zh: '医保支付', en: 'Liability' },
        { zh: '高倍率病例', en: 'High outliers' },
        { zh: '低倍率病例', en: 'Low outliers' },
      ],
      rows,
      filterRows: n,
    },
    anchors: { firstRow: rowOf(0), lastRow: rowOf(n - 1), liabilityTotal },
  };
}
