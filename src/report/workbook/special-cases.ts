// 特例单议 Special cases (§13.2): every row priced at its agreed amount — the formula's price, the agreed amount and
// the difference (a live formula) — then the quota per method: claims, quota rate, cases allowed, cases listed.
import type { SettlementResult } from '../../domain/result.js';
import { METHOD_LABEL } from './labels.js';
import { type Row, type SheetModel, addr, int, money, num, okCell, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

const COL = { formula: 8, agreed: 9, difference: 10, liability: 11 } as const;

export function specialCasesSheet(r: SettlementResult): SheetModel | undefined {
  const sc = r.actuals.specialCases;
  if (sc === undefined) return undefined;
  const rows: Row[] = sc.lines.map((l, i) => ({
    cells: [
      l.claimId,
      l.reverses,
      l.memberId,
      METHOD_LABEL[l.method],
      money(l.totalCost),
      money(l.patientPaid),
      money(l.unpackaged),
      money(l.formulaStandard),
      money(l.agreed),
      money(l.agreed - l.formulaStandard, `${addr(COL.agreed, rowOf(i))}-${addr(COL.formula, rowOf(i))}`),
      money(l.liability),
      l.reason,
    ],
  }));
  const n = rows.length;
  if (n > 0) {
    const sum = (c: number) => `SUM(${addr(c, rowOf(0))}:${addr(c, rowOf(n - 1))})`;
    const all = sc.lines;
    const s = (f: (l: (typeof all)[number]) => number) => all.reduce((x, l) => x + f(l), 0);
    rows.push({
      kind: 'total',
      cells: [
        '合计 Total',
        null,
        null,
        null,
        money(s((l) => l.totalCost), sum(5)),
        money(s((l) => l.patientPaid), sum(6)),
        money(s((l) => l.unpackaged), sum(7)),
        money(s((l) => l.formulaStandard), sum(COL.formula)),
        money(s((l) => l.agreed), sum(COL.agreed)),
        money(s((l) => l.agreed - l.formulaStandard), sum(COL.difference)),
        money(s((l) => l.liability), sum(COL.liability)),
        null,
      ],
    });
  } else {
    rows.push({ kind: 'note', cells: ['清单为空 The list is empty'] });
  }
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: ['限额', 'Quota', null, '支付方式 Method', '病例数 Claims', '限额比例 Quota rate', '限额例数 Allowed', '特例例数 Cases', '是否在限额内 Within quota'] });
  for (const q of sc.quota) {
    const i = rows.length;
    rows.push({
      cells: [
        null,
        null,
        null,
        METHOD_LABEL[q.method],
        int(q.claims),
        num(q.quota.toFixed(), '0.0##%'),
        int(q.allowed, `INT(ROUND(${addr(6, rowOf(i))}*${addr(5, rowOf(i))},9))`),
        int(q.cases),
        okCell(q.cases <= q.allowed, `IF(${addr(8, rowOf(i))}<=${addr(7, rowOf(i))},"OK","FAIL")`),
      ],
    });
  }
  for (const m of ['perDiem', 'singleDisease'] as const) {
    const k = sc.casesByMethod[m];
    if (k) rows.push({ cells: [null, null, null, METHOD_LABEL[m], null, '无限额 no quota', null, int(k), null] });
  }
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'note', cells: [`清单 List: ${sc.file}. 特例按核定金额支付：统筹支付 = max(0, 核定金额 − 个人负担 − 非打包基金 U)；不计高低倍率，DIP 特例不计入总分值。`] });
  rows.push({ kind: 'note', cells: ['A special case is paid its agreed amount: liability = max(0, agreed − patient paid − unpackaged funds U); it is no outlier, and a DIP case adds no points.'] });
  return {
    name: SHEET.specialCases,
    csv: CSV.specialCases,
    title: sheetTitle(SHEET.specialCases, r.scenario),
    columns: [
      { zh: '结算单据号', en: 'Claim ID' },
      { zh: '原结算单据号（冲销）', en: 'Reverses' },
      { zh: '机构', en: 'Member' },
      { zh: '支付方式', en: 'Method' },
      { zh: '医疗总费用', en: 'Total cost' },
      { zh: '个人负担', en: 'Patient paid' },
      { zh: '非打包基金 U', en: 'Unpackaged funds U' },
      { zh: '公式支付标准', en: 'Formula price' },
      { zh: '核定金额', en: 'Agreed amount' },
      { zh: '差额（核定 − 公式）', en: 'Difference (agreed − formula)' },
      { zh: '医共体内统筹支付', en: 'Liability' },
      { zh: '原因', en: 'Reason' },
    ],
    rows,
    filterRows: n,
  };
}
