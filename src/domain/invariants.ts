// DOMAIN.md §7, checked on every run. Each check compares two figures; the engine refuses to return a result in
// which any of them fails (a bug, never a user error): see `assertChecks`.
import { InvariantViolation } from './errors.js';
import { ACCOUNT, balances } from './journal.js';
import { formatFen } from './money.js';
import type { ActualsResult, BudgetResult, CarryForwardResult, Check, MemberResult, SettlementFigures, Transaction } from './result.js';

export interface InvariantInputs {
  readonly budget: BudgetResult;
  readonly actuals: ActualsResult;
  readonly figures: SettlementFigures;
  readonly members: readonly MemberResult[];
  readonly carryForward: CarryForwardResult;
  readonly journal: readonly Transaction[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function computeChecks(x: InvariantInputs): Check[] {
  const checks: Check[] = [];
  const fen = (id: string, zh: string, en: string, left: number, right: number) =>
    checks.push({ id, zh, en, left: formatFen(left), right: formatFen(right), ok: left === right });
  /** A check that counts offending records: OK when there are none. */
  const none = (id: string, zh: string, en: string, count: number, what: string) =>
    checks.push({ id, zh, en, left: `${count} ${what}`, right: `0 ${what}`, ok: count === 0 });
  const { budget: b, actuals: a, figures: f, carryForward: cf } = x;

  const unbalanced = x.journal.filter((t) => sum(t.postings.map((p) => p.amount)) !== 0);
  none('journal.balanced', '每笔分录借贷平衡（合计为 0.00）', 'Every journal transaction balances to 0.00', unbalanced.length, 'unbalanced');
  const bal = balances(x.journal);
  const balance = (account: string) => bal.get(account) ?? 0;
  const prefixed = (prefix: string) => {
    let total = 0;
    for (const [k, v] of bal) if (k.startsWith(prefix)) total += v;
    return total;
  };
  fen('journal.fund', '基金账户余额 = −年度总额预算', 'Fund account balance = −budget B', balance(ACCOUNT.fund), -b.total);
  fen('journal.package', '打包资金账户清零', 'Package account ends at zero', balance(ACCOUNT.package), 0);
  fen('journal.riskReserve', '风险金账户清零', 'Risk reserve account ends at zero', balance(ACCOUNT.riskReserve), 0);
  fen('journal.deposit', '质量保证金账户清零', 'Quality deposit account ends at zero', balance(ACCOUNT.qualityDeposit), 0);
  fen('journal.clearing', '医共体往来账户清零', 'Group clearing account ends at zero', balance(ACCOUNT.groupClearing), 0);
  fen('journal.fundRetained', '基金留存账户 = 基金留存', 'Fund-retained account = fund kept', balance(ACCOUNT.fundRetained), f.fundRetained);
  fen('journal.outOfGroupIn', '区域内医共体外机构账户 = 区域内扣减', 'In-region out-of-group accounts = in-region deductions', prefixed('outOfGroup:inRegion:'), a.outOfGroupInRegion);
  fen('journal.outOfGroupOut', '异地医共体外机构账户 = 异地扣减', 'Out-of-region out-of-group accounts = out-of-region deductions', prefixed('outOfGroup:outOfRegion:'), a.outOfGroupOutOfRegion);
  fen('journal.carryForward', '结转储备金账户 = 期末结转', 'Carry-forward account = closing reserve', balance(ACCOUNT.carryForward), cf.closing);
  const memberMismatch = x.members.filter(
    (m) =>
      balance(ACCOUNT.member(m.id, 'claims')) !== m.claims ||
      balance(ACCOUNT.member(m.id, 'capitation')) !== m.capitation ||
      balance(ACCOUNT.member(m.id, 'adjustment')) !== m.adjustment,
  );
  none('journal.members', '各成员单位账户 = 其结算额', "Each member's accounts = its settled figures", memberMismatch.length, 'mismatched');

  fen('budget.lines', '各预算行合计 = 年度总额预算 B', 'Σ budget lines = budget B', sum(b.lines.map((l) => l.amount)), b.total);
  fen('budget.package', 'B − R = 打包资金 P', 'B − R = package P', b.total - b.riskReserve, b.package);
  fen('prepayments', '预拨合计 = P − Q', 'Σ prepayments = P − Q', sum(b.prepayments.map((p) => p.amount)), b.package - b.qualityDeposit);
  fen('deductions.split', '区域内 + 异地 = 医共体外扣减 D', 'In region + out of region = deductions D', a.outOfGroupInRegion + a.outOfGroupOutOfRegion, a.outOfGroupDeductions);
  fen('liability.members', '成员单位医疗费用合计 = L', 'Σ members claims liability = L', sum(x.members.map((m) => m.claims)), a.inGroupLiability);
  fen('capitation.members', '成员单位按人头付费合计 = C', 'Σ members capitation = C', sum(x.members.map((m) => m.capitation)), a.capitation);
  fen('balance', 'X = P − D − L − C', 'X = P − D − L − C', f.balance, b.package - a.outOfGroupDeductions - a.inGroupLiability - a.capitation);
  fen('deposit', '保证金返还 + 扣除 = Q', 'Deposit returned + forfeited = Q', f.depositReturned + f.depositForfeited, b.qualityDeposit);
  fen('overrun.split', '基金分担 + 医共体承担 = 超支额', 'Fund share + group liability = overrun', f.fundOverrunShare + f.groupOverrunLiability, f.balance < 0 ? -f.balance : 0);
  fen('surplus.split', '结余留用 + 返还基金 = 结余额', 'Retained + returned to fund = surplus', f.retainedSurplus + f.surplusReturnedToFund, f.balance >= 0 ? f.balance : 0);
  fen('yearEnd', 'Y = T − (P − Q)', 'Y = T − (P − Q)', f.yearEndPayment, f.groupTotal - (b.package - b.qualityDeposit));
  fen('conservation.budget', '预算守恒：B = T + D + 基金留存', 'Budget conservation: B = T + D + fund kept', b.total, f.groupTotal + a.outOfGroupDeductions + f.fundRetained);
  fen(
    'conservation.members',
    '成员守恒：成员合计 = T + 结转使用 − 结转提取',
    'Member conservation: Σ member totals = T + reserve used − reserve added',
    sum(x.members.map((m) => m.total)),
    f.groupTotal + cf.used - cf.added,
  );
  fen('carryForward', '期末结转 = 期初 + 提取 − 使用', 'Closing reserve = opening + added − used', cf.closing, cf.opening + cf.added - cf.used);
  // §13, only in runs that have them (so a run without them keeps its checks list)
  const funds = a.funds;
  if (funds !== undefined) {
    fen('funds.deductions', '各基金扣减合计 = D', 'Σ deductions per fund = D', sum(funds.lines.map((l) => l.deduction)), a.outOfGroupDeductions);
    fen('funds.liability', '各基金计入 L + 支付标准调整 = L', 'Σ liability per fund + payment-standard adjustment = L', sum(funds.lines.map((l) => l.liability)) + funds.paymentAdjustment, a.inGroupLiability);
  }
  if (x.members.some((m) => m.scoreEffect !== undefined)) {
    fen('memberScores.effect', '考核得分影响合计为 0（只在层级内调剂）', 'Score effects add up to 0 (they move money within a tier)', sum(x.members.map((m) => m.scoreEffect ?? 0)), 0);
  }
  const sc = a.specialCases;
  if (sc !== undefined) {
    const over = sc.quota.filter((q) => q.cases > q.allowed).length;
    none('specialCases.quota', '特例单议不超过限额', 'Special cases within their quota', over, 'over quota');
  }
  return checks;
}

export function assertChecks(checks: readonly Check[]): void {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    throw new InvariantViolation(failed.map((c) => c.id).join(', '), failed.map((c) => `${c.en}: ${c.left} ≠ ${c.right}`).join('; '));
  }
}
