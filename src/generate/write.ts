// Writers for generated claims: CSV (UTF-8 or GB18030, canonical or Chinese headers) and XLSX (exceljs streaming
// writer). Each streams to disk in chunks and waits for the file to drain, so memory does not grow with the rows.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { COLUMNS, COLUMN_ZH } from '../claims/columns.js';
import { formatFen } from '../domain/money.js';
import type { Category, Claim, Setting } from '../domain/types.js';
import { encodeGb18030 } from './gb18030.js';

export type ClaimsFormat = 'csv' | 'xlsx';
export type ClaimsEncoding = 'utf-8' | 'gb18030';
export type ClaimsHeaders = 'canonical' | 'chinese';

export interface WriteOptions {
  readonly format?: ClaimsFormat; // default csv
  readonly encoding?: ClaimsEncoding; // CSV only; default utf-8
  /** Default: chinese for GB18030 CSV (as real exports look), canonical otherwise. Chinese headers bring Chinese values. */
  readonly headers?: ClaimsHeaders;
  /** Only the first N columns of CANONICAL_HEADERS (at least 13: claim_id … patient_paid); default all. */
  readonly columns?: number;
}

/** The number of leading columns to write; a row that needs a column beyond them (a reversal) is refused. */
function columnCount(n: number | undefined): number {
  if (n === undefined) return CANONICAL_HEADERS.length;
  if (!Number.isInteger(n) || n < 13 || n > CANONICAL_HEADERS.length) throw new Error(`columns must be 13–${CANONICAL_HEADERS.length}, got ${n}`);
  return n;
}

/** The row's cells cut to `n` columns; throws when a dropped cell is not empty. */
function leading(cells: string[], n: number): string[] {
  if (n === cells.length) return cells;
  for (let i = n; i < cells.length; i++) if (cells[i] !== '') throw new Error(`claim ${cells[0]} has a ${CANONICAL_HEADERS[i]} but only ${n} columns are written`);
  cells.length = n;
  return cells;
}

/** The claims columns of DOMAIN.md §10, in file order: the importer's canonical names and their Chinese headers. */
// The generator writes no §13.1 fund columns (critical_paid, assistance_paid, other_paid): its claims carry fund_paid only.
const GENERATED = new Set<string>(['critical_paid', 'assistance_paid', 'other_paid']);
export const CANONICAL_HEADERS = COLUMNS.filter((c) => !GENERATED.has(c));
export const CHINESE_HEADERS: readonly string[] = CANONICAL_HEADERS.map((c) => COLUMN_ZH[c]);

const CATEGORY_ZH: Record<Category, string> = { employee: '职工', resident: '居民', poverty: '建档立卡' };
const SETTING_ZH: Record<Setting, string> = { inpatient: '住院', outpatient: '门诊' };
const REFERRAL_ZH = { up: '上转', down: '下转' } as const;

/** The row's cells as text, in column order. */
export function claimCells(c: Claim, chinese: boolean): string[] {
  return [
    c.claimId,
    c.patientId,
    chinese ? CATEGORY_ZH[c.category] : c.category,
    c.institutionId,
    chinese ? (c.outOfRegion ? '是' : '否') : c.outOfRegion ? 'true' : 'false',
    chinese ? SETTING_ZH[c.setting] : c.setting,
    c.serviceDate,
    String(c.losDays),
    c.drgCode,
    c.dipCode,
    formatFen(c.totalCost),
    formatFen(c.fundPaid),
    formatFen(c.patientPaid),
    c.reverses,
    c.referral === undefined || c.referral === '' ? '' : chinese ? REFERRAL_ZH[c.referral] : c.referral,
    c.referredFrom ?? '',
    c.contractType ?? '',
  ];
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writeChunk(out: WriteStream, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function finish(out: WriteStream): Promise<void> {
  const closed = once(out, 'close');
  out.end();
  await closed;
}

/** Writes claims as CSV; returns the number of data rows. GB18030 files use CRLF line ends, UTF-8 files LF. */
export async function writeClaimsCsv(
  file: string,
  claims: Iterable<Claim>,
  opts: { encoding?: ClaimsEncoding; headers?: ClaimsHeaders; columns?: number } = {},
): Promise<number> {
  const width = columnCount(opts.columns);
  const gb = opts.encoding === 'gb18030';
  const chinese = (opts.headers ?? (gb ? 'chinese' : 'canonical')) === 'chinese';
  const eol = gb ? '\r\n' : '\n';
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const encode = (s: string): string | Buffer => (gb ? encodeGb18030(s) : s);
  let rows = 0;
  const work = (async () => {
    let buf = (chinese ? CHINESE_HEADERS : CANONICAL_HEADERS).slice(0, width).join(',') + eol;
    for (const c of claims) {
      buf += leading(claimCells(c, chinese), width).map(csvCell).join(',') + eol;
      rows++;
      if (buf.length >= 1 << 18) {
        await writeChunk(out, encode(buf));
        buf = '';
      }
    }
    if (buf.length > 0) await writeChunk(out, encode(buf));
    await finish(out);
  })();
  await Promise.race([work, failed]);
  return rows;
}

/**
 * exceljs's streaming writer does not pass backpressure from the zip back to `commit()`: the sheet's XML piles up in
 * the stream that feeds the deflater. So every few thousand rows we wait while more than a few MB are queued there
 * (exceljs internals, read defensively: without them we only yield), and memory stays flat however many rows.
 */
const XLSX_QUEUE_LIMIT = 8 * 1024 * 1024;
async function letZipCatchUp(sheet: unknown): Promise<void> {
  await new Promise<void>((r) => setImmediate(r));
  const queue = (sheet as { stream?: { pipes?: Array<{ _writableState?: { length?: number } }> } }).stream?.pipes?.[0]?._writableState;
  if (typeof queue?.length !== 'number') return;
  let last = queue.length;
  let stalled = 0;
  while (queue.length > XLSX_QUEUE_LIMIT && stalled < 2000) {
    await new Promise<void>((r) => setTimeout(r, 1));
    stalled = queue.length < last ? 0 : stalled + 1; // give up waiting after ~2 s without progress
    last = queue.length;
  }
}

/**
 * Writes claims as an XLSX workbook (one sheet, 结算明细) with exceljs's streaming writer; amounts and bed-days are
 * number cells (as exported spreadsheets have them), everything else text. Returns the number of data rows.
 */
export async function writeClaimsXlsx(file: string, claims: Iterable<Claim>, opts: { headers?: ClaimsHeaders; columns?: number } = {}): Promise<number> {
  const width = columnCount(opts.columns);
  const chinese = opts.headers === 'chinese';
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('结算明细');
  sheet.addRow((chinese ? CHINESE_HEADERS : CANONICAL_HEADERS).slice(0, width)).commit();
  let rows = 0;
  for (const c of claims) {
    const cells: Array<string | number> = leading(claimCells(c, chinese), width);
    cells[7] = c.losDays;
    cells[10] = c.totalCost / 100; // the nearest double to the two-decimal amount; its shortest text is exact
    cells[11] = c.fundPaid / 100;
    cells[12] = c.patientPaid / 100;
    sheet.addRow(cells).commit();
    rows++;
    if (rows % 2000 === 0) await letZipCatchUp(sheet);
  }
  sheet.commit();
  await workbook.commit();
  return rows;
}

/** Writes claims in the chosen format; returns the number of data rows. */
export async function writeClaims(file: string, claims: Iterable<Claim>, opts: WriteOptions = {}): Promise<number> {
  if ((opts.format ?? 'csv') === 'xlsx') {
    if (opts.encoding === 'gb18030') throw new Error('XLSX files are always Unicode; --encoding applies to CSV only');
    return writeClaimsXlsx(file, claims, { headers: opts.headers, columns: opts.columns });
  }
  return writeClaimsCsv(file, claims, opts);
}
