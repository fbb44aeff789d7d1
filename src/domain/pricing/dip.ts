// DIP 按病种分值: points = score(code) × coefficient(tier); cost/avgCost below lowMultiple scales the points down
// (低倍率), above highMultiple adds (ratio − high) × score (高倍率). Payment = points × point value.
import { type Dec, type Fen, fenDec } from '../money.js';
import type { DipParams, OutlierClass, Tier } from '../types.js';

interface DipGroupTier {
  readonly sortKey: string; // code, then tier: a row-order-independent order of keys
  readonly basePoints: Dec; // score × coefficient
  readonly avgCostFen?: Dec;
  readonly lowCeil: Fen; // ratio < low ⇔ costFen < lowCeil
  readonly highFloor: Fen; // ratio > high ⇔ costFen > highFloor
}

/** Signed integer sums of the DIP claims of one (code, tier) key, by outlier class (a reversal counts −1). */
export interface DipKeySums {
  normalCount: number;
  lowCount: number;
  lowCost: Fen;
  highCount: number;
  highCost: Fen;
}

export interface DipPoints {
  readonly points: Dec;
  readonly outlier: OutlierClass;
  readonly key: number; // index of (code, tier) for callers that group normal claims
}

export class DipPricer {
  private readonly cache: Readonly<Record<Tier, Map<string, number>>> = { county: new Map(), township: new Map(), village: new Map() };
  private readonly entries: DipGroupTier[] = [];
  constructor(private readonly p: DipParams) {}

  has(code: string): boolean {
    return this.p.groups.has(code);
  }

  /** Index of (code, tier), or -1 when the code has no group. */
  keyOf(code: string, tier: Tier): number {
    const byCode = this.cache[tier];
    const hit = byCode.get(code);
    if (hit !== undefined) return hit;
    const g = this.p.groups.get(code);
    let index = -1;
    if (g !== undefined) {
      const basePoints = g.score.times(this.p.coefficients[tier]);
      const avg = g.avgCost !== undefined && !g.avgCost.isZero() ? g.avgCost.times(100) : undefined;
      this.entries.push({
        sortKey: `${code}\u0000${tier}`,
        basePoints,
        avgCostFen: avg,
        lowCeil: avg ? Number(avg.times(this.p.lowMultiple).ceil().toFixed(0)) : Number.NEGATIVE_INFINITY,
        highFloor: avg ? Number(avg.times(this.p.highMultiple).floor().toFixed(0)) : Number.POSITIVE_INFINITY,
      });
      index = this.entries.length - 1;
    }
    byCode.set(code, index);
    return index;
  }

  sortKey(key: number): string {
    return this.entries[key].sortKey;
  }

  /**
   * Σ points of the claims of one key from integer sums per outlier class (points are linear in the cost within a
   * class): normal n × base; low base × Σcost / avg; high base × (Σcost / avg − n × (high − 1)).
   */
  pointsOfSums(key: number, s: DipKeySums): Dec {
    const e = this.entries[key];
    let points = e.basePoints.times(s.normalCount);
    if (e.avgCostFen !== undefined) {
      if (s.lowCount !== 0 || s.lowCost !== 0) points = points.plus(e.basePoints.times(fenDec(s.lowCost)).dividedBy(e.avgCostFen));
      if (s.highCount !== 0 || s.highCost !== 0) {
        const ratios = fenDec(s.highCost).dividedBy(e.avgCostFen);
        points = points.plus(e.basePoints.times(ratios.minus(this.p.highMultiple.minus(1).times(s.highCount))));
      }
    }
    return points;
  }

  basePoints(key: number): Dec {
    return this.entries[key].basePoints;
  }

  /** The outlier class of a claim of `costFen` (≥ 0) in group-tier `key`: `points(key, costFen).outlier`, without the points. */
  outlierOf(key: number, costFen: Fen): OutlierClass {
    const e = this.entries[key];
    if (e.avgCostFen !== undefined) {
      if (costFen < e.lowCeil) return 'low';
      if (costFen > e.highFloor) return 'high';
    }
    return 'none';
  }

  /** Points of a claim of `costFen` (≥ 0) in group-tier `key`. */
  points(key: number, costFen: Fen): DipPoints {
    const e = this.entries[key];
    const outlier = this.outlierOf(key, costFen);
    if (outlier === 'low') return { points: e.basePoints.times(fenDec(costFen)).dividedBy(e.avgCostFen!), outlier, key };
    if (outlier === 'high') {
      const ratio = fenDec(costFen).dividedBy(e.avgCostFen!);
      return { points: e.basePoints.times(ratio.minus(this.p.highMultiple).plus(1)), outlier, key };
    }
    return { points: e.basePoints, outlier, key };
  }
}
