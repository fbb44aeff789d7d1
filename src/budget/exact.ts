// Exact rational numbers for budget estimates (总额与人头费测算, DOMAIN.md §14): "nothing is rounded until the result".
// A weighted mean over three years divides by 3 and a top-down standard divides by visits ÷ visits per person, so a
// Decimal (which rounds every quotient to its precision) is not exact; a fraction of two BigInts is. Inputs come in
// as exact decimal text (read by money.ts's `dec`), results leave rounded half-up (away from zero) exactly once.
import { type Dec, type Fen, dec } from '../domain/money.js';

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

const TEN = 10n;

/** A result beyond the exact range of integer fen (about 90 trillion yuan): an input error, never an inexact figure. */
export class AmountOutOfRange extends Error {
  constructor(readonly yuan: string) {
    super(`amount out of range: ${yuan} yuan`);
    this.name = 'AmountOutOfRange';
  }
}

export class Exact {
  /** num / den in lowest terms, den > 0. */
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static ratio(num: bigint, den: bigint): Exact {
    if (den === 0n) throw new Error('Exact: division by zero');
    if (den < 0n) [num, den] = [-num, -den];
    const g = gcd(num, den);
    return g > 1n ? new Exact(num / g, den / g) : new Exact(num, den);
  }

  /** A decimal written as text ("61000000", "0.05"), a Decimal, or a safe integer (a count). */
  static of(value: string | number | Dec): Exact {
    const d = dec(value);
    const places = d.decimalPlaces();
    return Exact.ratio(BigInt(d.times(dec(10).pow(places)).toFixed(0)), TEN ** BigInt(places));
  }

  /** Integer fen as yuan (fen ÷ 100). */
  static fen(fen: Fen): Exact {
    if (!Number.isSafeInteger(fen)) throw new Error(`Exact.fen: expected integer fen, got ${fen}`);
    return Exact.ratio(BigInt(fen), 100n);
  }

  static readonly ZERO = new Exact(0n, 1n);
  static readonly ONE = new Exact(1n, 1n);

  plus(o: Exact): Exact {
    return Exact.ratio(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  minus(o: Exact): Exact {
    return Exact.ratio(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  times(o: Exact): Exact {
    return Exact.ratio(this.num * o.num, this.den * o.den);
  }
  div(o: Exact): Exact {
    return Exact.ratio(this.num * o.den, this.den * o.num);
  }

  isZero(): boolean {
    return this.num === 0n;
  }
  isNegative(): boolean {
    return this.num < 0n;
  }
  equals(o: Exact): boolean {
    return this.num === o.num && this.den === o.den;
  }
  compare(o: Exact): number {
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  /** The integer nearest to this × 10^places, halves away from zero (DOMAIN.md §2's half-up). */
  private scaledRounded(places: number): bigint {
    const scaled = this.num * TEN ** BigInt(places);
    const a = scaled < 0n ? -scaled : scaled;
    let q = a / this.den;
    if ((a % this.den) * 2n >= this.den) q += 1n;
    return scaled < 0n ? -q : q;
  }

  /** Text with exactly `places` decimals, rounded half-up once (never "-0.00"). */
  toFixed(places: number): string {
    const q = this.scaledRounded(places);
    const neg = q < 0n;
    const digits = (neg ? -q : q).toString().padStart(places + 1, '0');
    const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return neg ? `-${text}` : text;
  }

  /** Yuan rounded half-up to integer fen. */
  toFen(): Fen {
    const n = Number(this.scaledRounded(2));
    if (!Number.isSafeInteger(n)) throw new AmountOutOfRange(this.toFixed(2));
    return n === 0 ? 0 : n;
  }

  /** The exact decimal text when the fraction terminates within `maxPlaces` digits, else undefined. */
  toExactText(maxPlaces = 30): string | undefined {
    for (let p = 0; p <= maxPlaces; p++) {
      if ((TEN ** BigInt(p)) % this.den === 0n) return this.toFixed(p);
    }
    return undefined;
  }

  /** The exact decimal when it terminates, else `places` decimals followed by "…" (for people, never for sums). */
  toDisplay(places: number): string {
    const exact = this.toExactText(places);
    return exact ?? `${this.toFixed(places)}…`;
  }
}

/** Σ values. */
export function sum(values: readonly Exact[]): Exact {
  return values.reduce((s, v) => s.plus(v), Exact.ZERO);
}
