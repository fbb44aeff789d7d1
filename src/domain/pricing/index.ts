// Prices one in-group claim: which method pays it (rules.ts) and what it costs the package (DOMAIN.md §4).
// A reversal (冲销) is priced as the exact negation of its original: amounts are flipped back, priced, and negated.
// §13.1: only the packaged fund columns count — ffs pays their sum; a payment standard is reduced by patient_paid and
// by the unpackaged fund columns U. §13.2: a listed special case (特例单议) is paid its agreed amount instead of the
// formula, is no outlier and carries no DIP points; a reversal of it reverses the agreed payment.
import { type Dec, type Fen, roundFen } from '../money.js';
import { SPECIAL_CASE_METHODS } from '../specialCases.js';
import type { Claim, InputError, Method, OutlierClass, PackageFund, Payments, SpecialCase, Tier } from '../types.js';
import { DipPricer } from './dip.js';
import { DrgPricer } from './drg.js';
import { MethodMatcher } from './rules.js';

export interface ClaimPrice {
  readonly method: Method;
  readonly sign: 1 | -1; // −1 for a reversal row
  readonly standard?: Fen; // signed; undefined for ffs/capitation, and for dip until the point value is known
  readonly liability?: Fen; // signed; undefined for dip until the point value is known
  readonly outlier: OutlierClass;
  readonly points?: Dec; // dip, unsigned; absent before the point value is known, except for a special case
  readonly dipKey?: number; // dip (code, tier) index
  /** dip until the point value is known: patient_paid + U, unsigned (what the payment is reduced by). */
  readonly reduction?: Fen;
  /** §13.2: the claim is (or reverses) a special case; the formula's figures for comparison. */
  readonly special?: SpecialCasePrice;
}

export interface SpecialCasePrice {
  readonly case: SpecialCase; // the listed row (of the original claim)
  readonly formulaStandard?: Fen; // signed; undefined for dip until the point value is known
  readonly formulaPoints?: Dec; // dip, unsigned: the points the formula would have given (not counted in Σ points)
  readonly unpackaged: Fen; // U, signed
}

export interface PricerOptions {
  /** §13.1 packaged funds; absent: [basic]. */
  readonly funds?: readonly PackageFund[];
  /** §13.2 special cases by claim id. */
  readonly specialCases?: ReadonlyMap<string, SpecialCase>;
}

/** A claim's §13.1 fund columns, signed as recorded, in PACKAGE_FUNDS order. */
export function fundColumns(claim: Claim): [Fen, Fen, Fen, Fen] {
  return [claim.fundPaid, claim.criticalPaid ?? 0, claim.assistancePaid ?? 0, claim.otherPaid ?? 0];
}

export type PricingProblem = Pick<InputError, 'column' | 'value' | 'rule' | 'zh' | 'en'>;

/** max(0, payment − patient_paid − U), with payment already rounded to the fen; `reductionFen` = patient_paid + U. */
function liabilityOf(paymentFen: Fen, reductionFen: Fen): Fen {
  const l = paymentFen - reductionFen;
  return l > 0 ? l : 0;
}

/**
 * Every ClaimPrice has the same fields in the same order (absent ones undefined): one object shape for the hot loop.
 * Callers test `!== undefined`, never `in`.
 */
function priced(
  method: Method,
  sign: 1 | -1,
  standard: Fen | undefined,
  liability: Fen | undefined,
  outlier: OutlierClass,
  points?: Dec,
  dipKey?: number,
  reduction?: Fen,
  special?: SpecialCasePrice,
): ClaimPrice {
  return { method, sign, standard, liability, outlier, points, dipKey, reduction, special };
}

export class ClaimPricer {
  readonly drg?: DrgPricer;
  readonly dip?: DipPricer;
  private readonly perDiemDaily = new Map<Tier, Dec | undefined>();
  private readonly matcher: MethodMatcher;
  // Payments that depend on a few values only, computed once in Decimal and reused (the same fen every time):
  // per-diem by tier × paid days, single disease by code, a normal DIP claim under a budget point value by key.
  private readonly perDiemPayment: Readonly<Record<Tier, Map<number, Fen>>> = { county: new Map(), township: new Map(), village: new Map() };
  private readonly singleDiseasePayment = new Map<string, Fen>();
  private readonly dipNormalPayment = new Map<Dec, Map<number, Fen>>();
  /** Which of [basic, critical, assistance, other] are packaged. */
  readonly packaged: readonly [boolean, boolean, boolean, boolean];
  private readonly basicOnly: boolean;
  private readonly specialCases?: ReadonlyMap<string, SpecialCase>;

  constructor(
    private readonly payments: Payments,
    options: PricerOptions = {},
  ) {
    const funds = options.funds ?? ['basic'];
    this.packaged = [funds.includes('basic'), funds.includes('critical'), funds.includes('assistance'), funds.includes('other')];
    this.basicOnly = this.packaged[0] && !this.packaged[1] && !this.packaged[2] && !this.packaged[3];
    this.specialCases = options.specialCases !== undefined && options.specialCases.size > 0 ? options.specialCases : undefined;
    this.matcher = new MethodMatcher(payments.rules);
    if (payments.drg) this.drg = new DrgPricer(payments.drg);
    if (payments.dip) this.dip = new DipPricer(payments.dip);
    for (const t of ['county', 'township', 'village'] as const) {
      this.perDiemDaily.set(t, payments.perDiem?.rates[t] ?? payments.perDiem?.rates.default);
    }
  }

  methodOf(claim: Claim, tier: Tier): Method {
    return this.matcher.method(claim, tier);
  }

  /** Σ of the claim's packaged fund columns (signed): its out-of-group deduction, or its ffs liability. */
  packagedAmount(claim: Claim): Fen {
    if (claim.criticalPaid === undefined && this.basicOnly) return claim.fundPaid;
    const cols = fundColumns(claim);
    let s = 0;
    for (let i = 0; i < 4; i++) if (this.packaged[i]) s += cols[i];
    return s;
  }

  /** U: Σ of the claim's unpackaged fund columns (signed). */
  unpackagedAmount(claim: Claim): Fen {
    if (claim.criticalPaid === undefined && this.basicOnly) return 0;
    const cols = fundColumns(claim);
    let s = 0;
    for (let i = 0; i < 4; i++) if (!this.packaged[i]) s += cols[i];
    return s;
  }

  /** The special case a claim is listed as, or that a reversal row reverses. */
  specialCaseOf(claim: Claim): SpecialCase | undefined {
    if (this.specialCases === undefined) return undefined;
    return this.specialCases.get(claim.reverses === '' ? claim.claimId : claim.reverses);
  }

  /**
   * Prices a claim. For dip without a known point value (`pointValue` undefined) the result carries points and
   * no liability; the caller prices it once the settlement point value is known (`priceDip`).
   */
  price(claim: Claim, tier: Tier, pointValue: Dec | undefined): ClaimPrice | PricingProblem {
    const formula = this.priceByFormula(claim, tier, pointValue);
    if (this.specialCases === undefined || isProblem(formula) || !SPECIAL_CASE_METHODS.has(formula.method)) return formula;
    // Only a listed original (or a reversal of one) is special; a reversal row listed itself is refused by the aggregator.
    const listed = claim.reverses === '' ? this.specialCases.get(claim.claimId) : this.specialCases.get(claim.reverses);
    if (listed === undefined) return formula;
    const sign = formula.sign;
    const unpackaged = this.unpackagedAmount(claim);
    const reduction = sign * claim.patientPaid + sign * unpackaged;
    const special = { case: listed, formulaStandard: formula.standard, formulaPoints: formula.points, unpackaged };
    return priced(formula.method, sign, sign * listed.agreed, sign * liabilityOf(listed.agreed, reduction), 'none', undefined, undefined, undefined, special);
  }

  private priceByFormula(claim: Claim, tier: Tier, pointValue: Dec | undefined): ClaimPrice | PricingProblem {
    const sign: 1 | -1 = claim.reverses === '' ? 1 : -1;
    const cost = sign * claim.totalCost;
    const patient = sign * claim.patientPaid + sign * this.unpackagedAmount(claim); // patient_paid + U, unsigned
    const method = this.methodOf(claim, tier);
    switch (method) {
      case 'ffs':
        return priced(method, sign, undefined, this.packagedAmount(claim), 'none');
      case 'capitation':
        return priced(method, sign, undefined, 0, 'none');
      case 'drg': {
        const p = claim.drgCode === '' ? undefined : this.drg!.price(claim.drgCode, tier, cost);
        if (p === undefined) return missingCode('drg_code', claim.drgCode, 'DRG', '相对权重表（weights）', 'the DRG weights table');
        return priced(method, sign, sign * p.payment, sign * liabilityOf(p.payment, patient), p.outlier);
      }
      case 'dip': {
        const key = claim.dipCode === '' ? -1 : this.dip!.keyOf(claim.dipCode, tier);
        if (key < 0) return missingCode('dip_code', claim.dipCode, 'DIP', '病种分值表（groups）', 'the DIP groups table');
        if (pointValue === undefined && this.specialCases === undefined) {
          // Priced once the settlement point value is known (from Σ points by key and class): the claim's own
          // points are not needed now (only a special case compares them).
          return priced(method, sign, undefined, undefined, this.dip!.outlierOf(key, cost), undefined, key, patient);
        }
        const pts = this.dip!.points(key, cost);
        if (pointValue === undefined) return priced(method, sign, undefined, undefined, pts.outlier, pts.points, key, patient);
        const payment = pts.outlier === 'none' ? this.dipNormal(key, pointValue) : roundFen(pts.points.times(pointValue).times(100));
        return priced(method, sign, sign * payment, sign * liabilityOf(payment, patient), pts.outlier, pts.points, key);
      }
      case 'perDiem': {
        const daily = this.perDiemDaily.get(tier);
        if (daily === undefined) {
          return { rule: 'perDiem.noRate', zh: `按床日付费没有 ${tier} 级费率`, en: `per-diem has no rate for tier ${tier}` };
        }
        const max = this.payments.perDiem?.maxDays;
        const days = max === undefined ? Math.abs(claim.losDays) : Math.min(Math.abs(claim.losDays), max);
        const byDays = this.perDiemPayment[tier];
        let payment = byDays.get(days);
        if (payment === undefined) {
          payment = roundFen(daily.times(days).times(100));
          byDays.set(days, payment);
        }
        return priced(method, sign, sign * payment, sign * liabilityOf(payment, patient), 'none');
      }
      case 'singleDisease': {
        const prices = this.payments.singleDisease!.prices;
        const code = claim.dipCode !== '' && prices.has(claim.dipCode) ? claim.dipCode : claim.drgCode !== '' && prices.has(claim.drgCode) ? claim.drgCode : undefined;
        if (code === undefined) {
          const code = claim.dipCode || claim.drgCode;
          return {
            column: claim.dipCode ? 'dip_code' : 'drg_code',
            value: code,
            rule: 'singleDisease.noPrice',
            zh: `单病种付费：病种 "${code}" 在价格表（prices）中没有定价`,
            en: `single-disease payment: code "${code}" has no price in payments.singleDisease.prices`,
          };
        }
        let payment = this.singleDiseasePayment.get(code);
        if (payment === undefined) {
          payment = roundFen(prices.get(code)!.times(100));
          this.singleDiseasePayment.set(code, payment);
        }
        return priced(method, sign, sign * payment, sign * liabilityOf(payment, patient), 'none');
      }
    }
  }

  /** The payment of a normal (no outlier) DIP claim of `key` at `pointValue`: base points × value, once per key. */
  dipNormal(key: number, pointValue: Dec): Fen {
    let byKey = this.dipNormalPayment.get(pointValue);
    if (byKey === undefined) {
      byKey = new Map();
      this.dipNormalPayment.set(pointValue, byKey);
    }
    let payment = byKey.get(key);
    if (payment === undefined) {
      payment = roundFen(this.dip!.basePoints(key).times(pointValue).times(100));
      byKey.set(key, payment);
    }
    return payment;
  }

  /** Liability and standard of a deferred dip claim, once the point value is known. Amounts unsigned in, signed out. */
  priceDip(points: Dec, pointValue: Dec, patientPaidUnsigned: Fen, sign: 1 | -1): { standard: Fen; liability: Fen } {
    const payment = roundFen(points.times(pointValue).times(100));
    return { standard: sign * payment, liability: sign * liabilityOf(payment, patientPaidUnsigned) };
  }
}

function missingCode(column: string, code: string, kind: string, zhTable: string, enTable: string): PricingProblem {
  if (code === '') {
    return {
      column,
      value: '',
      rule: `${kind.toLowerCase()}.noCode`,
      zh: `该结算单按 ${kind} 付费，但 ${column} 为空`,
      en: `the claim is paid by ${kind}, but ${column} is empty`,
    };
  }
  return {
    column,
    value: code,
    rule: `${kind.toLowerCase()}.unknownCode`,
    zh: `${kind} 编码 "${code}" 不在${zhTable}中`,
    en: `${kind} code "${code}" is missing from ${enTable}`,
  };
}

export function isProblem(p: ClaimPrice | PricingProblem): p is PricingProblem {
  return (p as PricingProblem).rule !== undefined;
}

