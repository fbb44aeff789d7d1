// The claim sheet's rows are written as XML by ClaimRowXml, not by exceljs: the sheet must be byte for byte the XML
// exceljs's streaming writer renders for the same cells (and the same style table), for any text and amount.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { unzip } from '../helpers/unzip.js';
import { CLAIM_COLUMNS, ClaimRowXml, fenNumberText, setColumnFormats, xmlText } from '../../src/report/workbook/claims.js';
import { type Cell, FIRST_DATA_ROW, int, money, num } from '../../src/report/workbook/model.js';
import { addSheet, fenToNumber, writeHeader, writeTitle } from '../../src/report/workbook/render.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;
console.log(`[claim-xml] fast-check seed ${seed}`);
const dir = mkdtempSync(join(tmpdir(), 'yibao-claim-xml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const plain = (cell: Cell): string | number | null => {
  if (cell === null || typeof cell === 'string') return cell;
  if (cell.t === 'money') return fenToNumber(cell.fen);
  if (cell.t === 'int') return cell.v;
  if (cell.t === 'num') return Number(cell.text);
  return cell.v;
};

/** A workbook with one claim sheet of `rows`, its rows written by exceljs (Row/Cell objects) or by ClaimRowXml. */
async function claimSheet(rows: readonly Cell[][], how: 'exceljs' | 'xml'): Promise<Map<string, Buffer>> {
  const file = join(dir, `${how}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const ws = addSheet(wb, '明细 Claims', CLAIM_COLUMNS, CLAIM_COLUMNS.map((c) => c.width ?? 12), 0);
  setColumnFormats(ws);
  writeTitle(ws, '标题 title', 8);
  writeHeader(ws, CLAIM_COLUMNS);
  if (how === 'exceljs') {
    const styles: Array<Partial<ExcelJS.Style>> = [];
    rows.forEach((cells, r) => {
      const row = ws.getRow(FIRST_DATA_ROW + r);
      cells.forEach((cell, i) => {
        if (cell === null) return;
        const c = row.getCell(i + 1);
        c.style = styles[i] ??= c.style;
        c.value = plain(cell);
      });
      row.commit();
    });
  } else {
    const xml = new ClaimRowXml(wb, ws);
    const text = rows.map((cells, r) => xml.row(cells, FIRST_DATA_ROW + r)).join('');
    await (ws as unknown as { stream: { write(b: Buffer): Promise<unknown> } }).stream.write(Buffer.from(text, 'latin1'));
  }
  ws.commit();
  await wb.commit();
  return unzip(file);
}

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('JS2024000000001', '县级 county', '按疾病诊断相关分组 DRG', 'a&b<c>"d\'e', 'x\u0001y\u0008z\u000bw\u007f', 'tab\there\nline\r\nend', '😀 emoji', '=SUM(A1)'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const fen = fc.oneof(fc.integer({ min: -2_000_000, max: 2_000_000 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.constantFrom(0, -1, 1, 10, 100, 99_999_999_999_99));
const cellFor = (i: number): fc.Arbitrary<Cell> => {
  const kind = [13, 14, 15, 17, 20].includes(i + 1) ? 'money' : i + 1 === 10 || i + 1 === 22 ? 'int' : i + 1 === 18 ? 'num' : 'text';
  const value: fc.Arbitrary<Cell> =
    kind === 'money'
      ? fen.map((f) => money(f))
      : kind === 'int'
        ? fc.integer({ min: -200, max: 2_000_000 }).map((v) => int(v))
        : kind === 'num'
          ? fc.tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: 0, max: 9999 })).map(([a, b]) => num(`${a}.${String(b).padStart(4, '0')}`, '#,##0.00##'))
          : text;
  return fc.option(value, { freq: 4, nil: null });
};
const rowArb = fc.tuple(...CLAIM_COLUMNS.map((_, i) => cellFor(i)));

describe(`claim rows as XML (seed ${seed})`, () => {
  it('are byte for byte what exceljs writes for the same cells, styles included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (rows) => {
        const a = await claimSheet(rows, 'exceljs');
        const b = await claimSheet(rows, 'xml');
        expect(b.get('xl/worksheets/sheet1.xml')!.toString('utf8')).toBe(a.get('xl/worksheets/sheet1.xml')!.toString('utf8'));
        expect(b.get('xl/styles.xml')!.equals(a.get('xl/styles.xml')!)).toBe(true);
      }),
      { seed, numRuns: 40 },
    );
  });
  it('read back by exceljs as the same values', async () => {
    const rows: Cell[][] = [
      ['JS1', null, 'H01', '县级 county', 'P1', '城乡居民 resident', '住院 inpatient', '否', '2024-03-05', int(7), 'A', null, money(1234567), money(-5), money(0), '按疾病诊断相关分组 DRG', money(1200000), num('37.1234', '#,##0.00##'), '正常 none', money(99_999_999_999_99), 'a&b<c>.csv', int(2)],
    ];
    await claimSheet(rows, 'xml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'xml.xlsx'));
    const values = (wb.worksheets[0].getRow(FIRST_DATA_ROW).values as unknown[]).slice(1);
    expect(values).toEqual(rows[0].map((c) => plain(c) ?? undefined));
  });
  it('money text equals String(fen / 100) for every fen below 10^14 in magnitude', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 999_999 }), (a, b) => {
        const f = a * 1_000_000 + (a < 0 ? -b : b);
        expect(fenNumberText(f)).toBe(String(f / 100));
      }),
      { seed, numRuns: 20_000 },
    );
    for (const f of [0, 1, -1, 10, -10, 100, -100, 105, 99_999_999_999_999, -99_999_999_999_999, 100_000_000_000_000]) expect(fenNumberText(f)).toBe(String(f / 100));
  });
  it('escapes text as exceljs does: markup escaped, control characters other than tab and line ends dropped', () => {
    expect(xmlText('a&b<c>"d\'e')).toBe('a&amp;b&lt;c&gt;&quot;d&apos;e');
    expect(xmlText('x\u0001y\u0008z\u000b\u000c\u000e\u001fw\u007f')).toBe('xyzw');
    expect(xmlText('tab\there\nline\r\nend 县级')).toBe('tab\there\nline\r\nend 县级');
  });
});
