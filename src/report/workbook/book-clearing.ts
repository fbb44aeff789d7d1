// 年终清算 (DOMAIN.md §12.4) in the book workbook. The book stores a clearing as its fen figures and its §8 JSON, not
// the engine's full result; the workbook re-runs the clearing (src/book/compute.ts, the same code path as `book
// clear`, `book lock` and `verify`) on the book as it stood when that clearing was made, refuses to go on if the
// figures differ from the stored ones, and hands the result to the settlement's own sheet builders. This sheet then
// states what only a book has: Y = T − Σ monthly paid, and each member's clearing payment = its §6 total − Σ its
// monthly shares, as live formulas over the Summary, Members, Monthly and Paid-by-member sheets.
import type { Clearing } from '../../book/clearing.js';
import { type BookClaims, computeClearing } from '../../book/compute.js';
import type { BookTransaction } from '../../book/postings.js';
import { type BookEvent, type BookState, type ClearingRecordJson, batchesAtStamp, inputStamp, replayEvents } from '../../book/state.js';
import { versionScenario } from '../../book/versions.js';
import { InputRejected } from '../../domain/errors.js';
import { formatFenGrouped } from '../../domain/money.js';
import type { PaidByMemberAnchors, MonthlyAnchors } from './book-monthly.js';
import { TIER_LABEL } from './labels.js';
import { MEMBER_COL, type MemberAnchors } from './members.js';
import { type Row, type SheetModel, absAddr, addr, money, okCell, rowOf, sheetRef } from './model.js';
import { BOOK_SHEET, SHEET, sheetTitle } from './names.js';
import type { SummaryKey } from './summary.js';

export type ClearingStatus = 'locked' | 'draft' | 'stale';

export const CLEARING_STATUS_LABEL: Record<ClearingStatus, string> = {
  locked: '已锁定 locked',
  draft: '草稿 draft',
  stale: '草稿（其后有新批次或新版本，需重新 book clear）stale draft',
};

/** The clearing a book shows (the locked one, else the draft), recomputed on the book as it was then. */
export interface ShownClearing {
  readonly status: ClearingStatus;
  readonly record: ClearingRecordJson;
  /** The book just before the clearing was made: what it was computed on. */
  readonly basis: BookState;
  readonly clearing: Clearing;
  readonly at: string;
  /** The lock's transaction. */
  readonly transaction?: BookTransaction;
}

export async function shownClearing(state: BookState, events: readonly BookEvent[], claims: BookClaims, dir: string): Promise<ShownClearing | undefined> {
  const kind = state.locked !== undefined ? 'lock' : state.draft !== undefined ? 'clear' : undefined;
  if (kind === undefined) return undefined;
  const index = events.map((e) => e.kind).lastIndexOf(kind);
  const event = events[index] as Extract<BookEvent, { kind: 'lock' | 'clear' }>;
  const basis = replayEvents(events.slice(0, index), versionScenario);
  const clearing = await computeClearing(basis, claims);
  if (JSON.stringify(clearing.figures) !== JSON.stringify(event.clearing.figures)) {
    throw new InputRejected([
      {
        file: dir,
        rule: 'book.clearingDiffers',
        zh: '账簿中保存的年终清算与按保存的政策版本和批次重新计算的结果不一致；请运行 book verify 查明',
        en: 'the clearing stored in the book differs from its recomputation from the stored versions and batches; run book verify to find where',
      },
    ]);
  }
  const status: ClearingStatus = kind === 'lock' ? 'locked' : state.draft!.stamp === inputStamp(state) ? 'draft' : 'stale';
  return {
    status,
    record: event.clearing,
    basis,
    clearing,
    at: event.at,
    transaction: kind === 'lock' ? state.journal.find((t) => t.kind === 'clearing') : undefined,
  };
}

export interface ClearingSheetAnchors {
  readonly summary: ReadonlyMap<SummaryKey, string>;
  readonly members: MemberAnchors;
  readonly monthly: MonthlyAnchors;
  readonly paidByMember: PaidByMemberAnchors;
}

const COL = { total: 4, paid: 5, clearing: 6 } as const;

const columns = [
  { zh: '机构编码 / 代号', en: 'Member ID / key' },
  { zh: '机构名称 / 项目', en: 'Name / item' },
  { zh: '层级 / 项目（英文）', en: 'Tier / item (English)' },
  { zh: '应得（§6 合计）', en: 'Total (§6)' },
  { zh: '已按月拨付', en: 'Paid monthly' },
  { zh: '年终清算拨付', en: 'Clearing payment' },
];

function titleOf(state: BookState): string {
  const s = state.versions[state.versions.length - 1].scenario;
  return sheetTitle(BOOK_SHEET.clearing, { name: s.name, year: state.year, groupId: state.groupId });
}

/** The sheet when there is no clearing yet. */
export function noClearingSheet(state: BookState): SheetModel {
  return {
    name: BOOK_SHEET.clearing,
    csv: 'book-clearing.csv',
    title: titleOf(state),
    columns,
    rows: [
      { kind: 'note', cells: [`尚无年终清算：已月结 ${state.months.length}/12 个月；12 个月全部月结后运行 book clear 生成清算草稿，复核后 book lock 锁定。`] },
      { kind: 'note', cells: [`No year-end clearing yet: ${state.months.length}/12 months closed; once all twelve are closed, book clear drafts it and book lock locks it.`] },
    ],
    filterRows: 0,
  };
}

export function clearingSheet(state: BookState, shown: ShownClearing, x: ClearingSheetAnchors): SheetModel {
  const f = shown.clearing.figures;
  const members = shown.clearing.result.members;
  const n = members.length;
  const byId = new Map(f.members.map((m) => [m.id, m]));
  const rows: Row[] = members.map((m, i) => {
    const row = rowOf(i);
    const c = byId.get(m.id)!;
    return {
      cells: [
        m.id,
        m.name,
        TIER_LABEL[m.tier],
        money(c.total, sheetRef(SHEET.members, addr(MEMBER_COL.total, x.members.rowOf.get(m.id)!))),
        money(c.paid, sheetRef(BOOK_SHEET.monthlyByMember, x.paidByMember.memberPaid.get(m.id)!)),
        money(c.clearing, `${addr(COL.total, row)}-${addr(COL.paid, row)}`),
      ],
    };
  });
  const sumOf = (c: number) => (n > 0 ? `SUM(${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(n - 1))})` : '0');
  const total = (k: 'total' | 'paid' | 'clearing') => f.members.reduce((a, m) => a + m[k], 0);
  const totalRow = rowOf(rows.length);
  rows.push({ kind: 'total', cells: ['合计', 'Total', null, money(total('total'), sumOf(COL.total)), money(total('paid'), sumOf(COL.paid)), money(total('clearing'), sumOf(COL.clearing))] });
  rows.push({ kind: 'blank', cells: [] });

  const s = f.settlement;
  const cf = f.carryForward;
  const S = (k: SummaryKey) => sheetRef(SHEET.summary, x.summary.get(k)!);
  const at = new Map<string, string>();
  const line = (key: string, zh: string, en: string, amount: ReturnType<typeof money>) => {
    at.set(key, addr(COL.total, rowOf(rows.length)));
    rows.push({ cells: [key, zh, en, amount] });
  };
  rows.push({ kind: 'section', cells: [null, '年终清算（DOMAIN.md §12.4）', 'Year-end clearing (DOMAIN.md §12.4)'] });
  line('T', '医共体应得总额', 'Group total', money(s.groupTotal, S('T')));
  line('Σpaid', '已按月预结算拨付', 'Paid by monthly pre-settlement', money(s.paid, sheetRef(BOOK_SHEET.monthly, x.monthly.paidTotal)));
  const yRow = rowOf(rows.length);
  rows.push({
    kind: 'total',
    cells: ['Y', s.yearEndPayment < 0 ? '年终清算拨付（负数：医共体返还）' : '年终清算拨付', 'Year-end payment Y = T − Σ paid', money(s.yearEndPayment, `${at.get('T')}-${at.get('Σpaid')}`)],
  });
  line('used', '结转储备金本年使用', 'Carry-forward used', money(cf.used, S('cfUsed')));
  line('added', '结转储备金本年提取', 'Carry-forward added', money(cf.added, S('cfAdded')));
  const checkRow = rowOf(rows.length);
  const expected = s.yearEndPayment + cf.used - cf.added;
  rows.push({
    kind: 'subtotal',
    cells: [
      '校验 check',
      'Σ 机构清算拨付 = Y + 使用 − 提取',
      'Σ member clearing payments = Y + used − added',
      money(total('clearing'), addr(COL.clearing, totalRow)),
      money(expected, `${addr(COL.total, yRow)}+${at.get('used')}-${at.get('added')}`),
      okCell(total('clearing') === expected, `IF(ROUND(${addr(COL.total, checkRow)}-${addr(COL.paid, checkRow)},2)=0,"OK","FAIL")`),
    ],
  });
  rows.push({ kind: 'blank', cells: [] });
    const used = shown.basis.batches.length;
  const note = (zh: string, en: string, value: string) => rows.push({ kind: 'note', cells: [`${zh} ${en}：${value}`] });
  note('状态', 'Status', CLEARING_STATUS_LABEL[shown.status]);
  note('计算时间', 'Computed at', shown.at);
  const v = shown.basis.versions[shown.basis.versions.length - 1];
  note('政策版本', 'Policy version', `v${v.record.index} ${v.record.file}（SHA-256 ${v.record.sha256}）`);
  note('批次', 'Batches cleared', `1–${used} / ${state.batches.length}`);
  note('期初结转', 'Carry-forward opening used', formatFenGrouped(shown.basis.opening));
  if (shown.transaction !== undefined) note('锁定分录', 'Lock transaction', `#${shown.transaction.seq} ${shown.transaction.hash}`);
  if (state.locked !== undefined && batchesAtStamp(inputStamp(state)) > used) {
    rows.push({ kind: 'note', cells: [`锁定后又导入 ${state.batches.length - used} 个批次：见补充清算表 / ${state.batches.length - used} batch(es) imported after the lock: see the Supplements sheet`] });
  }
  return { name: BOOK_SHEET.clearing, csv: 'book-clearing.csv', title: titleOf(state), columns, rows, filterRows: n };
}
