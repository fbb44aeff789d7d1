// Banded shares over a rate (fraction of the package P): 结余留用 surplus bands and 超支分担 overrun bands.
// marginal: each band's share applies to the part of the amount inside it (like tax brackets).
// firstDollar: the share of the band containing the rate applies to the whole amount (a share-0 band is a gate).
import { type Dec, type Fen, ZERO, fenDec, minDec, maxDec } from './money.js';
import type { BandApplied } from './result.js';
import type { BandMode } from './types.js';

export interface Band {
  readonly upTo?: Dec;
  readonly share: Dec;
}

export interface BandOutcome {
  readonly rate: Dec;
  readonly raw: Dec; // fen, unrounded
  readonly applied: readonly BandApplied[];
}

/** amount / pkg at full precision (the last quotient is kept: what-if variants divide the same figures again). */
export function rateOf(amount: Fen, pkg: Fen): Dec {
  if (pkg === 0) return ZERO;
  if (lastRate.amount !== amount || lastRate.pkg !== pkg) {
    lastRate = { amount, pkg, rate: fenDec(amount).dividedBy(pkg) };
  }
  return lastRate.rate;
}
let lastRate: { amount: Fen; pkg: Fen; rate: Dec } = { amount: 0, pkg: 1, rate: ZERO };

export function applyBands(mode: BandMode, bands: readonly Band[], amount: Fen, pkg: Fen): BandOutcome {
  const rate = rateOf(amount, pkg);
  const x = fenDec(amount);
  if (mode === 'firstDollar') {
    // The band containing the rate X / P, found without dividing: X ≤ upTo × P (bands are upper-inclusive).
    let index = bands.findIndex((b) => b.upTo !== undefined && x.lessThanOrEqualTo(b.upTo.times(pkg)));
    if (index < 0) index = bands.length - 1;
    const b = bands[index];
    return { rate, raw: x.times(b.share), applied: [{ index, upTo: b.upTo, share: b.share, portion: x }] };
  }
  let lower = ZERO;
  let raw = ZERO;
  const applied: BandApplied[] = [];
  bands.forEach((b, index) => {
    const upper = b.upTo === undefined ? undefined : b.upTo.times(pkg);
    const top = upper === undefined ? x : minDec(x, upper);
    const portion = maxDec(ZERO, top.minus(lower));
    if (portion.greaterThan(0)) {
      raw = raw.plus(portion.times(b.share));
      applied.push({ index, upTo: b.upTo, share: b.share, portion });
    }
    if (upper !== undefined) lower = maxDec(lower, upper);
  });
  return { rate, raw, applied };
}
