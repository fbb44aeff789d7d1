// 分录与哈希链 (DOMAIN.md §12.6): every movement of a book's money is a balanced transaction, appended and never
// edited; each carries the SHA-256 of its canonical content and of the transaction before it.
// Accounts: fund 医保基金 · package 打包资金 · riskReserve 风险金 · qualityDeposit 质量保证金 · outOfGroup 医共体外
// · fundRetained 基金留存 · carryForward 结转储备金 · carryForward:opening 上年结转 · member:<id>:paid 月度预拨
// · member:<id>:clearing 年终清算.
import { createHash } from 'node:crypto';
import { invariant } from '../domain/errors.js';
import { type Fen, formatFen } from '../domain/money.js';
import type { BudgetResult } from '../domain/result.js';
import type { ClearingFigures } from './clearing.js';

export const BOOK_ACCOUNT = {
  fund: 'fund',
  package: 'package',
  riskReserve: 'riskReserve',
  qualityDeposit: 'qualityDeposit',
  outOfGroup: 'outOfGroup',
  fundRetained: 'fundRetained',
  carryForward: 'carryForward',
  carryForwardOpening: 'carryForward:opening',
  memberPaid: (id: string) => `member:${id}:paid`,
  memberClearing: (id: string) => `member:${id}:clearing`,
} as const;

export interface BookPosting {
  readonly account: string;
  readonly amount: Fen; // positive: into the account
}

export const TRANSACTION_KINDS = ['opening', 'amendment', 'monthly', 'clearing', 'supplement', 'openingAdjustment'] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** What a transaction says, before it is chained. */
export interface TransactionBody {
  readonly kind: TransactionKind;
  readonly date: string; // YYYY-MM-DD: the date the money moves in the book's year
  readonly at: string; // ISO date-time the command ran (the clock, entered at the edge and stored as data)
  readonly zh: string;
  readonly en: string;
  readonly versions: ReadonlyArray<{ readonly index: number; readonly sha256: string }>;
  readonly batches: readonly string[]; // SHA-256 of every batch whose claims it used
  readonly figures: unknown; // the record in the §12.8 form (money as two-decimal strings)
  readonly postings: readonly BookPosting[];
}

export interface BookTransaction extends TransactionBody {
  readonly seq: number; // 1-based
  readonly prev: string; // hash of the transaction before ('' for the first)
  readonly hash: string;
}

/** JSON with object keys sorted at every level: the bytes a hash covers. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The canonical content of a transaction: everything but its hash, money as two-decimal strings. */
export function transactionContent(seq: number, prev: string, body: TransactionBody): string {
  return canonicalJson({
    seq,
    prev,
    kind: body.kind,
    date: body.date,
    at: body.at,
    zh: body.zh,
    en: body.en,
    versions: body.versions,
    batches: body.batches,
    figures: body.figures,
    postings: body.postings.map((p) => ({ account: p.account, amount: formatFen(p.amount) })),
  });
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Appends a body to the chain: its sequence number, the previous hash, its own hash. Asserts it balances. */
export function chain(prev: BookTransaction | undefined, body: TransactionBody): BookTransaction {
  const sum = body.postings.reduce((a, p) => a + p.amount, 0);
  invariant(sum === 0, 'book.transactionBalances', () => `${body.kind} ${body.date} does not balance: Σ postings = ${sum} fen`);
  const seq = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? '';
  return { ...body, seq, prev: prevHash, hash: sha256Hex(transactionContent(seq, prevHash, body)) };
}

/** The budget's postings: B from the fund into the package, R and Q withheld from it (§3). Linear in the budget. */
export function budgetPostings(b: Pick<BudgetResult, 'total' | 'riskReserve' | 'qualityDeposit'>): BookPosting[] {
  return [
    { account: BOOK_ACCOUNT.fund, amount: -b.total },
    { account: BOOK_ACCOUNT.package, amount: b.total - b.riskReserve - b.qualityDeposit },
    { account: BOOK_ACCOUNT.riskReserve, amount: b.riskReserve },
    { account: BOOK_ACCOUNT.qualityDeposit, amount: b.qualityDeposit },
  ];
}

export function carryForwardOpeningPostings(amount: Fen): BookPosting[] {
  return [
    { account: BOOK_ACCOUNT.carryForwardOpening, amount: -amount },
    { account: BOOK_ACCOUNT.carryForward, amount },
  ];
}

/** A month's payment: out of the package, to each member (every member listed, zeros included). */
export function monthlyPostings(paid: Fen, members: ReadonlyArray<{ readonly id: string; readonly paid: Fen }>): BookPosting[] {
  return [{ account: BOOK_ACCOUNT.package, amount: -paid }, ...members.map((m) => ({ account: BOOK_ACCOUNT.memberPaid(m.id), amount: m.paid }))];
}

/**
 * The clearing's postings, linear in its figures (a supplement posts the same function of the differences, with
 * `packageAmount` 0 since the budget no longer changes after the lock):
 * out-of-group D = P − A; the deposit returned to the package or forfeited to the fund; the risk reserve's F to the
 * package and R − F to the fund; the surplus returned X − S; Y paid out to the members and the carry-forward reserve.
 */
export function clearingPostings(f: ClearingFigures, packageAmount: Fen): BookPosting[] {
  const s = f.settlement;
  const deductions = packageAmount - s.available; // D
  const reserveKept = s.fundRetained - s.surplusReturnedToFund - s.depositForfeited; // R − F
  const out: BookPosting[] = [
    { account: BOOK_ACCOUNT.outOfGroup, amount: deductions },
    { account: BOOK_ACCOUNT.qualityDeposit, amount: -(s.depositReturned + s.depositForfeited) },
    { account: BOOK_ACCOUNT.riskReserve, amount: -(reserveKept + s.fundOverrunShare) },
    { account: BOOK_ACCOUNT.fundRetained, amount: s.fundRetained },
    {
      account: BOOK_ACCOUNT.package,
      amount: -deductions + s.depositReturned + s.fundOverrunShare - s.surplusReturnedToFund - s.yearEndPayment,
    },
    { account: BOOK_ACCOUNT.carryForward, amount: f.carryForward.added - f.carryForward.used },
    ...f.members.map((m) => ({ account: BOOK_ACCOUNT.memberClearing(m.id), amount: m.clearing })),
  ];
  return out;
}

/** End balances of every account over a journal, sorted by account. */
export function accountBalances(journal: readonly BookTransaction[]): Map<string, Fen> {
  const out = new Map<string, Fen>();
  for (const t of journal) for (const p of t.postings) out.set(p.account, (out.get(p.account) ?? 0) + p.amount);
  return new Map([...out.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** The date of the last day of a month (YYYY-MM → YYYY-MM-DD). */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}`;
}

export function formatMoneyRecord<T extends Record<string, Fen>>(r: T): Record<keyof T, string> {
  const out = {} as Record<keyof T, string>;
  for (const k of Object.keys(r) as (keyof T)[]) {
    invariant(Number.isSafeInteger(r[k]), 'book.integerFen', () => `${String(k)} is not integer fen`);
    out[k] = formatFen(r[k]);
  }
  return out;
}
