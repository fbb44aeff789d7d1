// Largest-remainder allocation of an amount of fen into parts (DOMAIN.md §2).
// Leftover policy: the fen left after flooring every exact share go, one each, to the parts with the largest
// fractional remainder; equal remainders are broken by the parts' key order (the order of `weights`, which the
// caller sorts by key: member id, tier county→township→village, installment index). Weights all zero split equally.
//
// Exact on integers: decimal weights are scaled to integers on a common scale (exact for decimals), so each share
// total × w / Σw is floor(total·w / Σw) with the remainder total·w mod Σw, compared as integers. No division is
// ever rounded.
import { Decimal, type Dec, type Fen, assertFen } from './money.js';

/** A largest-remainder split on integer weights (see `allocateByIntegers`). */
export type Allocate = (total: Fen, weights: readonly bigint[]) => Fen[];

/** Decimal weights (≥ 0) as integers on a common scale (exact: the ratios between them are unchanged). */
export function scaledWeights(weights: readonly Dec[]): bigint[] {
  let places = 0;
  for (const w of weights) {
    if (w.isNegative() && !w.isZero()) throw new Error(`allocation weight must not be negative: ${w.toFixed()}`);
    places = Math.max(places, w.decimalPlaces());
  }
  if (places === 0) return weights.map((w) => BigInt(w.toFixed(0)));
  const scale = new Decimal(10).pow(places);
  return weights.map((w) => BigInt(w.times(scale).toFixed(0)));
}

export function allocateLargestRemainder(total: Fen, weights: readonly Dec[]): Fen[] {
  return allocateByIntegers(total, scaledWeights(weights));
}

/** The split itself, on integer weights (≥ 0; all zero → equal parts). */
export function allocateByIntegers(total: Fen, weights: readonly bigint[]): Fen[] {
  assertFen(total, 'allocateByIntegers total');
  if (weights.length === 0) {
    if (total !== 0) throw new Error(`cannot split ${total} fen into zero parts`);
    return [];
  }
  let ws = weights;
  let sum = 0n;
  for (const w of ws) {
    if (w < 0n) throw new Error(`allocation weight must not be negative: ${w}`);
    sum += w;
  }
  if (sum === 0n) {
    ws = weights.map(() => 1n);
    sum = BigInt(ws.length);
  }
  const magnitude = BigInt(Math.abs(total));
  const floors: Fen[] = [];
  const remainders: bigint[] = [];
  let allocated = 0;
  for (const w of ws) {
    const product = magnitude * w;
    const floor = Number(product / sum);
    floors.push(floor);
    remainders.push(product % sum);
    allocated += floor;
  }
  let leftover = Math.abs(total) - allocated;
  if (leftover < 0 || leftover > ws.length) throw new Error(`allocation leftover out of range: ${leftover}`);
  if (leftover > 0) {
    const order = remainders.map((_, i) => i).sort((a, b) => (remainders[a] > remainders[b] ? -1 : remainders[a] < remainders[b] ? 1 : a - b));
    for (const i of order) {
      if (leftover === 0) break;
      floors[i] += 1;
      leftover -= 1;
    }
  }
  const sign = total < 0 ? -1 : 1;
  const parts = floors.map((f) => (f === 0 ? 0 : sign * f));
  const check = parts.reduce((a, b) => a + b, 0);
  if (check !== total) throw new Error(`allocation does not add up: ${check} ≠ ${total}`);
  return parts;
}

/** Splits `total` fen into `count` equal parts (largest remainder: the first parts get the extra fen). */
export function allocateEqually(total: Fen, count: number): Fen[] {
  return allocateLargestRemainder(total, Array.from({ length: count }, () => new Decimal(1)));
}
