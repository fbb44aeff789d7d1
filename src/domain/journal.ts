// 分录: every movement of money as a dated, balanced transaction between named accounts. The statement's figures
// must be readable off the end balances (checked in invariants.ts). Accounts:
//   fund 医保基金 · riskReserve 风险金 · package 打包资金 · qualityDeposit 质量保证金 · groupClearing 医共体往来
//   outOfGroup:inRegion:<institution> / outOfGroup:outOfRegion:<institution> 医共体外机构
//   member:<id>:claims / :capitation / :adjustment 成员单位 · carryForward 结转储备金
//   carryForward:opening 上年结转 · fundRetained 基金留存
import type { BudgetResult, CarryForwardResult, MemberResult, OutOfGroupLine, Posting, SettlementFigures, Transaction } from './result.js';

export const ACCOUNT = {
  fund: 'fund',
  riskReserve: 'riskReserve',
  package: 'package',
  qualityDeposit: 'qualityDeposit',
  groupClearing: 'groupClearing',
  carryForward: 'carryForward',
  carryForwardOpening: 'carryForward:opening',
  fundRetained: 'fundRetained',
  outOfGroup: (inst: string, outOfRegion: boolean) => `outOfGroup:${outOfRegion ? 'outOfRegion' : 'inRegion'}:${inst}`,
  member: (id: string, part: 'claims' | 'capitation' | 'adjustment') => `member:${id}:${part}`,
} as const;

export interface JournalInputs {
  readonly year: number;
  readonly budget: BudgetResult;
  readonly outOfGroup: readonly OutOfGroupLine[];
  readonly outOfGroupInRegion: number;
  readonly outOfGroupOutOfRegion: number;
  readonly figures: SettlementFigures;
  readonly members: readonly MemberResult[];
  readonly carryForward: CarryForwardResult;
}

type Entry = Omit<Transaction, 'id'>;

/** Appends a transaction unless every posting is zero (zero postings are dropped). */
function entry(into: Entry[], date: string, zh: string, en: string, postings: Posting[]): void {
  const kept = postings.filter((p) => p.amount !== 0);
  if (kept.length > 0) into.push({ date, zh, en, postings: kept });
}

/**
 * The budget's transactions on 1 January and the prepayments. They depend only on the budget and the opening
 * reserve, so they are built once per budget (a what-if sweep settles many variants on one budget); records are
 * immutable, so sharing them between results is safe.
 */
function openingEntries(year: number, b: BudgetResult, opening: number): readonly Entry[] {
  const cached = openingCache.get(b);
  if (cached !== undefined && cached.year === year && cached.opening === opening) return cached.entries;
  const start = `${year}-01-01`;
  const out: Entry[] = [];
  entry(out, start, '年度总额预算', 'Annual budget', [
    { account: ACCOUNT.fund, amount: -b.total },
    { account: ACCOUNT.package, amount: b.total },
  ]);
  entry(out, start, '预留风险金', 'Risk reserve withheld', [
    { account: ACCOUNT.package, amount: -b.riskReserve },
    { account: ACCOUNT.riskReserve, amount: b.riskReserve },
  ]);
  entry(out, start, '预留质量保证金', 'Quality deposit withheld', [
    { account: ACCOUNT.package, amount: -b.qualityDeposit },
    { account: ACCOUNT.qualityDeposit, amount: b.qualityDeposit },
  ]);
  entry(out, start, '上年结转储备金', 'Carry-forward reserve brought forward', [
    { account: ACCOUNT.carryForwardOpening, amount: -opening },
    { account: ACCOUNT.carryForward, amount: opening },
  ]);
  for (const p of b.prepayments) {
    entry(out, p.date, `第 ${p.index} 期预拨`, `Prepayment ${p.index}`, [
      { account: ACCOUNT.package, amount: -p.amount },
      { account: ACCOUNT.groupClearing, amount: p.amount },
    ]);
  }
  openingCache.set(b, { year, opening, entries: out });
  return out;
}
const openingCache = new WeakMap<BudgetResult, { year: number; opening: number; entries: readonly Entry[] }>();

/** The out-of-group deductions by destination institution, in region then out of region (built once per actuals). */
function outOfGroupEntries(year: number, lines: readonly OutOfGroupLine[], inRegion: number, outOfRegionTotal: number): readonly Entry[] {
  const cached = outOfGroupCache.get(lines);
  if (cached !== undefined && cached.year === year && cached.inRegion === inRegion && cached.outOfRegion === outOfRegionTotal) return cached.entries;
  const end = `${year}-12-31`;
  const out: Entry[] = [];
  for (const outOfRegion of [false, true]) {
    const byInst = new Map<string, number>();
    for (const l of lines) {
      if (l.outOfRegion === outOfRegion) byInst.set(l.institutionId, (byInst.get(l.institutionId) ?? 0) + l.fundPaid);
    }
    const total = outOfRegion ? outOfRegionTotal : inRegion;
    const postings: Posting[] = [...byInst].map(([inst, amount]) => ({ account: ACCOUNT.outOfGroup(inst, outOfRegion), amount }));
    if (postings.length === 0 && total !== 0) postings.push({ account: ACCOUNT.outOfGroup('(aggregate)', outOfRegion), amount: total });
    entry(
      out,
      end,
      outOfRegion ? '医共体外就医扣减（异地）' : '医共体外就医扣减（区域内）',
      outOfRegion ? 'Out-of-group deductions (out of region)' : 'Out-of-group deductions (in region)',
      [{ account: ACCOUNT.package, amount: -total }, ...postings],
    );
  }
  outOfGroupCache.set(lines, { year, inRegion, outOfRegion: outOfRegionTotal, entries: out });
  return out;
}
const outOfGroupCache = new WeakMap<readonly OutOfGroupLine[], { year: number; inRegion: number; outOfRegion: number; entries: readonly Entry[] }>();

export function buildJournal(j: JournalInputs): Transaction[] {
  const entries: Entry[] = [
    ...openingEntries(j.year, j.budget, j.carryForward.opening),
    ...outOfGroupEntries(j.year, j.outOfGroup, j.outOfGroupInRegion, j.outOfGroupOutOfRegion),
  ];
  const end = `${j.year}-12-31`;
  const add = (date: string, zh: string, en: string, postings: Posting[]) => entry(entries, date, zh, en, postings);
  const { budget: b, figures: f } = j;

  add(end, '质量保证金返还与扣除', 'Quality deposit returned and forfeited', [
    { account: ACCOUNT.qualityDeposit, amount: -b.qualityDeposit },
    { account: ACCOUNT.package, amount: f.depositReturned },
    { account: ACCOUNT.fundRetained, amount: f.depositForfeited },
  ]);
  if (f.balance >= 0) {
    add(end, '结余返还基金', 'Surplus not retained returns to the fund', [
      { account: ACCOUNT.package, amount: -f.surplusReturnedToFund },
      { account: ACCOUNT.fundRetained, amount: f.surplusReturnedToFund },
    ]);
    add(end, '风险金留存基金', 'Risk reserve kept by the fund', [
      { account: ACCOUNT.riskReserve, amount: -b.riskReserve },
      { account: ACCOUNT.fundRetained, amount: b.riskReserve },
    ]);
  } else {
    add(end, '风险金：基金分担超支，余额留存', 'Risk reserve: fund overrun share, the rest kept by the fund', [
      { account: ACCOUNT.riskReserve, amount: -b.riskReserve },
      { account: ACCOUNT.package, amount: f.fundOverrunShare },
      { account: ACCOUNT.fundRetained, amount: b.riskReserve - f.fundOverrunShare },
    ]);
  }
  add(end, '年终清算拨付', 'Year-end payment', [
    { account: ACCOUNT.package, amount: -f.yearEndPayment },
    { account: ACCOUNT.groupClearing, amount: f.yearEndPayment },
  ]);
  const memberPostings: Posting[] = [];
  let paid = 0;
  for (const m of j.members) {
    memberPostings.push({ account: ACCOUNT.member(m.id, 'claims'), amount: m.claims });
    memberPostings.push({ account: ACCOUNT.member(m.id, 'capitation'), amount: m.capitation });
    memberPostings.push({ account: ACCOUNT.member(m.id, 'adjustment'), amount: m.adjustment });
    paid += m.total;
  }
  const cf = j.carryForward.added - j.carryForward.used;
  add(end, '成员单位结算与结转储备金', 'Settlement to members and carry-forward reserve', [
    { account: ACCOUNT.groupClearing, amount: -(paid + cf) },
    ...memberPostings,
    { account: ACCOUNT.carryForward, amount: cf },
  ]);
  return entries.map((e, i) => ({ id: i + 1, date: e.date, zh: e.zh, en: e.en, postings: e.postings }));
}

export function balances(txs: readonly Transaction[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of txs) for (const p of t.postings) out.set(p.account, (out.get(p.account) ?? 0) + p.amount);
  return out;
}
