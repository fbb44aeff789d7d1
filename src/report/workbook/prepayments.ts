// 预拨 Prepayments: the installments of P − Q with dates and a running total.
import type { SettlementResult } from '../../domain/result.js';
import { type Row, type SheetModel, addr, int, money, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

export interface PrepaymentAnchors {
  readonly total: string;
}

export function prepaymentsSheet(r: SettlementResult): { model: SheetModel; anchors: PrepaymentAnchors } {
  const ps = r.budget.prepayments;
  let running = 0;
  const rows: Row[] = ps.map((p, i) => {
    running += p.amount;
    const f = i === 0 ? addr(3, rowOf(0)) : `${addr(4, rowOf(i - 1))}+${addr(3, rowOf(i))}`;
    return { cells: [int(p.index), p.date, money(p.amount), money(running, f)] };
  });
  const totalI = rows.length;
  const sum = ps.length > 0 ? `SUM(${addr(3, rowOf(0))}:${addr(3, rowOf(ps.length - 1))})` : '0';
  rows.push({ kind: 'total', cells: ['合计', 'Total (= P − Q)', money(running, sum), null] });
  return {
    model: {
      name: SHEET.prepayments,
      csv: CSV.prepayments,
      title: sheetTitle(SHEET.prepayments, r.scenario),
      columns: [
        { zh: '期次', en: 'Installment' },
        { zh: '拨付日期', en: 'Date', width: 14 },
        { zh: '预拨金额（元）', en: 'Amount (yuan)' },
        { zh: '累计预拨（元）', en: 'Running total (yuan)' },
      ],
      rows,
      filterRows: ps.length,
    },
    anchors: { total: addr(3, rowOf(totalI)) },
  };
}
