// 预算 Budget: each budget line with its basis and inputs, the total B, then R, P, Q and what is prepaid (P − Q).
import type { SettlementResult } from '../../domain/result.js';
import { BASIS_LABEL, CATEGORY_LABEL, FUND_LABEL } from './labels.js';
import { type Row, type SheetModel, addr, int, money, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

export const BUDGET_AMOUNT_COL = 6;

export interface BudgetAnchors {
  readonly total: string; // B
  readonly riskReserve: string; // R
  readonly package: string; // P
  readonly qualityDeposit: string; // Q
  readonly prepaid: string; // P − Q
}

/** Looks a key path up in the scenario object (e.g. ['budget', 'riskReserveRate']). */
export function lookup(obj: unknown, path: readonly string[]): string | undefined {
  let x: unknown = obj;
  for (const k of path) {
    if (x === null || typeof x !== 'object') return undefined;
    x = (x as Record<string, unknown>)[k];
  }
  return x === undefined || x === null || typeof x === 'object' ? undefined : String(x);
}

export function budgetSheet(r: SettlementResult, scenarioObject: unknown): { model: SheetModel; anchors: BudgetAnchors } {
  const b = r.budget;
  const rows: Row[] = b.lines.map((l, i) => ({
    cells: [
      int(i + 1),
      CATEGORY_LABEL[l.category],
      FUND_LABEL[l.fund],
      BASIS_LABEL[l.basis],
      Object.entries(l.inputs)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · '),
      money(l.amount),
    ],
  }));
  const n = b.lines.length;
  const F = (i: number) => addr(BUDGET_AMOUNT_COL, rowOf(i));
  const sumF = n > 0 ? `SUM(${F(0)}:${F(n - 1)})` : '0';
  const totalI = rows.length;
  rows.push({ kind: 'total', cells: ['B', '合计：年度总额预算', 'Total: budget B', null, null, money(b.total, sumF)] });
  rows.push({ kind: 'blank', cells: [] });
  const rate = (key: string) => {
    const v = lookup(scenarioObject, ['budget', key]);
    return v === undefined ? null : `${key} ${v}`;
  };
  const rI = rows.length;
  rows.push({ cells: ['R', '风险金（预留，留基金）', 'Risk reserve R (kept by the fund)', null, rate('riskReserveRate'), money(b.riskReserve)] });
  const pI = rows.length;
  rows.push({ kind: 'subtotal', cells: ['P', '打包资金 = B − R', 'Package P = B − R', null, null, money(b.package, `${F(totalI)}-${F(rI)}`)] });
  const qI = rows.length;
  rows.push({ cells: ['Q', '质量保证金（预拨时扣留）', 'Quality deposit Q (withheld from prepayments)', null, rate('qualityDepositRate'), money(b.qualityDeposit)] });
  const ppI = rows.length;
  rows.push({ kind: 'subtotal', cells: ['P − Q', '预拨总额 = P − Q', 'Prepaid in installments = P − Q', null, `${b.prepayments.length} 期 installments`, money(b.package - b.qualityDeposit, `${F(pI)}-${F(qI)}`)] });
  return {
    model: {
      name: SHEET.budget,
      csv: CSV.budget,
      title: sheetTitle(SHEET.budget, r.scenario),
      columns: [
        { zh: '序号', en: 'No.', width: 8 },
        { zh: '人员类别', en: 'Insured category' },
        { zh: '基金', en: 'Fund' },
        { zh: '核定方式', en: 'Basis' },
        { zh: '核定参数', en: 'Inputs' },
        { zh: '金额（元）', en: 'Amount (yuan)' },
      ],
      rows,
      filterRows: n,
    },
    anchors: { total: F(totalI), riskReserve: F(rI), package: F(pI), qualityDeposit: F(qI), prepaid: F(ppI) },
  };
}
