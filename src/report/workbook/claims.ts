// 明细 Claims: every in-group claim as priced, streamed row by row (nothing is buffered), continued on further
// sheets past the row limit. Returns per-member liability sums for the reconciliation on the Checks sheet.
import { createReadStream, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type ExcelJS from 'exceljs';
import type { RowRef } from '../../claims/source.js';
import type { Fen } from '../../domain/money.js';
import type { PricedClaim } from '../../domain/result.js';
import { CATEGORY_LABEL, METHOD_LABEL, OUTLIER_LABEL, SETTING_LABEL, TIER_LABEL } from './labels.js';
import { type Cell, type Column, FIRST_DATA_ROW, INT_FMT, MONEY_FMT, addr, int, money, num } from './model.js';
import { claimSheetName, sheetTitle } from './names.js';
import { type PricedClaimScanner, spoolClaims } from '../spool.js';
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
  /** A temporary file for the spool (removed afterwards); beside the target, so on the same disk. */
  readonly spoolPath: string;
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
 * Flow control between the worksheet and the zip. exceljs's worksheet stream (a StreamBuf) hands each 64 KiB block
 * to its consumer without waiting, and that consumer is the PassThrough archiver puts in front of every entry
 * (archiver-utils wraps streams that lack `_readableState`). That PassThrough (readable-stream 2.x, which has no
 * `writableLength`/`readableLength` getters) queues every block it is given while deflate — run on the thread pool —
 * works through them a few KiB per event-loop turn; rows come far faster than that, so without a limit the whole
 * uncompressed sheet (~800 B a claim row, 0.8 GB for 1M claims) sits in that queue. `backlog` counts what is queued ahead of deflate, and
 * `zipCaughtUp` waits, on the queue's own 'drain' event, until it is back under the low-water mark.
 */
interface Queue {
  readonly writableLength?: number;
  readonly readableLength?: number;
  readonly _writableState?: { readonly length: number };
  readonly _readableState?: { readonly length: number };
  readonly destroyed?: boolean;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

function sheetStream(ws: Sheet): { buffers?: Array<{ length: number }>; pipes?: Queue[] } | undefined {
  return (ws as unknown as { stream?: { buffers?: Array<{ length: number }>; pipes?: Queue[] } }).stream;
}

/** Bytes the worksheet has written that deflate has not taken yet. */
function backlog(ws: Sheet): number {
  const sb = sheetStream(ws);
  let n = 0;
  for (const b of sb?.buffers ?? []) n += b.length;
  for (const p of sb?.pipes ?? []) {
    n += (p.writableLength ?? p._writableState?.length ?? 0) + (p.readableLength ?? p._readableState?.length ?? 0);
  }
  return n;
}

/** Backlog above which the rows wait for the zip, and below which they resume. */
const HIGH_WATER = 4 << 20;
const LOW_WATER = 1 << 20;
/** A fallback re-check while waiting, in case a 'drain' is missed. */
const RECHECK_MS = 20;

async function zipCaughtUp(ws: Sheet, failed: () => Error | undefined): Promise<void> {
  while (backlog(ws) > LOW_WATER) {
    const err = failed();
    if (err !== undefined) throw err;
    const queue = sheetStream(ws)?.pipes?.[0];
    if (queue === undefined || queue.destroyed === true) throw new Error('the workbook zip stopped before the claim sheet was written');
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        queue.removeListener('drain', done);
        resolve();
      };
      const timer = setTimeout(done, RECHECK_MS);
      queue.once('drain', done);
    });
  }
}

/**
 * Writes the detail sheet(s). The claim scan calls back synchronously, faster than the zip can compress, and offers
 * no way to pause it; so the rows are first spooled to a temporary file with synchronous writes (bounded memory),
 * then replayed into the worksheets, waiting for the zip whenever it falls behind. A sheet is committed when full.
 */
export async function writeClaimSheets(
  wb: Workbook,
  scan: PricedClaimScanner | undefined,
  opts: ClaimSheetOptions,
): Promise<ClaimSheets> {
  if (!Number.isSafeInteger(opts.rowsPerSheet) || opts.rowsPerSheet < 1 || opts.rowsPerSheet > DEFAULT_CLAIM_ROWS_PER_SHEET) {
    throw new Error(`claim rows per sheet must be 1..${DEFAULT_CLAIM_ROWS_PER_SHEET}`);
  }
  try {
    const spooled = scan === undefined ? undefined : await spoolClaims(opts.spoolPath, scan, (p, at) => `${JSON.stringify(claimCells(p, at).map(plain))}\n`);
    const sheets = await replay(wb, scan === undefined ? undefined : opts.spoolPath, opts);
    return { sheets, rows: spooled?.rows ?? 0, liabilityByMember: spooled?.liabilityByMember ?? new Map<string, Fen>() };
  } finally {
    rmSync(opts.spoolPath, { force: true });
  }
}

async function replay(wb: Workbook, spool: string | undefined, opts: ClaimSheetOptions): Promise<Array<{ name: string; firstRow: number; lastRow: number }>> {
  const widths = CLAIM_COLUMNS.map((c) => c.width ?? 12);
  const sheets: Array<{ name: string; firstRow: number; lastRow: number }> = [];
  let ws: Sheet | undefined;
  let inSheet = 0;
  const close = () => {
    const last = sheets[sheets.length - 1];
    if (inSheet > 0) ws!.autoFilter = { from: addr(1, FIRST_DATA_ROW - 1), to: addr(CLAIM_COLUMNS.length, last.lastRow) };
    ws!.commit();
  };
  const open = () => {
    const name = claimSheetName(sheets.length + 1);
    ws = addSheet(wb, name, CLAIM_COLUMNS, widths, 0);
    setColumnFormats(ws);
    writeTitle(ws, sheets.length === 0 ? sheetTitle(name, opts.scenario) : `${sheetTitle(name, opts.scenario)}（续 continued）`, 8);
    writeHeader(ws, CLAIM_COLUMNS);
    sheets.push({ name, firstRow: FIRST_DATA_ROW, lastRow: FIRST_DATA_ROW - 1 });
    inSheet = 0;
  };
  if (spool !== undefined) {
    // An error from the zip ends the wait for it (writeWorkbook then cleans up).
    const zip = (wb as unknown as { zip?: NodeJS.EventEmitter }).zip;
    let zipError: Error | undefined;
    const onZipError = (e: Error) => {
      zipError ??= e;
    };
    zip?.on('error', onZipError);
    const lines = createInterface({ input: createReadStream(spool, { encoding: 'utf8' }), crlfDelay: Infinity });
    try {
      // Every data cell of a column gets the same style, so they share one style object per column and sheet:
      // exceljs caches a style's id by object identity and otherwise serialises each cell's fresh copy to look it up.
      let styles: Array<Partial<ExcelJS.Style>> = [];
      let sinceCheck = 0;
      for await (const line of lines) {
        if (line === '') continue;
        if (ws === undefined || inSheet === opts.rowsPerSheet) {
          if (ws !== undefined) close();
          open();
          styles = [];
        }
        const row = ws!.getRow(FIRST_DATA_ROW + inSheet);
        const values = JSON.parse(line) as Plain[];
        for (let i = 0; i < values.length; i++) {
          if (values[i] === null) continue;
          const cell = row.getCell(i + 1);
          cell.style = styles[i] ??= cell.style;
          cell.value = values[i];
        }
        row.commit();
        inSheet += 1;
        sheets[sheets.length - 1].lastRow = FIRST_DATA_ROW + inSheet - 1;
        if (++sinceCheck === 200) {
          sinceCheck = 0;
          // Deflate runs on the thread pool but needs this thread between its steps: give it a turn now and then.
          if (backlog(ws!) > HIGH_WATER) await zipCaughtUp(ws!, () => zipError);
          else await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      if (zipError !== undefined) throw zipError;
    } finally {
      lines.close();
      zip?.removeListener('error', onZipError);
    }
  }
  if (ws === undefined) {
    open();
    writeCells(ws!, FIRST_DATA_ROW, [opts.note ?? (spool === undefined ? '汇总模式：无结算明细 Aggregate mode: no claim detail' : '无医共体内结算单据 No in-group claims')], 'note');
  }
  close();
  return sheets;
}

const MONEY_COLS = [13, 14, 15, 17, 20];

function setColumnFormats(ws: Sheet): void {
  for (const c of MONEY_COLS) ws.getColumn(c).numFmt = MONEY_FMT;
  ws.getColumn(10).numFmt = INT_FMT;
  ws.getColumn(22).numFmt = '0';
  ws.getColumn(18).numFmt = '#,##0.00##';
  for (const c of [8, 9, 11, 12]) ws.getColumn(c).alignment = { horizontal: 'center' };
}
