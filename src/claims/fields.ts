// Hot-path field parsers: amounts to integer fen (no floats), dates to YYYY-MM-DD, and a 64-bit hash of ids.

/** The largest amount one claim may carry: 1亿 yuan (100,000,000.00), in fen. Sums of claims stay exact far beyond. */
export const MAX_CLAIM_FEN = 10_000_000_000;

/**
 * Parses a yuan amount with at most two decimals into integer fen, exactly; NaN when the text is not such an amount.
 * Accepts what `parseYuanToFen` (domain/money.ts) accepts — the same results, checked by a property test — plus
 * thousands separators in correct groups of three ("1,234.50"), as Excel writes formatted numbers into CSV; any other
 * comma ("12,50" as a decimal comma, "1,2,3.00") is not an amount. Input is trimmed.
 */
export function parseFen(s: string): number {
  return parseFenAt(s, 0, s.length);
}

/** `parseFen` of text[from, to), without taking the substring (the CSV fast path reads cells in place). */
export function parseFenAt(s: string, from: number, to: number): number {
  const n = to;
  if (n <= from) return NaN;
  let i = from;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let int = 0;
  let digits = 0;
  let group = 0; // digits since the last comma
  let commas = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      int = int * 10 + (c - 48);
      digits++;
    } else if (c === 44) {
      // A thousands separator only: after a first group of 1–3 digits (not a lone 0), then groups of exactly 3.
      if (group === 0 || group > 3 || (commas > 0 ? group !== 3 : int === 0)) return NaN;
      commas++;
      group = 0;
      continue;
    } else break;
    group++;
  }
  if (digits === 0 || digits > 13 || (commas > 0 && group !== 3)) return NaN;
  let frac = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return NaN;
    i++;
    const fd = n - i;
    if (fd > 2) return NaN;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
      frac = frac * 10 + (c - 48);
    }
    if (fd === 1) frac *= 10;
  }
  const fen = int * 100 + frac;
  if (fen === 0) return 0;
  return neg ? -fen : fen;
}

/** A non-negative whole number (days); -1 when the text is not one. */
export function parseCount(s: string): number {
  return parseCountAt(s, 0, s.length);
}

/** `parseCount` of text[from, to). */
export function parseCountAt(s: string, from: number, to: number): number {
  const n = to - from;
  if (n <= 0 || n > 6) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE_SEP = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const DATE_ZH = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

function realDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS[m]);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * A service date as YYYY-MM-DD, or undefined. Accepts YYYY-MM-DD and YYYY/MM/DD (one- or two-digit month and day,
 * as Chinese Excel writes "2024/3/5"), an optional time of day (dropped), YYYYMMDD and 2024年3月5日.
 */
export function parseDate(s: string): string | undefined {
  // Fast path: exactly YYYY-MM-DD.
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = digitsAt(s, 0, 4);
    const m = digitsAt(s, 5, 7);
    const d = digitsAt(s, 8, 10);
    if (y >= 0 && m >= 0 && d >= 0) return realDate(y, m, d) ? s : undefined;
  }
  const match = DATE_SEP.exec(s) ?? DATE_ZH.exec(s) ?? DATE_COMPACT.exec(s);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (!realDate(y, m, d)) return undefined;
  return `${match[1]}-${pad2(m)}-${pad2(d)}`;
}

/** The number written by the digits of s[from, to); -1 when another character is among them. */
export function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** An Excel date serial (1900 or 1904 system) as YYYY-MM-DD, or undefined. */
export function excelSerialToDate(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return undefined;
  const days = Math.floor(serial) + (date1904 ? 1462 : 0);
  // 1900 system: serial 1 = 1900-01-01, with Excel's fictitious 1900-02-29 (serial 60); epoch 1899-12-30 for ≥ 61.
  const base = Date.UTC(1899, 11, 30);
  const ms = base + (days < 61 && !date1904 ? days + 1 : days) * 86_400_000;
  const dt = new Date(ms);
  return `${dt.getUTCFullYear()}-${pad2(dt.getUTCMonth() + 1)}-${pad2(dt.getUTCDate())}`;
}

/** Last result of `hash64`: two 32-bit halves. */
export const H = { hi: 0, lo: 0 };

/** A 64-bit string hash (cyrb53's two lanes kept whole); writes H.hi/H.lo. */
export function hash64(s: string): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  H.hi = h1 >>> 0;
  H.lo = h2 >>> 0;
}

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x5bd1e995);
  return h ^ (h >>> 15);
}

/**
 * A 28-bit fingerprint of (institution, amounts, the pricing fields): a reversal must match its original's, amounts
 * negated and every field that decides its price or its count the same (DOMAIN.md §4: it is priced as the exact
 * negation of its original).
 */
export function fingerprint(institution: string, total: number, fund: number, patient: number, pricing: number): number {
  return fingerprintOf(institutionHash(institution), total, fund, patient, pricing);
}

/** The fields besides institution and amounts that decide how a claim is priced and counted. */
export interface PricingFields {
  readonly category: string;
  readonly outOfRegion: boolean;
  readonly setting: string;
  readonly losDays: number;
  readonly drgCode: string;
  readonly dipCode: string;
  readonly referral?: string;
}

/** `pricingHashOf` from the fields themselves (each value's text through `institutionHash`). */
export function pricingHash(c: PricingFields, hash: (v: string) => number = institutionHash): number {
  return pricingHashOf(hash(c.category), hash(c.outOfRegion ? 'true' : 'false'), hash(c.setting), c.losDays, hash(c.drgCode), hash(c.dipCode), hash(c.referral ?? ''));
}

/**
 * The pricing fields' part of `fingerprint`, from each value's hash (`institutionHash` of its text: the bulk tier
 * keeps one per memo entry) and the days. wasm/recordScan.ts computes the same.
 */
export function pricingHashOf(category: number, outOfRegion: number, setting: number, losDays: number, drg: number, dip: number, referral: number): number {
  let h = 0x1b873593;
  h = mix(h, category);
  h = mix(h, outOfRegion);
  h = mix(h, setting);
  h = mix(h, losDays >>> 0);
  h = mix(h, drg);
  h = mix(h, dip);
  h = mix(h, referral);
  return h >>> 0;
}

/** The institution's part of `fingerprint` (rows repeat a few institutions: the caller may keep it). */
export function institutionHash(institution: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < institution.length; i++) h = mix(h, institution.charCodeAt(i));
  return h;
}

/** `fingerprint` from the institution's part and the pricing fields' part (`pricingHashOf`). */
export function fingerprintOf(institution: number, total: number, fund: number, patient: number, pricing: number): number {
  let h = institution;
  h = mix(h, pricing);
  h = mix(h, total >>> 0);
  h = mix(h, Math.floor(total / 4294967296) >>> 0);
  h = mix(h, fund >>> 0);
  h = mix(h, Math.floor(fund / 4294967296) >>> 0);
  h = mix(h, patient >>> 0);
  h = mix(h, Math.floor(patient / 4294967296) >>> 0);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) & 0x0fffffff;
}
