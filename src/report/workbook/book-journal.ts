// 分录 Journal of a book (DOMAIN.md §12.6): each transaction on a shaded row with its hash, the hash it follows and a
// live check that this is the hash of the transaction above; one row per posting below it. Then
// the sum of all postings (0.00) and each account's end balance as a SUMIF over the postings.
import type { BookTransaction } from '../../book/postings.js';
import type { BookState } from '../../book/state.js';
import type { Fen } from '../../domain/money.js';
import type { JournalAnchors } from './journal.js';
import { TRANSACTION_KIND_LABEL, accountLabel } from './labels.js';
import { type Cell, type Row, type SheetModel, absAddr, addr, int, money, okCell, rowOf } from './model.js';
import { BOOK_SHEET, sheetTitle } from './names.js';

export const BOOK_JOURNAL_COL = { seq: 1, account: 6, amount: 8, hash: 11, prev: 12, chain: 13 } as const;

export function bookJournalSheet(state: BookState): { model: SheetModel; anchors: JournalAnchors } {
  const C = BOOK_JOURNAL_COL;
  const rows: Row[] = [];
  const balances = new Map<string, Fen>();
  const blank = (cells: Record<number, Cell>): Cell[] => Array.from({ length: C.chain }, (_, i) => cells[i + 1] ?? null);
  let before: { tx: BookTransaction; row: number } | undefined;
  for (const t of state.journal) {
    // The transaction on a shaded row of its own, with its hash and the hash it follows; its postings below it.
    const row = rowOf(rows.length);
    const follows = t.prev === (before?.tx.hash ?? '');
    rows.push({
      kind: 'section',
      cells: blank({
        1: int(t.seq),
        2: t.date,
        3: TRANSACTION_KIND_LABEL[t.kind],
        4: t.zh,
        5: t.en,
        9: t.at,
        10: `${t.versions.map((v) => `v${v.index}`).join(' ')}${t.batches.length > 0 ? ` · ${t.batches.length} 批次 batches` : ''}`,
        [C.hash]: t.hash,
        [C.prev]: t.prev,
        [C.chain]: okCell(follows, before === undefined ? `IF(${addr(C.prev, row)}="","OK","FAIL")` : `IF(${addr(C.prev, row)}=${addr(C.hash, before.row)},"OK","FAIL")`),
      }),
    });
    for (const p of t.postings) {
      rows.push({ cells: [int(t.seq), t.date, null, null, null, p.account, accountLabel(p.account), money(p.amount)] });
      balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
    }
    before = { tx: t, row };
  }
  const n = rows.length;
  const range = (c: number) => `${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(Math.max(0, n - 1)))}`;
  const totalI = rows.length;
  rows.push({
    kind: 'total',
    cells: blank({
      1: '合计',
      4: '全部分录合计（应为 0.00）',
      5: 'Sum of all postings (must be 0.00)',
      [C.amount]: money(0, n > 0 ? `SUM(${range(C.amount)})` : '0'),
      [C.chain]: n > 0 ? okCell(true, `IF(COUNTIF(${range(C.chain)},"FAIL")=0,"OK","FAIL")`) : null,
    }),
  });
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: blank({ 4: '科目余额', 5: 'Account end balances' }) });
  for (const [account, balance] of [...balances].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const i = rows.length;
    rows.push({
      kind: 'subtotal',
      cells: blank({
        1: '余额',
        4: '期末余额',
        5: 'End balance',
        [C.account]: account,
        [C.account + 1]: accountLabel(account),
        [C.amount]: money(balance, `SUMIF(${range(C.account)},${addr(C.account, rowOf(i))},${range(C.amount)})`),
      }),
    });
  }
  const scenario = state.versions[state.versions.length - 1].scenario;
  return {
    model: {
      name: BOOK_SHEET.journal,
      csv: 'book-journal.csv',
      title: sheetTitle(BOOK_SHEET.journal, { name: scenario.name, year: state.year, groupId: state.groupId }),
      columns: [
        { zh: '凭证号', en: 'Transaction', width: 13 },
        { zh: '日期', en: 'Date', width: 12 },
        { zh: '类别', en: 'Kind', width: 22 },
        { zh: '摘要', en: 'Description (Chinese)', width: 40 },
        { zh: '摘要（英文）', en: 'Description (English)', width: 50 },
        { zh: '科目', en: 'Account' },
        { zh: '科目名称', en: 'Account name' },
        { zh: '金额（元，正数为转入）', en: 'Amount (yuan, + into the account)' },
        { zh: '记账时间', en: 'Posted at', width: 26 },
        { zh: '政策版本 · 批次', en: 'Versions · batches', width: 24 },
        { zh: '本笔哈希（SHA-256）', en: 'Hash (SHA-256)', width: 68 },
        { zh: '前一笔哈希', en: 'Previous hash', width: 68 },
        { zh: '链接', en: 'Chain' },
      ],
      rows,
      filterRows: n,
    },
    anchors: { postingsTotal: addr(C.amount, rowOf(totalI)) },
  };
}
