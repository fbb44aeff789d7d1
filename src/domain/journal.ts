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

export function buildJournal(j: JournalInputs): Transaction[] {
  const txs: Transaction[] = [];
  const start = `${j.year}-01-01`;
  const end = `${j.year}-12-31`;
  const add = (date: string, zh: string, en: string, postings: Posting[]) => {
    const kept = postings.filter((p) => p.amount !== 0);
    if (kept.length > 0) txs.push({ id: txs.length + 1, date, zh, en, postings: kept });
  };
  const { budget: b, figures: f } = j;

  add(start, '年度总额预算', 'Annual budget', [
    { account: ACCOUNT.fund, amount: -b.total },
    { account: ACCOUNT.package, amount: b.total },
  ]);
  add(start, '预留风险金', 'Risk reserve withheld', [
    { account: ACCOUNT.package, amount: -b.riskReserve },
    { account: ACCOUNT.riskReserve, amount: b.riskReserve },
  ]);
  add(start, '预留质量保证金', 'Quality deposit withheld', [
    { account: ACCOUNT.package, amount: -b.qualityDeposit },
    { account: ACCOUNT.qualityDeposit, amount: b.qualityDeposit },
  ]);
  add(start, '上年结转储备金', 'Carry-forward reserve brought forward', [
    { account: ACCOUNT.carryForwardOpening, amount: -j.carryForward.opening },
    { account: ACCOUNT.carryForward, amount: j.carryForward.opening },
  ]);
  for (const p of b.prepayments) {
    add(p.date, `第 ${p.index} 期预拨`, `Prepayment ${p.index}`, [
      { account: ACCOUNT.package, amount: -p.amount },
      { account: ACCOUNT.groupClearing, amount: p.amount },
    ]);
  }
  for (const outOfRegion of [false, true]) {
    const byInst = new Map<string, number>();
    for (const l of j.outOfGroup) {
      if (l.outOfRegion === outOfRegion) byInst.set(l.institutionId, (byInst.get(l.institutionId) ?? 0) + l.fundPaid);
    }
    const total = outOfRegion ? j.outOfGroupOutOfRegion : j.outOfGroupInRegion;
    const postings: Posting[] = [...byInst].map(([inst, amount]) => ({ account: ACCOUNT.outOfGroup(inst, outOfRegion), amount }));
    if (postings.length === 0 && total !== 0) postings.push({ account: ACCOUNT.outOfGroup('(aggregate)', outOfRegion), amount: total });
    add(
      end,
      outOfRegion ? '医共体外就医扣减（异地）' : '医共体外就医扣减（区域内）',
      outOfRegion ? 'Out-of-group deductions (out of region)' : 'Out-of-group deductions (in region)',
      [{ account: ACCOUNT.package, amount: -total }, ...postings],
    );
  }
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
  return txs;
}

export function balances(txs: readonly Transaction[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of txs) for (const p of t.postings) out.set(p.account, (out.get(p.account) ?? 0) + p.amount);
  return out;
}
