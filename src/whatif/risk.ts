// 风险模拟 (risk): how uncertain claim volume and cost per case move the year-end settlement. Simulated on the
// per-member × per-method aggregates (never on the claims), so 10,000 runs take well under a second.
//
// Model (documented in the CLI help):
//  - Each run draws, for every payment method and for out-of-group spend, one volume factor and one cost-per-case
//    factor, lognormal with mean 1 and the given CV (`--volume-cv`, `--cost-cv`; per method with
//    `--method-cv METHOD=VOLUME_CV:COST_CV`). The factors are shared by all members (a county-wide shock: volume and
//    prices move together across the group; independent member shocks would mostly cancel out).
//  - ffs liability scales with volume × cost; DRG, DIP (budget point value), per-diem and single-disease liability
//    scales with volume only (a per-case standard); DIP under a settlement point value (结算点值) stays fixed (the
//    pool fixes the total); capitation is fixed (contracts); out-of-group deductions scale with volume × cost.
//  - Scaling is exact integer arithmetic: factor rounded to a millionth, amount × factor rounded half-up to the fen.
//  - Each run re-settles with the engine's year-end rules (`settleYearEnd`) and the integer distribution (equal to
//    the engine's; tested), so with every factor 1 a run equals `settle` figure by figure.
import { computeBudget } from '../domain/budget.js';
import { Decimal, type Fen, formatFen } from '../domain/money.js';
import type { ActualsResult, MemberActuals, SettlementFigures } from '../domain/result.js';
import { settleYearEnd } from '../domain/settle.js';
import { METHODS, type Method, type Scenario } from '../domain/types.js';
import { Sfc32 } from './prng.js';
import { distribute } from '../domain/distribute.js';

export type RiskLine = Method | 'outOfGroup';
export const RISK_LINES: readonly RiskLine[] = [...METHODS, 'outOfGroup'];

export interface Cv {
  readonly volume: number;
  readonly cost: number;
}

export interface RiskOptions {
  readonly runs: number;
  readonly seed: number;
  readonly volumeCv: number;
  readonly costCv: number;
  readonly perLine?: Partial<Record<RiskLine, Partial<Cv>>>;
  readonly bins?: number;
}

export interface Percentiles {
  readonly mean: Fen;
  readonly p5: Fen;
  readonly p50: Fen;
  readonly p95: Fen;
  readonly min: Fen;
  readonly max: Fen;
}

export interface RiskResult {
  readonly runs: number;
  readonly seed: number;
  readonly cv: Readonly<Record<RiskLine, Cv>>;
  readonly deterministic: { readonly balance: Fen; readonly groupTotal: Fen; readonly yearEndPayment: Fen };
  readonly package: Fen;
  readonly riskReserve: Fen;
  readonly pOverrun: number;
  readonly pReserveExceeded: number;
  readonly balance: Percentiles;
  readonly groupTotal: Percentiles;
  readonly yearEndPayment: Percentiles;
  readonly fundOverrunShare: Percentiles;
  readonly members: ReadonlyArray<{ readonly id: string; readonly name: string; readonly total: Percentiles }>;
  readonly histogram: ReadonlyArray<{ readonly from: Fen; readonly to: Fen; readonly count: number }>;
  /** Each run's balance X (fen), in run order. */
  readonly balances: Float64Array;
}

const PPM = 1_000_000;

/** round-half-up(amount × ppm / 10^6), exactly. */
export function scaleFen(amount: Fen, ppm: number): Fen {
  if (ppm === PPM) return amount;
  const neg = amount < 0;
  const a = neg ? -amount : amount;
  const p = a * ppm;
  let q: number;
  if (p <= Number.MAX_SAFE_INTEGER) {
    q = Math.floor(p / PPM);
    let r = p - q * PPM;
    if (r < 0) {
      q -= 1;
      r += PPM;
    } else if (r >= PPM) {
      q += 1;
      r -= PPM;
    }
    if (2 * r >= PPM) q += 1;
  } else {
    const big = BigInt(a) * BigInt(ppm);
    q = Number((big + BigInt(PPM / 2)) / BigInt(PPM));
  }
  return q === 0 ? 0 : neg ? -q : q;
}

/** How one run's factors apply to a line's liability: volume × cost, volume only, or fixed. */
function sensitivity(line: RiskLine, actuals: ActualsResult): 'volumeCost' | 'volume' | 'fixed' {
  switch (line) {
    case 'ffs':
    case 'outOfGroup':
      return 'volumeCost';
    case 'capitation':
      return 'fixed';
    case 'dip':
      return actuals.dip?.mode === 'settlement' ? 'fixed' : 'volume';
    default:
      return 'volume';
  }
}

function percentiles(values: Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * n) - 1)]; // nearest rank
  let sum = 0n;
  for (let i = 0; i < n; i++) sum += BigInt(sorted[i]);
  const mean = n === 0 ? 0 : Number(new Decimal(sum.toString()).dividedBy(n).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
  return { mean: mean === 0 ? 0 : mean, p5: at(0.05), p50: at(0.5), p95: at(0.95), min: sorted[0] ?? 0, max: sorted[n - 1] ?? 0 };
}

export function lineCvs(o: RiskOptions): Record<RiskLine, Cv> {
  const out = {} as Record<RiskLine, Cv>;
  for (const l of RISK_LINES) out[l] = { volume: o.perLine?.[l]?.volume ?? o.volumeCv, cost: o.perLine?.[l]?.cost ?? o.costCv };
  return out;
}

/** One run's year-end figures and member totals from given per-line factors (ppm); exported for tests. */
export function settleScaled(
  scenario: Scenario,
  actuals: ActualsResult,
  budget: ReturnType<typeof computeBudget>,
  ppmOf: (line: RiskLine) => number,
): { figures: SettlementFigures; members: MemberActuals[]; totals: Fen[] } {
  const members: MemberActuals[] = actuals.members.map((m) => {
    let liability = 0;
    for (const t of m.methods) liability += scaleFen(t.liability, ppmOf(t.method));
    return { ...m, claimsLiability: liability };
  });
  const inRegion = scaleFen(actuals.outOfGroupInRegion, ppmOf('outOfGroup'));
  const outRegion = scaleFen(actuals.outOfGroupOutOfRegion, ppmOf('outOfGroup'));
  const L = members.reduce((a, m) => a + m.claimsLiability, 0);
  const figures = settleYearEnd(scenario, budget, { outOfGroupDeductions: inRegion + outRegion, inGroupLiability: L, capitation: actuals.capitation });
  const dist = distribute(scenario, members, figures);
  return { figures, members, totals: dist.members.map((m) => m.total) };
}

export function simulateRisk(scenario: Scenario, actuals: ActualsResult, o: RiskOptions): RiskResult {
  if (!Number.isSafeInteger(o.runs) || o.runs < 1) throw new Error(`runs must be a whole number ≥ 1, got ${o.runs}`);
  const cv = lineCvs(o);
  for (const l of RISK_LINES) {
    if (!(cv[l].volume >= 0) || !(cv[l].cost >= 0)) throw new Error(`a CV must be a number ≥ 0 (${l})`);
  }
  const budget = computeBudget(scenario);
  // Lines without per-member detail in aggregate mode (`actuals:`): the lead's liability has no methods; treat it as ffs.
  const act: ActualsResult =
    actuals.source === 'actuals'
      ? {
          ...actuals,
          members: actuals.members.map((m) =>
            m.claimsLiability === 0 ? m : { ...m, methods: [{ method: 'ffs', claims: 0, totalCost: 0, fundPaid: 0, patientPaid: 0, standard: 0, liability: m.claimsLiability, highOutliers: 0, lowOutliers: 0 }] },
          ),
        }
      : actuals;
  const sens = Object.fromEntries(RISK_LINES.map((l) => [l, sensitivity(l, act)])) as Record<RiskLine, ReturnType<typeof sensitivity>>;
  const base = settleScaled(scenario, act, budget, () => PPM);
  const rng = new Sfc32(o.seed);
  const n = o.runs;
  const X = new Float64Array(n);
  const T = new Float64Array(n);
  const Y = new Float64Array(n);
  const F = new Float64Array(n);
  const M = act.members.map(() => new Float64Array(n));
  const ppm = {} as Record<RiskLine, number>;
  let overruns = 0;
  let exceeded = 0;
  for (let i = 0; i < n; i++) {
    for (const l of RISK_LINES) {
      const v = rng.factor(cv[l].volume);
      const k = rng.factor(cv[l].cost);
      const f = sens[l] === 'volumeCost' ? v * k : sens[l] === 'volume' ? v : 1;
      ppm[l] = Math.round(f * PPM);
    }
    const run = settleScaled(scenario, act, budget, (l) => ppm[l]);
    const fig = run.figures;
    X[i] = fig.balance;
    T[i] = fig.groupTotal;
    Y[i] = fig.yearEndPayment;
    F[i] = fig.fundOverrunShare;
    run.totals.forEach((t, j) => (M[j][i] = t));
    if (fig.balance < 0) {
      overruns++;
      if (fig.capApplied || fig.fundOverrunShare > budget.riskReserve) exceeded++;
    }
  }
  const balance = percentiles(X);
  return {
    runs: n,
    seed: o.seed,
    cv,
    deterministic: { balance: base.figures.balance, groupTotal: base.figures.groupTotal, yearEndPayment: base.figures.yearEndPayment },
    package: budget.package,
    riskReserve: budget.riskReserve,
    pOverrun: overruns / n,
    pReserveExceeded: exceeded / n,
    balance,
    groupTotal: percentiles(T),
    yearEndPayment: percentiles(Y),
    fundOverrunShare: percentiles(F),
    members: act.members.map((m, j) => ({ id: m.id, name: m.name, total: percentiles(M[j]) })),
    histogram: histogramOf(X, o.bins ?? 40),
    balances: X,
  };
}

/** Equal-width bins over [min, max] (fen; the last bin includes max). */
export function histogramOf(values: Float64Array, bins: number): Array<{ from: Fen; to: Fen; count: number }> {
  if (values.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) return [{ from: lo, to: hi, count: values.length }];
  const width = Math.ceil((hi - lo) / bins);
  const out = Array.from({ length: bins }, (_, i) => ({ from: lo + i * width, to: Math.min(hi, lo + (i + 1) * width), count: 0 }));
  for (const v of values) out[Math.min(bins - 1, Math.floor((v - lo) / width))].count++;
  return out.filter((b) => b.from <= hi);
}

const pct = (p: number) => Number(p.toFixed(6));
const pj = (p: Percentiles) => ({ mean: formatFen(p.mean), p5: formatFen(p.p5), p50: formatFen(p.p50), p95: formatFen(p.p95), min: formatFen(p.min), max: formatFen(p.max) });

/** The `risk --json` contract: `{ runs, seed, pOverrun, balance: { mean, p5, p50, p95 } }` and more. */
export function riskToJson(r: RiskResult): unknown {
  return {
    runs: r.runs,
    seed: r.seed,
    pOverrun: pct(r.pOverrun),
    pReserveExceeded: pct(r.pReserveExceeded),
    balance: pj(r.balance),
    groupTotal: pj(r.groupTotal),
    yearEndPayment: pj(r.yearEndPayment),
    fundOverrunShare: pj(r.fundOverrunShare),
    deterministic: {
      balance: formatFen(r.deterministic.balance),
      groupTotal: formatFen(r.deterministic.groupTotal),
      yearEndPayment: formatFen(r.deterministic.yearEndPayment),
    },
    package: formatFen(r.package),
    riskReserve: formatFen(r.riskReserve),
    cv: r.cv,
    members: r.members.map((m) => ({ id: m.id, name: m.name, total: pj(m.total) })),
    histogram: r.histogram.map((b) => ({ from: formatFen(b.from), to: formatFen(b.to), count: b.count })),
  };
}
