// Largest-remainder allocation of an amount of fen into parts (DOMAIN.md §2).
// Leftover policy: the fen left after flooring every exact share go, one each, to the parts with the largest
// fractional remainder; equal remainders are broken by the parts' key order (the order of `weights`, which the
// caller sorts by key: member id, tier county→township→village, installment index). Weights all zero split equally.
import { Decimal, type Dec, type Fen, ZERO, assertFen } from './money.js';

export function allocateLargestRemainder(total: Fen, weights: readonly Dec[]): Fen[] {
  assertFen(total, 'allocateLargestRemainder total');
  if (weights.length === 0) {
    if (total !== 0) throw new Error(`cannot split ${total} fen into zero parts`);
    return [];
  }
  for (const w of weights) {
    if (w.isNegative() && !w.isZero()) throw new Error(`allocation weight must not be negative: ${w.toFixed()}`);
  }
  let sum = weights.reduce((a, w) => a.plus(w), ZERO);
  let ws = weights;
  if (sum.isZero()) {
    ws = weights.map(() => new Decimal(1));
    sum = new Decimal(weights.length);
  }
  const sign = total < 0 ? -1 : 1;
  const magnitude = new Decimal(Math.abs(total));
  const floors: Fen[] = [];
  const remainders: Dec[] = [];
  let allocated = 0;
  for (const w of ws) {
    const exact = magnitude.times(w).dividedBy(sum);
    const floor = exact.floor();
    floors.push(Number(floor.toFixed(0)));
    remainders.push(exact.minus(floor));
    allocated += floors[floors.length - 1];
  }
  let leftover = Math.abs(total) - allocated;
  if (leftover < 0 || leftover > ws.length) throw new Error(`allocation leftover out of range: ${leftover}`);
  const order = remainders
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const c = b.r.comparedTo(a.r);
      return c !== 0 ? c : a.i - b.i;
    });
  for (const { i } of order) {
    if (leftover === 0) break;
    floors[i] += 1;
    leftover -= 1;
  }
  const parts = floors.map((f) => (f === 0 ? 0 : sign * f));
  const check = parts.reduce((a, b) => a + b, 0);
  if (check !== total) throw new Error(`allocation does not add up: ${check} ≠ ${total}`);
  return parts;
}

/** Splits `total` fen into `count` equal parts (largest remainder: the first parts get the extra fen). */
export function allocateEqually(total: Fen, count: number): Fen[] {
  return allocateLargestRemainder(total, Array.from({ length: count }, () => new Decimal(1)));
}
