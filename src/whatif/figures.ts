// The statement figures the what-if tools show side by side (compare) or per variant (sweep), with bilingual
// labels from GLOSSARY.md. Every figure is integer fen.
import type { SettlementResult } from '../domain/result.js';

export interface Figure {
  readonly key: string; // stable id (the DOMAIN.md §8 key where there is one)
  readonly symbol: string; // B, R, P, … ('' when none)
  readonly zh: string;
  readonly en: string;
  readonly get: (r: SettlementResult) => number;
}

export const FIGURES: readonly Figure[] = [
  { key: 'budget.total', symbol: 'B', zh: '年度总额预算', en: 'Budget', get: (r) => r.budget.total },
  { key: 'budget.riskReserve', symbol: 'R', zh: '风险金（预留）', en: 'Risk reserve', get: (r) => r.budget.riskReserve },
  { key: 'budget.package', symbol: 'P', zh: '打包资金', en: 'Package', get: (r) => r.budget.package },
  { key: 'budget.qualityDeposit', symbol: 'Q', zh: '质量保证金', en: 'Quality deposit', get: (r) => r.budget.qualityDeposit },
  { key: 'actuals.outOfGroupDeductions', symbol: 'D', zh: '医共体外就医扣减', en: 'Out-of-group deductions', get: (r) => r.actuals.outOfGroupDeductions },
  { key: 'settlement.available', symbol: 'A', zh: '可用资金', en: 'Available', get: (r) => r.settlement.available },
  { key: 'actuals.inGroupLiability', symbol: 'L', zh: '医共体内统筹支付', en: 'In-group liability', get: (r) => r.actuals.inGroupLiability },
  { key: 'actuals.capitation', symbol: 'C', zh: '按人头付费', en: 'Capitation', get: (r) => r.actuals.capitation },
  { key: 'settlement.balance', symbol: 'X', zh: '结余（超支）额', en: 'Balance', get: (r) => r.settlement.balance },
  { key: 'settlement.retainedSurplus', symbol: 'S', zh: '结余留用', en: 'Retained surplus', get: (r) => r.settlement.retainedSurplus },
  { key: 'settlement.surplusReturnedToFund', symbol: '', zh: '结余返还基金', en: 'Surplus returned to fund', get: (r) => r.settlement.surplusReturnedToFund },
  { key: 'settlement.fundOverrunShare', symbol: 'F', zh: '医保基金分担', en: 'Fund overrun share', get: (r) => r.settlement.fundOverrunShare },
  { key: 'settlement.groupOverrunLiability', symbol: 'G', zh: '医共体自付', en: 'Group overrun liability', get: (r) => r.settlement.groupOverrunLiability },
  { key: 'settlement.depositReturned', symbol: '', zh: '保证金返还', en: 'Deposit returned', get: (r) => r.settlement.depositReturned },
  { key: 'settlement.depositForfeited', symbol: '', zh: '保证金扣除', en: 'Deposit forfeited', get: (r) => r.settlement.depositForfeited },
  { key: 'settlement.groupTotal', symbol: 'T', zh: '医共体应得总额', en: 'Group total', get: (r) => r.settlement.groupTotal },
  { key: 'settlement.yearEndPayment', symbol: 'Y', zh: '年终清算拨付', en: 'Year-end payment', get: (r) => r.settlement.yearEndPayment },
  { key: 'settlement.fundRetained', symbol: '', zh: '基金留存', en: 'Fund kept', get: (r) => r.settlement.fundRetained },
  { key: 'carryForward.added', symbol: '', zh: '结转储备金提取', en: 'Reserve added', get: (r) => r.carryForward.added },
  { key: 'carryForward.used', symbol: '', zh: '结转储备金使用', en: 'Reserve used', get: (r) => r.carryForward.used },
  { key: 'carryForward.closing', symbol: '', zh: '期末结转储备金', en: 'Closing reserve', get: (r) => r.carryForward.closing },
];

export const figureLabel = (f: Figure): string => `${f.symbol ? `${f.symbol} ` : ''}${f.zh} ${f.en}`;

/** The keys of the figures most people read first (sweep's terminal summary). */
export const KEY_FIGURES = ['settlement.balance', 'settlement.retainedSurplus', 'settlement.fundOverrunShare', 'settlement.groupTotal', 'settlement.yearEndPayment', 'settlement.fundRetained'];
