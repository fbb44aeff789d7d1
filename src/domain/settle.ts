// 年终结算 (DOMAIN.md §5): available A, balance X, retained surplus S or the fund's overrun share F and the group's
// liability G, the quality deposit returned by score, the group total T, the year-end payment Y, what the fund keeps.
import { applyBands, rateOf } from './bands.js';
import { type Dec, type Fen, HUNDRED, ONE, ZERO, fenDec, minDec, roundFen } from './money.js';
import type { BudgetResult, SettlementFigures } from './result.js';
import type { DepositPoint, Scenario } from './types.js';

/** Piecewise-linear fraction of the deposit returned at `score`; flat outside the points; no points: all. */
export function depositReturnFraction(points: readonly DepositPoint[], score: Dec): Dec {
  if (points.length === 0) return ONE;
  if (score.lessThanOrEqualTo(points[0].score)) return points[0].fraction;
  const last = points[points.length - 1];
  if (score.greaterThanOrEqualTo(last.score)) return last.fraction;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (score.lessThanOrEqualTo(b.score)) {
      const t = score.minus(a.score).dividedBy(b.score.minus(a.score));
      return a.fraction.plus(b.fraction.minus(a.fraction).times(t));
    }
  }
  return last.fraction;
}

/**
 * round(Q × fraction(score)) with the interpolation done as one division at the end, so that a return that is
 * exactly half a fen (e.g. Q = 0.03 at a fraction of 5/6) is rounded half-up as DOMAIN.md §2/§5 say, not lost to a
 * 60-digit repeating decimal (0.8333… × 3 = 2.4999…).
 */
export function depositReturnedFen(points: readonly DepositPoint[], score: Dec, Q: Fen): Fen {
  if (points.length === 0) return Q;
  if (score.lessThanOrEqualTo(points[0].score)) return roundFen(fenDec(Q).times(points[0].fraction));
  const last = points[points.length - 1];
  if (score.greaterThanOrEqualTo(last.score)) return roundFen(fenDec(Q).times(last.fraction));
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (score.lessThanOrEqualTo(b.score)) {
      const span = b.score.minus(a.score);
      const numerator = a.fraction.times(span).plus(b.fraction.minus(a.fraction).times(score.minus(a.score)));
      return roundFen(fenDec(Q).times(numerator).dividedBy(span));
    }
  }
  return roundFen(fenDec(Q).times(last.fraction));
}

/** The deposit fraction and return, the last one kept per curve (what-if variants repeat the same score and Q). */
const lastDeposit = new WeakMap<readonly DepositPoint[], { score: Dec; Q: Fen; fraction: Dec; returned: Fen }>();
function depositOutcome(points: readonly DepositPoint[], score: Dec, Q: Fen): { fraction: Dec; returned: Fen } {
  const last = lastDeposit.get(points);
  if (last !== undefined && last.Q === Q && last.score.equals(score)) return last;
  const next = { score, Q, fraction: depositReturnFraction(points, score), returned: depositReturnedFen(points, score, Q) };
  lastDeposit.set(points, next);
  return next;
}

export interface YearEndInputs {
  readonly outOfGroupDeductions: Fen; // D
  readonly inGroupLiability: Fen; // L
  readonly capitation: Fen; // C
}

export function settleYearEnd(scenario: Scenario, budget: BudgetResult, actual: YearEndInputs): SettlementFigures {
  const P = budget.package;
  const R = budget.riskReserve;
  const Q = budget.qualityDeposit;
  const available = P - actual.outOfGroupDeductions; // A 可用资金
  const balance = available - actual.inGroupLiability - actual.capitation; // X 结余（超支）额
  const score = scenario.assessment.score;

  const { fraction, returned: depositReturned } = depositOutcome(scenario.assessment.depositReturn, score, Q); // 保证金返还
  const depositForfeited = Q - depositReturned; // 保证金扣除

  let retainedSurplus = 0;
  let fundOverrunShare = 0;
  let groupOverrunLiability = 0;
  let rate: Dec = rateOf(Math.abs(balance), P);
  let bands: SettlementFigures['bands'] = [];
  let scoreFactor: Dec = ONE;
  let capApplied = false;

  if (balance >= 0) {
    const rule = scenario.settlement.surplus;
    if (rule === undefined) {
      retainedSurplus = balance; // 结余留用: all retained
    } else {
      const out = applyBands(rule.mode, rule.bands.map((b) => ({ upTo: b.upTo, share: b.share })), balance, P);
      rate = out.rate;
      bands = out.applied;
      scoreFactor = rule.scaleByScore ? score.dividedBy(HUNDRED) : ONE;
      let s = out.raw.times(scoreFactor).times(rule.payoutFactor);
      if (rule.cap !== undefined) {
        const cap = rule.cap.times(P);
        if (s.greaterThan(cap)) capApplied = true;
        s = minDec(s, cap);
      }
      retainedSurplus = roundFen(s); // S
    }
  } else {
    const overrun = -balance; // O
    const rule = scenario.settlement.overrun;
    if (rule !== undefined) {
      const out = applyBands(rule.mode, rule.bands.map((b) => ({ upTo: b.upTo, share: b.fundShare })), overrun, P);
      rate = out.rate;
      bands = out.applied;
      let f = out.raw;
      if (rule.capToReserve) {
        if (f.greaterThan(R)) capApplied = true;
        f = minDec(f, fenDec(R));
      }
      fundOverrunShare = roundFen(f); // F 医保基金分担
    }
    groupOverrunLiability = overrun - fundOverrunShare; // G 医共体自付
  }

  const surplusReturnedToFund = balance >= 0 ? balance - retainedSurplus : 0;
  const groupTotal =
    balance >= 0
      ? actual.inGroupLiability + actual.capitation + retainedSurplus - depositForfeited
      : available + fundOverrunShare - depositForfeited; // T 医共体应得总额
  const yearEndPayment = groupTotal - (P - Q); // Y 年终清算拨付
  const fundRetained = R - fundOverrunShare + surplusReturnedToFund + depositForfeited; // 基金留存

  return {
    available,
    balance,
    rate: balance === 0 ? ZERO : rate,
    bands,
    scoreFactor,
    capApplied,
    retainedSurplus,
    surplusReturnedToFund,
    fundOverrunShare,
    groupOverrunLiability,
    score,
    depositReturnFraction: fraction,
    depositReturned,
    depositForfeited,
    groupTotal,
    yearEndPayment,
    fundRetained,
  };
}
