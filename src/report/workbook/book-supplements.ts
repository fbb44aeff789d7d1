// 补充清算 (DOMAIN.md §12.5) in the book workbook: every money figure of the clearing (settlement with paid,
// carry-forward, each member's total and clearing payment) as locked, each supplement's difference, their live sum,
// and locked + Σ differences checked against the last supplement's clearing from scratch (§12.5: they are equal).
import { CARRY_FORWARD_FIGURES, type ClearingFigures, SETTLEMENT_FIGURES } from '../../book/clearing.js';
import type { BookState } from '../../book/state.js';
import type { Fen } from '../../domain/money.js';
import { CARRY_FORWARD_LABEL, SETTLEMENT_FIGURE_LABEL } from './labels.js';
import { type Cell, type Column, type Row, type SheetModel, addr, money, okCell, rowOf } from './model.js';
import { BOOK_SHEET, sheetTitle } from './names.js';

const LOCKED_COL = 4;

export function supplementsSheet(state: BookState): SheetModel {
  const scenario = state.versions[state.versions.length - 1].scenario;
  const title = sheetTitle(BOOK_SHEET.supplements, { name: scenario.name, year: state.year, groupId: state.groupId });
  const sups = state.supplements;
  const k = sups.length;
  const diffCol = (i: number) => LOCKED_COL + 1 + i;
  const sumCol = LOCKED_COL + k + 1;
  const postedCol = sumCol + 1;
  const scratchCol = postedCol + 1;
  const checkCol = scratchCol + 1;
  const columns: Column[] = [
    { zh: '代号', en: 'Key' },
    { zh: '项目', en: 'Item' },
    { zh: '项目（英文）', en: 'Item (English)' },
    { zh: '锁定清算', en: 'Locked clearing' },
    ...sups.map((s) => ({ zh: `第 ${s.index} 次补充清算差额`, en: `Supplement ${s.index} difference` })),
    ...(k > 0
      ? [
          { zh: '补充差额合计', en: 'Σ differences' },
          { zh: '锁定 + 补充', en: 'Locked + supplements' },
          { zh: '最近一次全部重算', en: 'Last clearing from scratch' },
          { zh: '结果', en: 'Check' },
        ]
      : []),
  ];
  const rows: Row[] = [];
  const locked = state.locked?.figures;
  if (locked === undefined || k === 0) {
    rows.push({
      kind: 'note',
      cells: [
        locked === undefined
          ? '年度尚未锁定，没有补充清算。Not locked yet: no supplement.'
          : '锁定后尚无补充清算。No supplement since the lock.',
      ],
    });
    if (locked === undefined) return { name: BOOK_SHEET.supplements, csv: 'book-supplements.csv', title, columns, rows, filterRows: 0 };
  }
  const last = sups[k - 1]?.clearing.figures;
  const fileOf = new Map(state.batches.map((b) => [b.sha256, `#${b.seq} ${b.file}`]));
  const txOf = state.journal.filter((t) => t.kind === 'supplement');
  if (k > 0) {
    rows.push({ kind: 'section', cells: [null, '补充清算', 'Supplements'] });
    const info = (key: string, zh: string, en: string, value: (i: number) => string) => rows.push({ cells: [key, zh, en, null, ...sups.map((_, i) => value(i))] });
    info('日期', '过账时间', 'Posted at', (i) => sups[i].at);
    info('批次', '新导入的批次', 'Batches new since the last posting', (i) => sups[i].newBatches.map((h) => fileOf.get(h) ?? h).join('；'));
    info('分录', '分录号', 'Transaction', (i) => (txOf[i] === undefined ? '' : `#${txOf[i].seq}`));
  }
  let allEqual = true;
  const figure = (key: string, zh: string, en: string, get: (f: ClearingFigures) => Fen) => {
    const row = rowOf(rows.length);
    const cells: Cell[] = [key, zh, en, money(get(locked))];
    if (k > 0) {
      const diffs = sups.map((s) => get(s.difference));
      const total = diffs.reduce((a, b) => a + b, 0);
      const posted = get(locked) + total;
      const scratch = get(last!);
      allEqual &&= posted === scratch;
      cells.push(
        ...diffs.map((d) => money(d)),
        money(total, `SUM(${addr(diffCol(0), row)}:${addr(diffCol(k - 1), row)})`),
        money(posted, `${addr(LOCKED_COL, row)}+${addr(sumCol, row)}`),
        money(scratch),
        okCell(posted === scratch, `IF(ROUND(${addr(postedCol, row)}-${addr(scratchCol, row)},2)=0,"OK","FAIL")`),
      );
    }
    rows.push({ cells });
  };
  const firstFigure = rows.length;
  rows.push({ kind: 'section', cells: [null, '年终结算', 'Settlement'] });
  for (const key of SETTLEMENT_FIGURES) figure(key, ...SETTLEMENT_FIGURE_LABEL[key], (f) => f.settlement[key]);
  rows.push({ kind: 'section', cells: [null, '结转储备金', 'Carry-forward reserve'] });
  for (const key of CARRY_FORWARD_FIGURES) figure(key, ...CARRY_FORWARD_LABEL[key], (f) => f.carryForward[key]);
  const members = scenario.group.members;
  const memberOf = (f: ClearingFigures, id: string) => f.members.find((m) => m.id === id);
  rows.push({ kind: 'section', cells: [null, '机构应得（§6 合计）', 'Member totals (§6)'] });
  for (const m of members) figure(m.id, `${m.name} 应得`, `${m.id} total`, (f) => memberOf(f, m.id)?.total ?? 0);
  rows.push({ kind: 'section', cells: [null, '机构年终清算拨付', 'Member clearing payments'] });
  for (const m of members) figure(m.id, `${m.name} 清算拨付`, `${m.id} clearing payment`, (f) => memberOf(f, m.id)?.clearing ?? 0);
  if (k > 0) {
    const lastRow = rowOf(rows.length - 1);
    rows.push({ kind: 'blank', cells: [] });
    const cells: Cell[] = Array.from({ length: checkCol }, () => null);
    cells[0] = 'ALL';
    cells[1] = '锁定清算 + 全部补充 = 全部批次重算（§12.5）';
    cells[2] = 'Locked + supplements = clearing from scratch (§12.5)';
    cells[checkCol - 1] = okCell(allEqual, `IF(COUNTIF(${addr(checkCol, rowOf(firstFigure))}:${addr(checkCol, lastRow)},"FAIL")=0,"OK","FAIL")`);
    rows.push({ kind: 'total', cells });
  }
  return { name: BOOK_SHEET.supplements, csv: 'book-supplements.csv', title, columns, rows, filterRows: 0 };
}
