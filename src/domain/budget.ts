// 总额核定与预拨 (DOMAIN.md §3): budget lines → B; risk reserve R; package P; quality deposit Q; prepayments.
import { allocateEqually, allocateLargestRemainder } from './allocate.js';
import { ONE, mulFen, yuanToFenRounded, type Dec } from './money.js';
import type { BudgetLineResult, BudgetResult, Prepayment } from './result.js';
import type { BudgetLine, Scenario } from './types.js';

function need(d: Dec | undefined, what: string): Dec {
  if (d === undefined) throw new Error(`budget line without ${what} reached the engine`);
  return d;
}

export function budgetLineAmount(line: BudgetLine, enrollment: Scenario['enrollment']): BudgetLineResult {
  switch (line.basis) {
    case 'fixed': {
      const amount = need(line.amount, 'amount');
      return { ...head(line), inputs: { amount: amount.toFixed() }, amount: yuanToFenRounded(amount) };
    }
    case 'perCapita': {
      const rate = need(line.rate, 'rate');
      const enrolled = enrollment[line.category];
      return {
        ...head(line),
        inputs: { rate: rate.toFixed(), enrollment: String(enrolled) },
        amount: yuanToFenRounded(rate.times(enrolled)),
      };
    }
    case 'baseYear': {
      const base = need(line.baseSpend, 'baseSpend');
      const growth = need(line.growth, 'growth');
      return {
        ...head(line),
        inputs: { baseSpend: base.toFixed(), growth: growth.toFixed() },
        amount: yuanToFenRounded(base.times(ONE.plus(growth))),
      };
    }
    case 'revenue': {
      const revenue = need(line.revenue, 'revenue');
      const ratio = need(line.ratio, 'ratio');
      return {
        ...head(line),
        inputs: { revenue: revenue.toFixed(), ratio: ratio.toFixed() },
        amount: yuanToFenRounded(revenue.times(ratio)),
      };
    }
  }
}

function head(line: BudgetLine) {
  return { category: line.category, fund: line.fund, basis: line.basis };
}

/** The date of installment `index` (0-based) of `count` over the year: the first day of its month. */
export function installmentDate(year: number, index: number, count: number): string {
  const month = Math.floor((index * 12) / count) + 1;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

export function computeBudget(scenario: Scenario): BudgetResult {
  const lines = scenario.budget.lines.map((l) => budgetLineAmount(l, scenario.enrollment));
  const total = lines.reduce((a, l) => a + l.amount, 0); // B
  const riskReserve = mulFen(total, scenario.budget.riskReserveRate); // R 风险金
  const pkg = total - riskReserve; // P 打包资金
  const qualityDeposit = mulFen(pkg, scenario.budget.qualityDepositRate); // Q 质量保证金
  const { installments, weights } = scenario.budget.prepayment;
  const parts = weights ? allocateLargestRemainder(pkg - qualityDeposit, weights) : allocateEqually(pkg - qualityDeposit, installments);
  const prepayments: Prepayment[] = parts.map((amount, i) => ({
    index: i + 1,
    date: installmentDate(scenario.year, i, parts.length),
    amount,
  }));
  return { lines, total, riskReserve, package: pkg, qualityDeposit, prepayments };
}
