// Terminal text helpers: display width (CJK characters take two columns) and padding; how rates are printed.
import { dec, type Dec } from '../domain/money.js';

/**
 * Rates, ratios, shares, point values and indicator values in the outputs (JSON, CSV): rounded half-up to this many
 * decimal places, trailing zeros dropped (README "Precision"). The engine keeps full precision (60 digits) inside;
 * the workbook's methods sheet also shows the DIP point value in full for auditors.
 */
export const RATE_DECIMALS = 10;

export function rateText(d: Dec): string;
export function rateText(d: Dec | undefined): string | undefined;
export function rateText(d: Dec | undefined): string | undefined {
  return d?.toDecimalPlaces(RATE_DECIMALS).toFixed();
}

/** The same for a decimal already in text form (a workbook number cell written to CSV). */
export function rateTextOf(text: string): string {
  const dot = text.indexOf('.');
  return dot < 0 || text.length - dot - 1 <= RATE_DECIMALS ? text : rateText(dec(text));
}
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000 ? 2 : 1;
  }
  return w;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

/**
 * Renders rows as a table: the first row is the header (a cell may hold a line break: 中文 over English); columns
 * listed in `right` are right-aligned.
 */
export function table(rows: readonly string[][], right: ReadonlySet<number> = new Set()): string {
  const head = rows[0].map((h) => h.split('\n'));
  const body = rows.slice(1);
  const widths = head.map((parts, c) => Math.max(...parts.map(displayWidth), ...body.map((r) => displayWidth(r[c] ?? ''))));
  const line = (r: readonly string[]) => r.map((cell, c) => (right.has(c) ? padStart(cell, widths[c]) : padEnd(cell, widths[c]))).join('  ').trimEnd();
  const headLines = Math.max(...head.map((p) => p.length));
  const header = Array.from({ length: headLines }, (_, k) => line(head.map((p) => p[k] ?? '')));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [...header, rule, ...body.map(line)].join('\n');
}
