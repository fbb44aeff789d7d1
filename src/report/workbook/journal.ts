// 分录 Journal: every transaction and posting (one row per posting), then each account's end balance as a SUMIF
// over the postings, and the sum of all postings (0.00: every transaction balances).
import type { SettlementResult } from '../../domain/result.js';
import { accountLabel } from './labels.js';
import { type Row, type SheetModel, absAddr, addr, int, money, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

export const JOURNAL_COL = { account: 5, amount: 7 } as const;

export interface JournalAnchors {
  readonly postingsTotal: string;
}

export function journalSheet(r: SettlementResult): { model: SheetModel; anchors: JournalAnchors } {
  const rows: Row[] = [];
  const balances = new Map<string, number>();
  for (const t of r.journal) {
    for (const p of t.postings) {
      rows.push({ cells: [int(t.id), t.date, t.zh, t.en, p.account, accountLabel(p.account), money(p.amount)] });
      balances.set(p.account, (balances.get(p.account) ?? 0) + p.amount);
    }
  }
  const n = rows.length;
  const range = (c: number) => `${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(Math.max(0, n - 1)))}`;
  const totalI = rows.length;
  rows.push({ kind: 'total', cells: ['合计', null, '全部分录合计（应为 0.00）', 'Sum of all postings (must be 0.00)', null, null, money(0, n > 0 ? `SUM(${range(JOURNAL_COL.amount)})` : '0')] });
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: [null, null, '科目余额', 'Account end balances'] });
  for (const [account, balance] of [...balances].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const i = rows.length;
    rows.push({ kind: 'subtotal', cells: ['余额', null, '期末余额', 'End balance', account, accountLabel(account), money(balance, `SUMIF(${range(JOURNAL_COL.account)},${addr(JOURNAL_COL.account, rowOf(i))},${range(JOURNAL_COL.amount)})`)] });
  }
  return {
    model: {
      name: SHEET.journal,
      csv: CSV.journal,
      title: sheetTitle(SHEET.journal, r.scenario),
      columns: [
        { zh: '凭证号', en: 'Transaction' },
        { zh: '日期', en: 'Date', width: 12 },
        { zh: '摘要', en: 'Description (Chinese)' },
        { zh: '摘要（英文）', en: 'Description (English)' },
        { zh: '科目', en: 'Account' },
        { zh: '科目名称', en: 'Account name' },
        { zh: '金额（元，正数为转入）', en: 'Amount (yuan, + into the account)' },
      ],
      rows,
      filterRows: n,
    },
    anchors: { postingsTotal: addr(JOURNAL_COL.amount, rowOf(totalI)) },
  };
}
