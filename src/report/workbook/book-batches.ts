// 批次 Batches of a book: each imported file with its SHA-256, when it came, how many months were closed then, its rows
// (by month, with a live sum checked against the row count), its late rows (dated in months already closed, §12.3),
// and which posting cleared it (the locked clearing, a supplement, or none yet).
import { type BookEvent, type BookState, batchesAtStamp } from '../../book/state.js';
import { type Cell, type Row, type SheetModel, absAddr, addr, int, okCell, rowOf } from './model.js';
import { BOOK_SHEET, sheetTitle } from './names.js';

export const BATCH_COL = { seq: 1, sha256: 3, rows: 6, late: 7, firstMonth: 8, monthSum: 20, check: 21, clearedIn: 22 } as const;

export function batchesSheet(state: BookState, events: readonly BookEvent[]): SheetModel {
  const C = BATCH_COL;
  const closedAt = new Map<string, number>();
  const importedAt = new Map<string, string>();
  let lockedThrough: number | undefined;
  let closes = 0;
  for (const e of events) {
    if (e.kind === 'close') closes++;
    if (e.kind === 'import') {
      closedAt.set(e.batch.sha256, closes);
      importedAt.set(e.batch.sha256, e.at);
    }
    if (e.kind === 'lock') lockedThrough = batchesAtStamp(e.stamp);
  }
  const draftThrough = state.draft === undefined ? undefined : batchesAtStamp(state.draft.stamp);
  const clearedIn = (seq: number, sha: string): string => {
    if (lockedThrough !== undefined) {
      if (seq <= lockedThrough) return '年终清算（锁定） locked clearing';
      const s = state.supplements.find((x) => x.newBatches.includes(sha));
      return s === undefined ? '待补充清算 awaiting a supplement' : `第 ${s.index} 次补充清算 supplement ${s.index}`;
    }
    if (draftThrough !== undefined && seq <= draftThrough) return '清算草稿 draft clearing';
    return '尚未清算 not cleared yet';
  };
  const months = Array.from({ length: 12 }, (_, i) => C.firstMonth + i);
  const rows: Row[] = state.batches.map((b, i) => {
    const row = rowOf(i);
    const byMonth = b.monthRows.reduce((a, x) => a + x, 0);
    return {
      cells: [
        int(b.seq),
        b.file,
        b.sha256,
        importedAt.get(b.sha256) ?? null,
        int(closedAt.get(b.sha256) ?? 0),
        int(b.rows),
        int(b.late),
        ...b.monthRows.map((x) => int(x)),
        int(byMonth, `SUM(${addr(C.firstMonth, row)}:${addr(C.monthSum - 1, row)})`),
        okCell(byMonth === b.rows, `IF(${addr(C.monthSum, row)}=${addr(C.rows, row)},"OK","FAIL")`),
        clearedIn(b.seq, b.sha256),
      ],
    };
  });
  const n = rows.length;
  const down = (c: number, v: number): Cell => int(v, n > 0 ? `SUM(${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(n - 1))})` : '0');
  const total = (f: (b: BookState['batches'][number]) => number) => state.batches.reduce((a, b) => a + f(b), 0);
  rows.push({
    kind: 'total',
    cells: [
      '合计',
      `Total (${n})`,
      null,
      null,
      null,
      down(C.rows, total((b) => b.rows)),
      down(C.late, total((b) => b.late)),
      ...months.map((c, i) => down(c, total((b) => b.monthRows[i]))),
      down(C.monthSum, total((b) => b.rows)),
      n > 0 ? okCell(true, `IF(COUNTIF(${absAddr(C.check, rowOf(0))}:${absAddr(C.check, rowOf(n - 1))},"FAIL")=0,"OK","FAIL")`) : null,
      null,
    ],
  });
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'note', cells: ['迟到行：导入时其结算日期所在月份已月结，不参与月度预结算，由年终清算（或锁定后的补充清算）结算（DOMAIN.md §12.3）。'] });
  rows.push({ kind: 'note', cells: ['Late rows: dated in a month already closed when imported; no monthly pre-settlement prices them, the clearing (or, after the lock, a supplement) does (DOMAIN.md §12.3).'] });
  const scenario = state.versions[state.versions.length - 1].scenario;
  return {
    name: BOOK_SHEET.batches,
    csv: 'book-batches.csv',
    title: sheetTitle(BOOK_SHEET.batches, { name: scenario.name, year: state.year, groupId: state.groupId }),
    columns: [
      { zh: '批次', en: 'Batch' },
      { zh: '文件', en: 'File' },
      { zh: 'SHA-256', en: 'of the file', width: 68 },
      { zh: '导入时间', en: 'Imported at', width: 26 },
      { zh: '导入时已月结月数', en: 'Months closed then' },
      { zh: '行数', en: 'Rows' },
      { zh: '迟到行', en: 'Late rows' },
      ...months.map((_, i) => ({ zh: `${String(i + 1).padStart(2, '0')} 月行数`, en: `Rows ${state.year}-${String(i + 1).padStart(2, '0')}` })),
      { zh: '按月合计', en: 'Σ by month' },
      { zh: '校验', en: 'Check' },
      { zh: '清算于', en: 'Cleared in' },
    ],
    rows,
    filterRows: n,
  };
}
