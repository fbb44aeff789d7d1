// 预拨计划 (DOMAIN.md §12.2): the installment of each month, I_m, after every policy version.
// Version 1 sets them from its §3 prepayments (each dated in its month); a version that takes effect from month m0
// keeps the installments of the months before m0 and splits what is left of its own P − Q over the months ≥ m0,
// weighted by its own §3 prepayments dated in those months (equal when those are all zero; all zero when nothing is
// left). Pure; amounts in fen.
import { allocateByIntegers } from '../domain/allocate.js';
import type { Fen } from '../domain/money.js';
import type { BudgetResult } from '../domain/result.js';

/** Twelve months, index 0 = January. */
export type MonthVector = readonly Fen[];

/** Σ of the §3 prepayments dated in each month of the year. */
export function prepaymentsByMonth(budget: BudgetResult): Fen[] {
  const out = new Array<Fen>(12).fill(0);
  for (const p of budget.prepayments) out[Number(p.date.slice(5, 7)) - 1] += p.amount;
  return out;
}

/** The installment schedule after a version that takes effect from month `fromMonth` (1–12). */
export function amendInstallments(previous: MonthVector, budget: BudgetResult, fromMonth: number): Fen[] {
  const own = prepaymentsByMonth(budget);
  const kept = previous.slice(0, fromMonth - 1);
  const paidBefore = kept.reduce((a, b) => a + b, 0);
  const remaining = budget.package - budget.qualityDeposit - paidBefore;
  const months = 12 - (fromMonth - 1);
  if (remaining <= 0) return [...kept, ...new Array<Fen>(months).fill(0)];
  const weights = own.slice(fromMonth - 1).map((f) => BigInt(f > 0 ? f : 0));
  return [...kept, ...allocateByIntegers(remaining, weights)];
}

/** The schedule of a book: version 1's prepayments, then each later version from its month on. */
export function installmentSchedule(versions: ReadonlyArray<{ readonly budget: BudgetResult; readonly fromMonth: number }>): Fen[] {
  let schedule: Fen[] = [];
  versions.forEach((v, i) => {
    schedule = i === 0 ? prepaymentsByMonth(v.budget) : amendInstallments(schedule, v.budget, v.fromMonth);
  });
  return schedule;
}
