// 外转扣减 Out-of-group: the deductions D by destination institution × region × insured category, with subtotals by
// region and by category (SUMIF over the lines). In aggregate mode only the two region totals are known.
import type { SettlementResult } from '../../domain/result.js';
import { CATEGORIES } from '../../domain/types.js';
import { CATEGORY_LABEL, REGION_LABEL } from './labels.js';
import { type Row, type SheetModel, absAddr, addr, int, money, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

export interface OutOfGroupAnchors {
  readonly total: string; // D
}

export function outOfGroupSheet(r: SettlementResult): { model: SheetModel; anchors: OutOfGroupAnchors } {
  const a = r.actuals;
  const lines = a.outOfGroup;
  const rows: Row[] = lines.map((l) => ({ cells: [l.institutionId, REGION_LABEL(l.outOfRegion), CATEGORY_LABEL[l.category], int(l.claims), money(l.fundPaid)] }));
  const n = lines.length;
  let totalI: number;
  if (n > 0) {
    const range = (c: number) => `${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(n - 1))}`;
    totalI = rows.length;
    rows.push({
      kind: 'total',
      cells: ['合计 D', '医共体外就医扣减', 'Out-of-group deductions D', int(lines.reduce((s, l) => s + l.claims, 0), `SUM(${range(4)})`), money(a.outOfGroupDeductions, `SUM(${range(5)})`)],
    });
    rows.push({ kind: 'blank', cells: [] });
    rows.push({ kind: 'section', cells: ['小计：按区域', 'Subtotals by region'] });
    for (const out of [false, true]) {
      const i = rows.length;
      const sel = lines.filter((l) => l.outOfRegion === out);
      const crit = addr(2, rowOf(i));
      rows.push({
        kind: 'subtotal',
        cells: ['小计 Subtotal', REGION_LABEL(out), null, int(sel.reduce((s, l) => s + l.claims, 0), `SUMIF(${range(2)},${crit},${range(4)})`), money(sel.reduce((s, l) => s + l.fundPaid, 0), `SUMIF(${range(2)},${crit},${range(5)})`)],
      });
    }
    rows.push({ kind: 'blank', cells: [] });
    rows.push({ kind: 'section', cells: ['小计：按人员类别', 'Subtotals by insured category'] });
    for (const cat of CATEGORIES) {
      const i = rows.length;
      const sel = lines.filter((l) => l.category === cat);
      const crit = addr(3, rowOf(i));
      rows.push({
        kind: 'subtotal',
        cells: ['小计 Subtotal', null, CATEGORY_LABEL[cat], int(sel.reduce((s, l) => s + l.claims, 0), `SUMIF(${range(3)},${crit},${range(4)})`), money(sel.reduce((s, l) => s + l.fundPaid, 0), `SUMIF(${range(3)},${crit},${range(5)})`)],
      });
    }
  } else {
    rows.push({ kind: 'note', cells: [a.source === 'actuals' ? '汇总模式：无明细，仅有区域合计 Aggregate mode: region totals only' : '无医共体外就医 No out-of-group claims'] });
    const inI = rows.length;
    rows.push({ cells: ['(合计 aggregate)', REGION_LABEL(false), null, null, money(a.outOfGroupInRegion)] });
    rows.push({ cells: ['(合计 aggregate)', REGION_LABEL(true), null, null, money(a.outOfGroupOutOfRegion)] });
    totalI = rows.length;
    rows.push({ kind: 'total', cells: ['合计 D', '医共体外就医扣减', 'Out-of-group deductions D', null, money(a.outOfGroupDeductions, `${addr(5, rowOf(inI))}+${addr(5, rowOf(inI + 1))}`)] });
  }
  return {
    model: {
      name: SHEET.outOfGroup,
      csv: CSV.outOfGroup,
      title: sheetTitle(SHEET.outOfGroup, r.scenario),
      columns: [
        { zh: '就医机构', en: 'Destination institution' },
        { zh: '区域', en: 'Region' },
        { zh: '人员类别', en: 'Insured category' },
        { zh: '单据数', en: 'Claims' },
        { zh: '统筹支付（扣减，元）', en: 'Fund paid (deducted, yuan)' },
      ],
      rows,
      filterRows: n,
    },
    anchors: { total: addr(5, rowOf(totalI)) },
  };
}
