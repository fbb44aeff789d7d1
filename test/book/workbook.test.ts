// The book workbook (`book status --xlsx`), read back cell by cell with exceljs: the sheets and their order, the
// members × months paid adding up (live SUMs re-evaluated here) to each month's paid and each member's Σ paid, the
// clearing's Y = T − Σ paid, the supplement's differences, the journal's hash chain, the batches' rows.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookClear, bookClose, bookImport, bookInit, bookLock, bookSupplement, loadBook, withBook } from '../../src/app/book.js';
import type { BookState } from '../../src/book/state.js';
import { InputRejected } from '../../src/domain/errors.js';
import { writeBookWorkbook } from '../../src/report/workbook/book.js';
import { BOOK_SHEET, SHEET } from '../../src/report/workbook/names.js';
import { SMALL_YEAR, claimsFile, ctx, row } from './fixtures.js';


let root: string;
const file = (name: string, rows: string[]) => claimsFile(root, name, rows);

/**
 * January (H01 50,000, T01 20,000, out-of-group X01 10,000) and March (H01 30,000, V01 1,000) imported and the
 * whole year closed; `lock` clears and locks it; `late` then imports a reversal of T01's January claim and a new
 * February claim, and posts a supplement.
 */
async function book(name: string, stage: 'open' | 'lock' | 'late'): Promise<string> {
  const dir = join(root, name);
  const scenario = join(root, 'policy.yaml');
  writeFileSync(scenario, SMALL_YEAR);
  await bookInit(dir, scenario, ctx);
  const jan = file(`${name}-01.csv`, [row('A1', 'H01', '2024-01-10', '50000'), row('A2', 'T01', '2024-01-11', '20000'), row('A3', 'X01', '2024-01-12', '10000')]);
  const mar = file(`${name}-03.csv`, [row('C1', 'H01', '2024-03-05', '30000'), row('C2', 'V01', '2024-03-06', '1000')]);
  await withBook(dir, 'test', (s) => bookImport(s, [jan, mar], ctx));
  await withBook(dir, 'test', async (s) => {
    for (let m = 1; m <= (stage === 'open' ? 2 : 12); m++) await bookClose(s, `2024-${String(m).padStart(2, '0')}`, ctx);
    if (stage === 'open') return;
    await bookClear(s, ctx);
    await bookLock(s, ctx);
  });
  if (stage === 'late') {
    const late = file(`${name}-late.csv`, [row('R2', 'T01', '2024-01-20', '-20000', 'A2'), row('B1', 'T01', '2024-02-20', '5000')]);
    await withBook(dir, 'test', (s) => bookImport(s, [late], ctx));
    await withBook(dir, 'test', (s) => bookSupplement(s, ctx));
  }
  return dir;
}

async function writeAndRead(dir: string, out: string): Promise<{ wb: ExcelJS.Workbook; state: BookState }> {
  const state = await withBook(dir, 'test', async (store) => {
    const { state, events } = await loadBook(store);
    await writeBookWorkbook(out, state, events, store);
    return state;
  });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  return { wb, state };
}

// ---------------------------------------------------------------- reading cells back

type Value = ExcelJS.CellValue;
const sheet = (wb: ExcelJS.Workbook, name: string) => {
  const ws = wb.getWorksheet(name);
  if (ws === undefined) throw new Error(`no sheet ${name}`);
  return ws;
};
const resultOf = (v: Value): unknown => (v !== null && typeof v === 'object' && 'formula' in v ? v.result : v);
const formulaOf = (v: Value): string | undefined => (v !== null && typeof v === 'object' && 'formula' in v ? v.formula : undefined);
/** A money cell in fen (Excel holds yuan as a double; two decimals round-trip exactly through ×100 and rounding). */
const fen = (v: Value): number => Math.round(Number(resultOf(v) ?? 0) * 100);
const text = (v: Value): string => String(resultOf(v) ?? '');

/** Evaluates the formulas the book sheets use for sums: SUM(range), a ± b of cells, and references to other sheets. */
function evaluate(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, formula: string): number {
  const cellFen = (target: ExcelJS.Worksheet, ref: string): number => fen(target.getCell(ref.replace(/\$/g, '')).value);
  return formula
    .split(/(?=[+-])/)
    .map((term) => {
      const sign = term.startsWith('-') ? -1 : 1;
      const t = term.replace(/^[+-]/, '');
      const sum = /^SUM\((\$?[A-Z]+\$?\d+):(\$?[A-Z]+\$?\d+)\)$/.exec(t);
      if (sum) {
        const [a, b] = [ws.getCell(sum[1].replace(/\$/g, '')), ws.getCell(sum[2].replace(/\$/g, ''))];
        let s = 0;
        for (let r = Number(a.row); r <= Number(b.row); r++) for (let c = Number(a.col); c <= Number(b.col); c++) s += fen(ws.getCell(r, c).value);
        return sign * s;
      }
      const other = /^'(.+)'!(\$?[A-Z]+\$?\d+)$/.exec(t);
      if (other) return sign * cellFen(sheet(wb, other[1].replace(/''/g, "'")), other[2]);
      if (/^\$?[A-Z]+\$?\d+$/.test(t)) return sign * cellFen(ws, t);
      throw new Error(`cannot evaluate ${formula}`);
    })
    .reduce((a, b) => a + b, 0);
}

/** Worksheet rows from the first data row on, as arrays of values (index 0 = column A). */
function dataRows(ws: ExcelJS.Worksheet): Array<{ n: number; cells: Value[] }> {
  const out: Array<{ n: number; cells: Value[] }> = [];
  for (let r = 3; r <= ws.rowCount; r++) {
    const cells: Value[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(ws.getCell(r, c).value);
    out.push({ n: r, cells });
  }
  return out;
}

/** The late book's workbook, written once and read by most tests. */
let late: { wb: ExcelJS.Workbook; state: BookState };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'yibao-book-wb-'));
  late = await writeAndRead(await book('late', 'late'), join(root, 'late.xlsx'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('book workbook', () => {
  it('has the book sheets around the clearing sheets, in order, with bilingual frozen headers', async () => {
    const { wb } = late;
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      BOOK_SHEET.monthly,
      BOOK_SHEET.monthlyByMember,
      BOOK_SHEET.clearing,
      SHEET.summary,
      SHEET.budget,
      SHEET.prepayments,
      SHEET.outOfGroup,
      SHEET.members,
      SHEET.methods,
      SHEET.outOfGroupAnalysis,
      SHEET.kpis,
      SHEET.claims,
      SHEET.checks,
      SHEET.parameters,
      BOOK_SHEET.supplements,
      BOOK_SHEET.journal,
      BOOK_SHEET.batches,
    ]);
    const monthly = sheet(wb, BOOK_SHEET.monthly);
    expect(text(monthly.getCell('A2').value)).toBe('月份\nMonth');
    expect(monthly.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(monthly.getCell('L3').numFmt).toBe('#,##0.00');
    // The clearing's checks all pass, including the per-member reconciliation of the claim detail.
    const checks = dataRows(sheet(wb, SHEET.checks));
    expect(text(checks[checks.length - 1].cells[6])).toBe('OK');
    expect(checks.filter((r) => text(r.cells[6]) === 'FAIL')).toEqual([]);
    // The claim detail: every in-group claim of the batches the locked clearing used, none of the later batch.
    const claims = dataRows(sheet(wb, SHEET.claims)).map((r) => r.cells[0]);
    expect(claims).toEqual(['A1', 'A2', 'C1', 'C2']);
  });

  it('adds the members × months paid up to each month’s paid and to each member’s Σ paid', async () => {
    const { wb, state } = late;
    const monthly = sheet(wb, BOOK_SHEET.monthly);
    const byMember = sheet(wb, BOOK_SHEET.monthlyByMember);
    const rows = dataRows(byMember);
    const members = state.versions[0].scenario.group.members;
    const total = rows[members.length];
    expect(text(total.cells[0])).toBe('合计');
    for (let i = 0; i < 12; i++) {
      const c = 3 + i; // D… (0-based index)
      const f = formulaOf(total.cells[c])!;
      expect(f).toMatch(/^SUM\(/);
      // The SUM down the column, evaluated over the cells, gives the cached value, the month's paid on the Monthly
      // sheet (row 3 + i, column L) and the book's figure.
      expect(evaluate(wb, byMember, f)).toBe(fen(total.cells[c]));
      expect(fen(total.cells[c])).toBe(fen(monthly.getCell(3 + i, 12).value));
      expect(fen(total.cells[c])).toBe(state.months[i].paid);
      expect(text(rows[members.length + 3].cells[c])).toBe('OK');
    }
    const clearing = state.locked!.figures;
    members.forEach((m, j) => {
      const r = rows[j];
      expect(r.cells[0]).toBe(m.id);
      const f = formulaOf(r.cells[15])!;
      expect(evaluate(wb, byMember, f)).toBe(fen(r.cells[15]));
      expect(fen(r.cells[15])).toBe(clearing.members.find((x) => x.id === m.id)!.paid);
    });
    expect(fen(total.cells[15])).toBe(clearing.settlement.paid);
    // Each month's row on the Monthly sheet: W = L + C, withheld = W − paid and the room as live formulas.
    for (let i = 0; i < 12; i++) {
      for (const col of [8, 11, 13]) {
        const v = monthly.getCell(3 + i, col).value;
        expect(evaluate(wb, monthly, formulaOf(v)!)).toBe(fen(v));
      }
      expect(fen(monthly.getCell(3 + i, 11).value)).toBe(state.months[i].room);
    }
  });

  it('states the clearing as locked: Y = T − Σ paid, members’ clearing = total − paid', async () => {
    const { wb, state } = late;
    const f = state.locked!.figures;
    const summary = dataRows(sheet(wb, SHEET.summary));
    const Y = summary.find((r) => r.cells[0] === 'Y')!;
    expect(fen(Y.cells[3])).toBe(f.settlement.yearEndPayment);
    expect(evaluate(wb, sheet(wb, SHEET.summary), formulaOf(Y.cells[3])!)).toBe(f.settlement.yearEndPayment);
    const clearing = sheet(wb, BOOK_SHEET.clearing);
    const rows = dataRows(clearing);
    for (const m of f.members) {
      const r = rows.find((x) => x.cells[0] === m.id)!;
      expect([fen(r.cells[3]), fen(r.cells[4]), fen(r.cells[5])]).toEqual([m.total, m.paid, m.clearing]);
      for (const c of [3, 4, 5]) expect(evaluate(wb, clearing, formulaOf(r.cells[c])!)).toBe(fen(r.cells[c]));
    }
    const y = rows.find((x) => x.cells[0] === 'Y')!;
    expect(fen(y.cells[3])).toBe(f.settlement.yearEndPayment);
    expect(evaluate(wb, clearing, formulaOf(y.cells[3])!)).toBe(f.settlement.yearEndPayment);
    expect(text(rows.find((x) => x.cells[0] === '校验 check')!.cells[5])).toBe('OK');
  });

  it('lists each supplement’s differences, adding up to the clearing from scratch', async () => {
    const { wb, state } = late;
    const ws = sheet(wb, BOOK_SHEET.supplements);
    const rows = dataRows(ws);
    const d = state.supplements[0].difference;
    const scratch = state.supplements[0].clearing.figures;
    // Columns: key, item, item (en), locked, supplement 1, Σ, locked + Σ, from scratch, check.
    const T = rows.find((r) => r.cells[0] === 'groupTotal')!;
    expect(fen(T.cells[3])).toBe(state.locked!.figures.settlement.groupTotal);
    expect(fen(T.cells[4])).toBe(d.settlement.groupTotal);
    expect(fen(T.cells[6])).toBe(scratch.settlement.groupTotal);
    const t01 = rows.filter((r) => r.cells[0] === 'T01');
    expect(t01.map((r) => fen(r.cells[4]))).toEqual([d.members.find((m) => m.id === 'T01')!.total, d.members.find((m) => m.id === 'T01')!.clearing]);
    expect(d.members.find((m) => m.id === 'T01')!.total).not.toBe(0);
    for (const r of rows.filter((x) => formulaOf(x.cells[6]) !== undefined)) {
      expect(evaluate(wb, ws, formulaOf(r.cells[6])!)).toBe(fen(r.cells[7]));
      expect(text(r.cells[8])).toBe('OK');
    }
    expect(text(rows.find((r) => r.cells[0] === '批次')!.cells[4])).toBe('#3 late-late.csv');
  });

  it('chains the journal: each transaction follows the hash of the one above, postings sum to 0.00', async () => {
    const { wb, state } = late;
    const ws = sheet(wb, BOOK_SHEET.journal);
    const rows = dataRows(ws);
    const txs = rows.filter((r) => /^[0-9a-f]{64}$/.test(text(r.cells[10])));
    expect(txs.map((r) => [resultOf(r.cells[0]), text(r.cells[10]), text(r.cells[11])])).toEqual(state.journal.map((t) => [t.seq, t.hash, t.prev]));
    expect(text(txs[0].cells[11])).toBe('');
    for (let i = 1; i < txs.length; i++) expect(text(txs[i].cells[11])).toBe(text(txs[i - 1].cells[10]));
    for (const t of txs) expect(text(t.cells[12])).toBe('OK');
    expect(txs.map((r) => text(r.cells[2]))).toEqual(['年初预算 opening', ...Array(12).fill('月度预结算 monthly'), '年终清算 clearing', '补充清算 supplement']);
    // One row per posting under its transaction.
    const postings = rows.filter((r) => typeof resultOf(r.cells[0]) === 'number' && text(r.cells[5]) !== '');
    expect(postings).toHaveLength(state.journal.reduce((a, t) => a + t.postings.length, 0));
    const total = rows.find((r) => r.cells[0] === '合计')!;
    expect(fen(total.cells[7])).toBe(0);
    expect(evaluate(wb, ws, formulaOf(total.cells[7])!)).toBe(0);
    expect(text(total.cells[12])).toBe('OK');
  });

  it('lists the batches with their hashes, rows by month and late rows', async () => {
    const { wb, state } = late;
    const ws = sheet(wb, BOOK_SHEET.batches);
    const rows = dataRows(ws).slice(0, state.batches.length);
    expect(rows.map((r) => [resultOf(r.cells[0]), r.cells[1], r.cells[2], resultOf(r.cells[5]), resultOf(r.cells[6])])).toEqual(
      state.batches.map((b) => [b.seq, b.file, b.sha256, b.rows, b.late]),
    );
    expect(rows.map((r) => [resultOf(r.cells[4]), text(r.cells[21])])).toEqual([
      [0, '年终清算（锁定） locked clearing'],
      [0, '年终清算（锁定） locked clearing'],
      [12, '第 1 次补充清算 supplement 1'],
    ]);
    expect(resultOf(rows[2].cells[6])).toBe(2); // both late rows (January and February, closed at import)
    for (const r of rows) {
      expect(resultOf(r.cells[19])).toBe(resultOf(r.cells[5]));
      expect(text(r.cells[20])).toBe('OK');
    }
  });

  it('before the clearing: the book sheets only, the clearing sheet says why', async () => {
    const { wb, state } = await writeAndRead(await book('open', 'open'), join(root, 'open.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual([BOOK_SHEET.monthly, BOOK_SHEET.monthlyByMember, BOOK_SHEET.clearing, BOOK_SHEET.supplements, BOOK_SHEET.journal, BOOK_SHEET.batches]);
    expect(text(sheet(wb, BOOK_SHEET.clearing).getCell('A4').value)).toContain('No year-end clearing yet: 2/12 months closed');
    const monthly = dataRows(sheet(wb, BOOK_SHEET.monthly));
    expect(text(monthly[2].cells[1])).toBe('未月结 open');
    expect(fen(monthly[2].cells[4])).toBe(state.installments[2]);
  });

  it('writes nothing when the stored clearing does not re-derive from the stored inputs', async () => {
    const dir = await book('tampered', 'lock');
    const out = join(root, 'out', 'tampered.xlsx');
    const err = await withBook(dir, 'test', async (store) => {
      const { state, events } = await loadBook(store);
      // A claims port that has lost every claim: the recomputed clearing differs from the stored one.
      return writeBookWorkbook(out, state, events, { dir, scan: async () => 0 }).catch((e: unknown) => e);
    });
    expect(err).toBeInstanceOf(InputRejected);
    expect((err as InputRejected).errors[0].en).toContain('differs from its recomputation');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(root, 'out')) ? readdirSync(join(root, 'out')) : []).toEqual([]);
  });
});
