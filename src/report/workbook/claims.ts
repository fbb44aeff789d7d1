// 明细 Claims: every in-group claim as priced, streamed row by row (nothing is buffered), continued on further
// sheets past the row limit. The rows' XML is written here, not by exceljs (see ClaimRowXml), straight into the
// sheet's zip entry (src/report/zip.ts); the sheet around them and the styles are exceljs's. Returns per-member
// liability sums for the reconciliation on the Checks sheet.
import type ExcelJS from 'exceljs';
import type { RowRef } from '../../claims/source.js';
import type { Fen } from '../../domain/money.js';
import type { PricedClaim } from '../../domain/result.js';
import { CATEGORY_LABEL, METHOD_LABEL, OUTLIER_LABEL, SETTING_LABEL, TIER_LABEL } from './labels.js';
import { type Cell, type Column, FIRST_DATA_ROW, INT_FMT, MONEY_FMT, addr, col, int, money, num } from './model.js';
import { claimSheetName, sheetTitle } from './names.js';
import type { PricedClaimScanner } from '../spool.js';
import { ZipWriter } from '../zip.js';
import { type Sheet, type Workbook, addSheet, fenToNumber, writeCells, writeHeader, writeTitle } from './render.js';

export const EXCEL_MAX_ROWS = 1_048_576;
/** Claim rows per detail sheet by default: Excel's limit less the title and header rows. */
export const DEFAULT_CLAIM_ROWS_PER_SHEET = EXCEL_MAX_ROWS - (FIRST_DATA_ROW - 1);

export const CLAIM_COLUMNS: readonly Column[] = [
  { zh: '结算单据号', en: 'Claim ID', width: 19 },
  { zh: '原单据号（冲销）', en: 'Reverses', width: 19 },
  { zh: '机构编码', en: 'Member', width: 10 },
  { zh: '层级', en: 'Tier', width: 21 },
  { zh: '个人编号', en: 'Patient ID', width: 14 },
  { zh: '人员类别', en: 'Insured category', width: 18 },
  { zh: '医疗类别', en: 'Setting', width: 16 },
  { zh: '异地', en: 'Out of region', width: 9 },
  { zh: '结算日期', en: 'Service date', width: 12 },
  { zh: '住院天数', en: 'LOS days', width: 9 },
  { zh: 'DRG 分组', en: 'DRG code', width: 10 },
  { zh: 'DIP 病种', en: 'DIP code', width: 10 },
  { zh: '医疗总费用', en: 'Total cost', width: 14 },
  { zh: '统筹支付', en: 'Fund paid', width: 14 },
  { zh: '个人负担', en: 'Patient paid', width: 14 },
  { zh: '支付方式', en: 'Payment method', width: 26 },
  { zh: '支付标准', en: 'Payment standard', width: 16 },
  { zh: '分值', en: 'Points', width: 11 },
  { zh: '偏差病例', en: 'Outlier', width: 12 },
  { zh: '医保支付', en: 'Liability', width: 14 },
  { zh: '来源文件', en: 'Source file', width: 28 },
  { zh: '行号', en: 'Row', width: 9 },
];

/** 1-based columns the Checks sheet's SUMIF uses. */
export const CLAIM_COL = { member: 3, liability: 20 } as const;

export function claimCells(p: PricedClaim, at: RowRef): Cell[] {
  const c = p.claim;
  return [
    c.claimId,
    c.reverses === '' ? null : c.reverses,
    p.memberId,
    TIER_LABEL[p.tier],
    c.patientId,
    CATEGORY_LABEL[c.category],
    SETTING_LABEL[c.setting] ?? c.setting,
    c.outOfRegion ? '是' : '否',
    c.serviceDate,
    int(c.losDays),
    c.drgCode === '' ? null : c.drgCode,
    c.dipCode === '' ? null : c.dipCode,
    money(c.totalCost),
    money(c.fundPaid),
    money(c.patientPaid),
    METHOD_LABEL[p.method],
    p.standard === undefined ? null : money(p.standard),
    p.points === undefined ? null : num(p.points.toFixed(), '#,##0.00##'),
    p.special ? '特例单议 special case' : OUTLIER_LABEL[p.outlier],
    money(p.liability),
    at.file,
    int(at.row),
  ];
}

export interface ClaimSheets {
  /** Each detail sheet with the worksheet rows its claims occupy. */
  readonly sheets: ReadonlyArray<{ readonly name: string; readonly firstRow: number; readonly lastRow: number }>;
  readonly rows: number;
  readonly liabilityByMember: ReadonlyMap<string, Fen>;
}

export interface ClaimSheetOptions {
  readonly rowsPerSheet: number;
  readonly scenario: { readonly name: string; readonly year: number; readonly groupId: string };
  readonly note?: string;
}

type Plain = string | number | null;

const plain = (cell: Cell): Plain => {
  if (cell === null || typeof cell === 'string') return cell;
  if (cell.t === 'money') return fenToNumber(cell.fen);
  if (cell.t === 'int') return cell.v;
  if (cell.t === 'num') return Number(cell.text);
  return cell.v;
};

/**
 * Text as exceljs writes it into XML (utils.xmlEncode): the five markup characters escaped, control characters other
 * than tab, line feed and carriage return (and DEL) dropped.
 */
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;
export function xmlText(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) out += '&quot;';
    else if (c === 38) out += '&amp;';
    else if (c === 39) out += '&apos;';
    else if (c === 60) out += '&lt;';
    else if (c === 62) out += '&gt;';
    else if (c === 127 || (c <= 31 && (c <= 8 || (c >= 11 && c !== 13)))) continue;
    else out += text[i];
  }
  return out;
}

/** The style keys a cell takes from its column (exceljs Cell._mergeStyle with an empty row style). */
const STYLE_KEYS = ['numFmt', 'font', 'alignment', 'border', 'fill', 'protection'] as const;

/**
 * `String(fen / 100)`, the text exceljs writes for a money cell, from the integer: the amount with two decimals,
 * trailing zeros (and a bare point) dropped. Equal for |fen| < 10^14 (then fen / 100 has at most 15 significant
 * digits, so the shortest round-trip text of the double is that decimal; a property test checks it); beyond, the
 * double's own text.
 */
export function fenNumberText(fen: number): string {
  if (!(fen > -1e14 && fen < 1e14) || !Number.isInteger(fen)) return String(fen / 100);
  const abs = fen < 0 ? -fen : fen;
  const yuan = Math.floor(abs / 100);
  const cents = abs - yuan * 100;
  const sign = fen < 0 ? '-' : '';
  if (cents === 0) return `${sign}${yuan}`;
  if (cents % 10 === 0) return `${sign}${yuan}.${cents / 10}`;
  return `${sign}${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

const NOT_ASCII = /[^\x00-\x7f]/;
/** Text that XML and UTF-8 take as it is: printable ASCII but the markup characters, and tab, line feed, return. */
const AS_IS = /^[\t\n\r\x20\x21\x23-\x25\x28-\x3b\x3d\x3f-\x7e]*$/;

/** Text as a byte string of its UTF-8 (the same text when it is ASCII). */
function utf8Bytes(text: string): string {
  return NOT_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** At most this many distinct texts per column keep their finished cell XML (labels, codes, members, files). */
const CACHED_TEXTS = 4096;

/**
 * A claim row as the XML exceljs's streaming writer renders for it (row-xform / cell-xform: the same `spans`, style
 * ids, `t="str"` text and number text), built directly: exceljs's Row and Cell objects and its XML stream cost about
 * 20 µs a row, most of the workbook's time at 1M claims. The sheet XML is byte-identical (a test compares it with
 * exceljs's own rendering of the same rows), and the style ids come from the workbook's own style table.
 */
export class ClaimRowXml {
  /** Per column, the cell's start up to its row number: `<c r="` and the column letter. */
  private readonly cellOpen = CLAIM_COLUMNS.map((_, i) => `<c r="${col(i + 1)}`);
  /** Per column, the ` s="…"` attribute of a text cell and of a number cell ('' for style 0), once known. */
  private readonly textStyle: Array<string | undefined> = [];
  private readonly numberStyle: Array<string | undefined> = [];
  /** Per column, text → the cell's XML after its address (`" s=… t="str"><v>…</v></c>`), while the column has few texts. */
  private readonly textCells: Array<Map<string, string> | undefined> = CLAIM_COLUMNS.map(() => new Map());

  constructor(
    private readonly wb: Workbook,
    private readonly ws: Sheet,
  ) {}

  private styleAttr(i: number, type: ExcelJS.ValueType): string {
    const column = this.ws.getColumn(i + 1) as unknown as { style: Record<string, unknown> };
    const style: Record<string, unknown> = {};
    for (const k of STYLE_KEYS) if (column.style[k]) style[k] = column.style[k];
    const styles = (this.wb as unknown as { styles: { addStyleModel(style: unknown, type: ExcelJS.ValueType): number } }).styles;
    const id = styles.addStyleModel(style, type);
    return id ? ` s="${id}"` : '';
  }

  private textCell(i: number, text: string): string {
    const cache = this.textCells[i];
    const hit = cache?.get(text);
    if (hit !== undefined) return hit;
    const s = (this.textStyle[i] ??= this.styleAttr(i, VALUE_STRING));
    const xml = AS_IS.test(text) ? `"${s} t="str"><v>${text}</v></c>` : utf8Bytes(`"${s} t="str"><v>${xmlText(text)}</v></c>`);
    if (cache !== undefined) {
      if (cache.size < CACHED_TEXTS) cache.set(text, xml);
      else this.textCells[i] = undefined; // many distinct texts (ids, dates): not worth keeping
    }
    return xml;
  }

  private numberCell(i: number, text: string): string {
    return `"${(this.numberStyle[i] ??= this.styleAttr(i, VALUE_NUMBER))}><v>${text}</v></c>`;
  }

  /**
   * The row's XML as a byte string: each character one byte of its UTF-8 (write it with the 'latin1' encoding).
   * Labels in Chinese would otherwise make every row a two-byte string, encoded again on every write.
   */
  row(cells: readonly Cell[], rowNumber: number): string {
    let first = 0;
    let last = 0;
    let body = '';
    const r = String(rowNumber); // once, not once a cell
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell === null) continue;
      let rest: string;
      if (typeof cell === 'string') rest = this.textCell(i, cell);
      else if (cell.t === 'money') rest = this.numberCell(i, fenNumberText(cell.fen));
      else if (cell.t === 'int') rest = this.numberCell(i, String(cell.v));
      else if (cell.t === 'num') rest = this.numberCell(i, String(Number(cell.text)));
      else rest = this.textCell(i, cell.v);
      if (first === 0) first = i + 1;
      last = i + 1;
      body += this.cellOpen[i] + r + rest;
    }
    if (first === 0) return '';
    return `<row r="${r}" spans="${first}:${last}" x14ac:dyDescent="0.25">${body}</row>`;
  }
}

// exceljs's Enums.ValueType (the cell type a style is registered for).
const VALUE_NUMBER = 2 as ExcelJS.ValueType;
const VALUE_STRING = 3 as ExcelJS.ValueType;

/**
 * Writes the detail sheet(s). Each claim's row XML goes straight into the sheet's zip entry as the scan visits it
 * (ZipWriter.writeLatin1): the zip deflates in blocks, on the thread pool or, when that is busy, at once, so the
 * synchronous scan needs no pausing and memory stays bounded; no spool, no copy. A sheet is committed when full and
 * the next one opened when a further claim comes.
 */
export async function writeClaimSheets(
  wb: Workbook,
  scan: PricedClaimScanner | undefined,
  opts: ClaimSheetOptions,
): Promise<ClaimSheets> {
  if (!Number.isSafeInteger(opts.rowsPerSheet) || opts.rowsPerSheet < 1 || opts.rowsPerSheet > DEFAULT_CLAIM_ROWS_PER_SHEET) {
    throw new Error(`claim rows per sheet must be 1..${DEFAULT_CLAIM_ROWS_PER_SHEET}`);
  }
  const zip = (wb as unknown as { zip?: unknown }).zip;
  if (!(zip instanceof ZipWriter)) throw new Error('claim sheets need the workbook from streamWorkbook (its zip)');
  const widths = CLAIM_COLUMNS.map((c) => c.width ?? 12);
  const sheets: Array<{ name: string; firstRow: number; lastRow: number }> = [];
  let ws: Sheet | undefined;
  const open = (): Sheet => {
    const name = claimSheetName(sheets.length + 1);
    ws = addSheet(wb, name, CLAIM_COLUMNS, widths, 0);
    setColumnFormats(ws);
    writeTitle(ws, sheets.length === 0 ? sheetTitle(name, opts.scenario) : `${sheetTitle(name, opts.scenario)}（续 continued）`, 8);
    writeHeader(ws, CLAIM_COLUMNS);
    sheets.push({ name, firstRow: FIRST_DATA_ROW, lastRow: FIRST_DATA_ROW - 1 });
    return ws;
  };
  const close = (rows: number) => {
    const last = sheets[sheets.length - 1];
    if (rows > 0) ws!.autoFilter = { from: addr(1, FIRST_DATA_ROW - 1), to: addr(CLAIM_COLUMNS.length, last.lastRow) };
    ws!.commit();
  };
  /** The sheet's zip entry, with what exceljs has written of the sheet so far (up to the header row) passed on. */
  const rowsEntry = (sheet: Sheet) => {
    const stream = (sheet as unknown as { stream: { uncork(): void } }).stream;
    stream.uncork(); // exceljs's StreamBuf hands over the data it holds back
    const entry = zip.entryOf(stream);
    if (entry === undefined) throw new Error('exceljs worksheet stream is not in the workbook zip');
    return entry;
  };
  // The first sheet is opened before the scan: its title and header are written, its column styles registered.
  const firstSheet = open();
  const byMember = new Map<string, Fen>();
  let rows = 0;
  let inSheet = 0;
  if (scan !== undefined) {
    const xml = new ClaimRowXml(wb, firstSheet);
    const perSheet = opts.rowsPerSheet;
    let entry = rowsEntry(firstSheet);
    await scan((p, at) => {
      if (inSheet === perSheet) {
        close(perSheet);
        entry = rowsEntry(open());
        inSheet = 0;
      }
      zip.writeLatin1(entry, xml.row(claimCells(p, at), FIRST_DATA_ROW + inSheet));
      inSheet += 1;
      rows += 1;
      sheets[sheets.length - 1].lastRow = FIRST_DATA_ROW + inSheet - 1;
      byMember.set(p.memberId, (byMember.get(p.memberId) ?? 0) + p.liability);
    });
  }
  if (rows === 0) {
    writeCells(ws!, FIRST_DATA_ROW, [opts.note ?? (scan === undefined ? '汇总模式：无结算明细 Aggregate mode: no claim detail' : '无医共体内结算单据 No in-group claims')], 'note');
  }
  close(inSheet);
  return { sheets, rows, liabilityByMember: byMember };
}

const MONEY_COLS = [13, 14, 15, 17, 20];

/** The claim sheet's column formats (money, bed-days, row, points; centred flags, dates and codes). */
export function setColumnFormats(ws: Sheet): void {
  for (const c of MONEY_COLS) ws.getColumn(c).numFmt = MONEY_FMT;
  ws.getColumn(10).numFmt = INT_FMT;
  ws.getColumn(22).numFmt = '0';
  ws.getColumn(18).numFmt = '#,##0.00##';
  for (const c of [8, 9, 11, 12]) ws.getColumn(c).alignment = { horizontal: 'center' };
}
