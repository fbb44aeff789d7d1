// Renders a SheetModel into a worksheet of exceljs's streaming writer: title, bilingual header (中文 over English),
// typed cells with number formats, live formulas with their cached results, frozen header, filter, print setup.
import type ExcelJS from 'exceljs';
import { formatFenGrouped } from '../../domain/money.js';
import {
  type Cell,
  type Column,
  FIRST_DATA_ROW,
  HEADER_ROW,
  INT_FMT,
  MONEY_FMT,
  type RowKind,
  type SheetModel,
  TITLE_ROW,
  addr,
  assertSheetName,
  cellText,
  displayWidth,
} from './model.js';

export type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;
export type Sheet = ExcelJS.Worksheet;

const FONT = 'Microsoft YaHei'; // a CJK UI font in Excel; LibreOffice substitutes Noto Sans CJK
const THIN = { style: 'thin' as const, color: { argb: 'FFB7B7B7' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE7F3' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const SECTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF5E9' } };

/** Money as the number Excel stores (a double); the authoritative figure stays integer fen in the result. */
export const fenToNumber = (fen: number): number => fen / 100;

export function addSheet(wb: Workbook, name: string, columns: readonly Column[], widths: readonly number[], filterRows: number): Sheet {
  const ws = wb.addWorksheet(assertSheetName(name), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${FIRST_DATA_ROW}`, activeCell: `A${FIRST_DATA_ROW}` }],
    pageSetup: {
      orientation: 'landscape',
      paperSize: 9, // A4
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&L&A&R&P / &N' },
    properties: { defaultRowHeight: 18 },
  });
  ws.columns = columns.map((c, i) => ({ key: `c${i}`, width: widths[i] }));
  if (filterRows > 0) ws.autoFilter = { from: addr(1, HEADER_ROW), to: addr(columns.length, HEADER_ROW + filterRows) };
  return ws;
}

export function writeTitle(ws: Sheet, title: string, width: number): void {
  const row = ws.getRow(TITLE_ROW);
  const c = row.getCell(1);
  c.value = title;
  c.font = { name: FONT, bold: true, size: 13 };
  c.alignment = { vertical: 'middle' };
  row.height = 24;
  if (width > 1) ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, width);
  row.commit();
}

export function writeHeader(ws: Sheet, columns: readonly Column[]): void {
  const row = ws.getRow(HEADER_ROW);
  columns.forEach((column, i) => {
    const c = row.getCell(i + 1);
    c.value = `${column.zh}\n${column.en}`;
    c.font = { name: FONT, bold: true, size: 10 };
    c.fill = HEADER_FILL;
    c.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    c.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  });
  row.height = 32;
  row.commit();
}

function cellValue(cell: Cell): ExcelJS.CellValue {
  if (cell === null) return null;
  if (typeof cell === 'string') return cell;
  switch (cell.t) {
    case 'int':
      return cell.f === undefined ? cell.v : { formula: cell.f, result: cell.v };
    case 'money': {
      const n = fenToNumber(cell.fen);
      return cell.f === undefined ? n : { formula: cell.f, result: n };
    }
    case 'num': {
      const n = Number(cell.text);
      return cell.f === undefined ? n : { formula: cell.f, result: n };
    }
    case 'str':
      return { formula: cell.f, result: cell.v };
  }
}

function numFmtOf(cell: Cell): string | undefined {
  if (cell === null || typeof cell === 'string') return undefined;
  if (cell.t === 'money') return MONEY_FMT;
  if (cell.t === 'int') return INT_FMT;
  if (cell.t === 'num') return cell.fmt;
  return undefined;
}

/** Writes one row of cells at `rowNumber` and commits it. */
export function writeCells(ws: Sheet, rowNumber: number, cells: readonly Cell[], kind: RowKind = 'data'): void {
  const row = ws.getRow(rowNumber);
  const bold = kind === 'total' || kind === 'subtotal' || kind === 'section';
  cells.forEach((cell, i) => {
    if (cell === null && kind !== 'total' && kind !== 'subtotal' && kind !== 'section') return;
    const c = row.getCell(i + 1);
    c.value = cellValue(cell);
    const fmt = numFmtOf(cell);
    if (fmt !== undefined) c.numFmt = fmt;
    c.font = { name: FONT, size: 10, bold, italic: kind === 'note', color: kind === 'note' ? { argb: 'FF555555' } : undefined };
    if ((typeof cell === 'object' && cell !== null && cell.t === 'str') || cell === 'OK' || cell === 'FAIL') c.alignment = { vertical: 'middle', horizontal: 'center' };
    else if (typeof cell === 'string' || cell === null) c.alignment = { vertical: 'middle', wrapText: kind === 'data', indent: i > 0 ? 1 : 0 };
    else c.alignment = { vertical: 'middle' };
    if (kind === 'total' || kind === 'subtotal') {
      c.fill = TOTAL_FILL;
      c.border = { top: THIN, bottom: kind === 'total' ? { style: 'double', color: { argb: 'FF808080' } } : THIN };
    } else if (kind === 'section') {
      c.fill = SECTION_FILL;
    }
  });
  row.commit();
}

/** Column widths from the header and the content (CJK counts double), between 8 and 60 characters. */
export function widthsOf(model: Pick<SheetModel, 'columns' | 'rows'>): number[] {
  return model.columns.map((column, i) => {
    if (column.width !== undefined) return column.width;
    let w = Math.max(displayWidth(column.zh), displayWidth(column.en));
    for (const r of model.rows) {
      if (r.kind === 'note' || r.kind === 'section') continue; // notes spill over empty cells to the right
      const cell = r.cells[i];
      if (cell === undefined || cell === null) continue;
      // An exact decimal shows in its number format, not at full precision.
      const shown = typeof cell === 'object' && cell.t === 'num' ? Math.min(16, cell.text.length + 2) : displayWidth(cellText(cell, formatFenGrouped));
      w = Math.max(w, shown);
    }
    return Math.min(60, Math.max(8, w + 2));
  });
}

export function renderSheet(wb: Workbook, model: SheetModel): void {
  const ws = addSheet(wb, model.name, model.columns, widthsOf(model), model.filterRows);
  writeTitle(ws, model.title, model.columns.length);
  writeHeader(ws, model.columns);
  model.rows.forEach((r, i) => {
    const kind = r.kind ?? 'data';
    // Shaded rows span the whole table.
    const cells = kind === 'section' || kind === 'total' || kind === 'subtotal' ? model.columns.map((_, j) => r.cells[j] ?? null) : r.cells;
    writeCells(ws, FIRST_DATA_ROW + i, cells, kind);
  });
  ws.commit();
}
