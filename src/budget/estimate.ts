// The arithmetic of DOMAIN.md §14, exact until the result (each reported figure rounded half-up to the fen once).
//   base      = Σ w_y·spend_y / Σ w_y                                   (加权基数; equal weights: the plain mean)
//   growth    = given, or (enrolmentGrowth + gdpGrowth)/2 + cpi
//   total     = base × reimbursementRatio × (1 + growth); per capita = total ÷ next year's enrolment
//   bottom-up M = weighted mean of per-capita cost − weighted mean of per-capita self-pay
//   top-down  fund = totalCost × ratio × (1 + growth); persons = visits ÷ visitsPerPerson; M = fund ÷ persons
//   standard  = M + Σ add-ons
import { InputRejected, invariant } from '../domain/errors.js';
import { AmountOutOfRange, Exact, sum } from './exact.js';
import type {
  BottomUpEstimate,
  BottomUpInput,
  BudgetEstimate,
  Figure,
  GrowthInput,
  History,
  StandardEstimate,
  StandardInput,
  TopDownEstimate,
  TopDownInput,
  TotalEstimate,
  TotalInput,
  WeightedMean,
} from './types.js';

const TWO = Exact.of(2);

/** Σ w·v / Σ w over paired values and weights (validated: same length, Σ w > 0). */
export function weightedMean(values: readonly Exact[], weights: readonly Figure[]): WeightedMean {
  invariant(values.length === weights.length && values.length > 0, 'budget.weights', () => `${values.length} values, ${weights.length} weights`);
  const sumWeights = sum(weights.map((w) => w.value));
  invariant(!sumWeights.isZero(), 'budget.weights', () => 'the weights add up to 0');
  const weightedSum = sum(values.map((v, i) => v.times(weights[i].value)));
  return { sumWeights, weightedSum, mean: weightedSum.div(sumWeights) };
}

/** The growth rate: as given, or (enrolmentGrowth + gdpGrowth) / 2 + cpi. */
export function growthOf(g: GrowthInput): Exact {
  if (g.kind === 'given') return g.growth.value;
  return g.enrolmentGrowth.value.plus(g.gdpGrowth.value).div(TWO).plus(g.cpi.value);
}

/** amount × ratio × (1 + growth), exact. */
const grown = (amount: Exact, ratio: Exact, growth: Exact): Exact => amount.times(ratio).times(Exact.ONE.plus(growth));

export function estimateTotal(t: TotalInput): TotalEstimate {
  const base = weightedMean(
    t.years.map((y) => y.spend.value),
    t.weights,
  );
  const growth = growthOf(t.growth);
  const amountExact = grown(base.mean, t.reimbursementRatio.value, growth);
  const perCapitaExact = t.enrolment === undefined ? undefined : amountExact.div(Exact.of(t.enrolment));
  return {
    input: t,
    base,
    growth,
    amountExact,
    amount: amountExact.toFen(),
    ...(perCapitaExact === undefined ? {} : { perCapitaExact, perCapita: perCapitaExact.toFen() }),
  };
}

/** M and the add-ons: standard = round(M + Σ add-ons); with M ≥ 0 and add-ons in whole fen that is round(M) + Σ. */
function withAddOns(s: StandardInput, mExact: Exact) {
  const addOnsTotal = s.addOns.reduce((a, x) => a + x.amount, 0);
  const m = mExact.toFen();
  const standard = mExact.plus(Exact.fen(addOnsTotal)).toFen();
  invariant(standard === m + addOnsTotal, 'budget.standardAddsUp', () => `${s.name}: round(M + add-ons) ${standard} ≠ round(M) ${m} + add-ons ${addOnsTotal}`);
  return { mExact, m, addOnsTotal, standard };
}

export function estimateBottomUp(s: BottomUpInput): BottomUpEstimate {
  const cost = weightedMean(
    s.years.map((y) => y.perCapitaCost.value),
    s.weights,
  );
  const selfPay = weightedMean(
    s.years.map((y) => y.perCapitaSelfPay.value),
    s.weights,
  );
  return { method: 'bottomUp', input: s, cost, selfPay, ...withAddOns(s, cost.mean.minus(selfPay.mean)) };
}

export function estimateTopDown(s: TopDownInput): TopDownEstimate {
  const growth = growthOf(s.growth);
  const fundExact = grown(s.totalCost.value, s.reimbursementRatio.value, growth);
  const personsExact = Exact.of(s.visits).div(s.visitsPerPerson.value);
  return { method: 'topDown', input: s, growth, fundExact, fund: fundExact.toFen(), personsExact, ...withAddOns(s, fundExact.div(personsExact)) };
}

export function estimateStandard(s: StandardInput): StandardEstimate {
  return s.method === 'bottomUp' ? estimateBottomUp(s) : estimateTopDown(s);
}

/** Runs one estimate; a figure beyond the exact range becomes an input error at the key it came from. */
function atKey<T>(file: string, path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof AmountOutOfRange)) throw e;
    throw new InputRejected([
      { file, path, value: e.yuan, rule: 'amount.range', zh: `${path} 的测算结果 ${e.yuan} 元超出可精确计算的范围，请检查金额与比例`, en: `${path} gives ${e.yuan} yuan, beyond the exact range: check its amounts and rates` },
    ]);
  }
}

export function estimateBudget(h: History, file = ''): BudgetEstimate {
  const total = h.total;
  return {
    year: h.year,
    ...(total === undefined ? {} : { total: atKey(file, 'total', () => estimateTotal(total)) }),
    standards: h.standards.map((s, i) => atKey(file, `standards[${i}]`, () => estimateStandard(s))),
  };
}
