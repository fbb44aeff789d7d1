// A sheet as data: title, bilingual columns, typed cells (money as integer fen, exact decimals as text, live
// formulas with the value they must show). The same model renders to an Excel worksheet (render.ts) and to a CSV
// table (../csv.ts), so both outputs carry the same figures.
import type { Fen } from '../../domain/money.js';
import { rateTextOf } from '../text.js';

export type Cell =
  | null
  | string
  | { readonly t: 'int'; readonly v: number; readonly f?: string }
  | { readonly t: 'money'; readonly fen: Fen; readonly f?: string }
  /** An exact decimal (rate, point value, score) shown as a number in `fmt`; `text` is the exact figure. */
  | { readonly t: 'num'; readonly text: string; readonly fmt: string; readonly f?: string }
  /** A formula whose result is text (e.g. OK/FAIL). */
  | { readonly t: 'str'; readonly v: string; readonly f: string };

export type RowKind = 'data' | 'total' | 'subtotal' | 'section' | 'note' | 'blank';

export interface Row {
  readonly cells: readonly Cell[];
  readonly kind?: RowKind;
}

export interface Column {
  readonly zh: string;
  readonly en: string;
  /** Fixed width in characters; computed from the content when absent. */
  readonly width?: number;
}

export interface SheetModel {
  readonly name: string; // worksheet name (≤ 31 characters, none of []:*?/\)
  readonly csv: string; // CSV file name
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** How many rows after the header the filter covers (the data rows before any totals). */
  readonly filterRows: number;
}

export const TITLE_ROW = 1;
export const HEADER_ROW = 2;
export const FIRST_DATA_ROW = 3;

/** The worksheet row of model row `i` (0-based). */
export const rowOf = (i: number): number => FIRST_DATA_ROW + i;

export const MONEY_FMT = '#,##0.00';
export const INT_FMT = '#,##0';
export const PCT_FMT = '0.00%';

export const money = (fen: Fen, f?: string): Cell => (f === undefined ? { t: 'money', fen } : { t: 'money', fen, f });
export const int = (v: number, f?: string): Cell => (f === undefined ? { t: 'int', v } : { t: 'int', v, f });
export const num = (text: string, fmt: string, f?: string): Cell => (f === undefined ? { t: 'num', text, fmt } : { t: 'num', text, fmt, f });
export const strF = (v: string, f: string): Cell => ({ t: 'str', v, f });
export const okCell = (ok: boolean, f?: string): Cell => (f === undefined ? (ok ? 'OK' : 'FAIL') : strF(ok ? 'OK' : 'FAIL', f));

/** Column letter of a 1-based column number. */
export function col(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export const addr = (column: number, row: number): string => `${col(column)}${row}`;
export const absAddr = (column: number, row: number): string => `$${col(column)}$${row}`;

/** A reference to a cell or range of another sheet, quoted as Excel requires for names with spaces or CJK. */
export const sheetRef = (sheet: string, ref: string): string => `'${sheet.replace(/'/g, "''")}'!${ref}`;

/** Sheet names must be ≤ 31 characters and free of []:*?/\ (Excel refuses others). */
export function assertSheetName(name: string): string {
  if (name.length === 0 || name.length > 31 || /[[\]:*?/\\]/.test(name)) throw new Error(`invalid worksheet name: ${name}`);
  return name;
}

/** The text a cell shows (used for CSV and for column widths). */
export function cellText(c: Cell, grouped: (fen: Fen) => string): string {
  if (c === null) return '';
  if (typeof c === 'string') return c;
  switch (c.t) {
    case 'int':
      return String(c.v);
    case 'money':
      return grouped(c.fen);
    case 'num':
      return rateTextOf(c.text); // CSV: rates at the outputs' fixed precision (report/text.ts)
    case 'str':
      return c.v;
  }
}

/** Display width of text in character cells: CJK and full-width characters count double. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ? 2 : 1;
  }
  return w;
}
