// The one number factory of the engine. Money is integer fen (分) when it is a sum of recorded amounts, and an exact
// Decimal when a rate or a product is involved. Nothing here ever goes through a binary float.
import { Decimal as DecimalJs } from 'decimal.js';

/** A private Decimal constructor: 60 significant digits, half-up (away from zero) rounding, never exponent notation. */
export const Decimal = DecimalJs.clone({
  precision: 60,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -100,
  toExpPos: 100,
});
export type Dec = InstanceType<typeof Decimal>;

export const ZERO = new Decimal('0');
export const ONE = new Decimal('1');
export const HUNDRED = new Decimal('100');

/** Integer fen. Always a safe integer; sums of fen stay in integers. */
export type Fen = number;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Builds a Decimal from its text. Numbers are accepted only when they are safe integers (counts, scores). */
export function dec(value: string | number | Dec): Dec {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new Error(`dec(): refusing non-integer number ${value}; pass the decimal as a string`);
    }
    return new Decimal(String(value));
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (!DECIMAL_TEXT.test(text)) throw new Error(`dec(): not a decimal number: ${JSON.stringify(value)}`);
    return new Decimal(text);
  }
  return value;
}

export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text.trim());
}

/** Rounds a yuan amount half-up (away from zero) to integer fen. */
export function yuanToFenRounded(yuan: Dec): Fen {
  return toSafeFen(yuan.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP));
}

/** A product or rounding whose integer fen would not be exact (beyond 2^53 fen ≈ 90万亿 yuan). */
export class AmountRangeError extends Error {
  override readonly name = 'AmountRangeError';
}

/** Rounds a fen amount (possibly fractional) half-up to integer fen. */
export function roundFen(fen: Dec): Fen {
  return toSafeFen(fen.toDecimalPlaces(0, Decimal.ROUND_HALF_UP));
}

function toSafeFen(integral: Dec): Fen {
  const n = Number(integral.toFixed(0));
  if (!Number.isSafeInteger(n)) throw new AmountRangeError(`amount out of range: ${integral.toFixed(0)} fen`);
  return n === 0 ? 0 : n; // never -0
}

/** Exact fen as a Decimal (yuan × 100). */
export function fenDec(fen: Fen): Dec {
  return new Decimal(String(fen));
}

/** Formats integer fen as yuan with exactly two decimals; never "-0.00". */
export function formatFen(fen: Fen): string {
  assertFen(fen, 'formatFen');
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const text = `${yuan}.${cents < 10 ? '0' : ''}${cents}`;
  return negative ? `-${text}` : text;
}

/** Formats integer fen as yuan with thousands separators, for people (never for the JSON contract). */
export function formatFenGrouped(fen: Fen): string {
  const plain = formatFen(fen);
  const [int, frac] = plain.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/**
 * Parses a yuan amount written with at most two decimals ("123", "123.4", "-5.00") into integer fen,
 * exactly, without floats. Returns undefined when the text is not such an amount.
 */
export function parseYuanToFen(text: string): Fen | undefined {
  const s = text.trim();
  const m = /^([+-]?)(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return undefined;
  const int = m[2];
  if (int.length > 13) return undefined; // > 10^13 yuan is not a claim amount and would leave the safe range
  const frac = (m[3] ?? '').padEnd(2, '0');
  const fen = Number(int) * 100 + Number(frac);
  if (fen === 0) return 0;
  return m[1] === '-' ? -fen : fen;
}

export function assertFen(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new Error(`${what}: expected integer fen, got ${value}`);
}

/** Formats a Decimal at full precision as plain text (for point values and rates shown to auditors). */
export function formatDec(d: Dec): string {
  return d.toFixed();
}

export function minDec(a: Dec, b: Dec): Dec {
  return a.lessThan(b) ? a : b;
}

export function maxDec(a: Dec, b: Dec): Dec {
  return a.greaterThan(b) ? a : b;
}

/** A rate as an exact fraction num / 10^places, cached per Decimal (scenario rates are reused for every member). */
const rateFractions = new WeakMap<Dec, { num: bigint; den: bigint }>();

function rateFraction(rate: Dec): { num: bigint; den: bigint } {
  let f = rateFractions.get(rate);
  if (f === undefined) {
    const places = rate.decimalPlaces();
    f = { num: BigInt(rate.times(new Decimal(10).pow(places)).toFixed(0)), den: 10n ** BigInt(places) };
    rateFractions.set(rate, f);
  }
  return f;
}

/** round-half-up(fen × rate) to integer fen, exactly on integers (equal to roundFen(fenDec(fen).times(rate))). */
export function mulFen(fen: Fen, rate: Dec): Fen {
  assertFen(fen, 'mulFen');
  const { num, den } = rateFraction(rate);
  const p = BigInt(fen) * num;
  const neg = p < 0n;
  const a = neg ? -p : p;
  let q = a / den;
  if ((a % den) * 2n >= den) q += 1n;
  const n = Number(neg ? -q : q);
  if (!Number.isSafeInteger(n)) throw new AmountRangeError(`amount out of range: ${q} fen`);
  return n === 0 ? 0 : n;
}
