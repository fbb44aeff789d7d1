// DRG 按疾病诊断相关分组: standard = baseRate × RW(code) × coefficient(tier); high outliers (高倍率) paid the standard
// plus the excess over highMultiple × standard at highExcessRate; low outliers (低倍率) paid their cost.
import { type Dec, type Fen, fenDec, roundFen } from '../money.js';
import type { DrgParams, OutlierClass, Tier } from '../types.js';

interface DrgStandard {
  readonly standardFen: Dec; // exact, in fen
  readonly standardRounded: Fen;
  readonly highFloor: Fen; // cost > high × std  ⇔  costFen > highFloor
  readonly lowCeil: Fen; // cost < low × std  ⇔  costFen < lowCeil
  readonly highExact: Dec;
}

export interface DrgPayment {
  readonly payment: Fen; // the payment standard actually applied, rounded to the fen
  readonly outlier: OutlierClass;
}

export class DrgPricer {
  // Per tier, by code: computed once in Decimal, then reused (the row's code string is the key: no concatenation).
  private readonly cache: Readonly<Record<Tier, Map<string, DrgStandard | null>>> = { county: new Map(), township: new Map(), village: new Map() };
  constructor(private readonly p: DrgParams) {}

  has(code: string): boolean {
    return this.p.weights.has(code);
  }

  private standard(code: string, tier: Tier): DrgStandard | null {
    const byCode = this.cache[tier];
    let s = byCode.get(code);
    if (s !== undefined) return s;
    const rw = this.p.weights.get(code);
    if (rw === undefined) {
      s = null;
    } else {
      const std = this.p.baseRate.times(rw).times(this.p.coefficients[tier]).times(100);
      const high = std.times(this.p.highMultiple);
      s = {
        standardFen: std,
        standardRounded: roundFen(std),
        highExact: high,
        highFloor: Number(high.floor().toFixed(0)),
        lowCeil: Number(std.times(this.p.lowMultiple).ceil().toFixed(0)),
      };
    }
    byCode.set(code, s);
    return s;
  }

  /** The payment for a claim of `costFen` (≥ 0); undefined when the code has no weight. */
  price(code: string, tier: Tier, costFen: Fen): DrgPayment | undefined {
    const s = this.standard(code, tier);
    if (s === null) return undefined;
    if (costFen > s.highFloor) {
      const excess = fenDec(costFen).minus(s.highExact).times(this.p.highExcessRate);
      return { payment: roundFen(s.standardFen.plus(excess)), outlier: 'high' };
    }
    if (costFen < s.lowCeil) return { payment: costFen, outlier: 'low' };
    return { payment: s.standardRounded, outlier: 'none' };
  }
}
