// Issue 11, "errors that are not yet clear": platform exports put title rows above the header and a notes sheet
// before the claims. The header is found within the first rows, the sheet holding the claims is found, and the
// run says which sheet and row it used. A missing column is an error, never a crash.
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANONICAL_HEADER, importFiles, tmp, writeTmp } from './helpers.js';

const dir = tmp();
const HEADER = CANONICAL_HEADER.split(',');
const ROW = ['A1', 'P1', 'employee', 'H01', 'false', 'outpatient', '2024-03-01', '', '', '', '10.00', '6.00', '4.00', ''];

async function workbook(name: string, sheets: { name: string; rows: (string | null)[][] }[]): Promise<string> {
  const path = join(dir, name);
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const r of s.rows) ws.addRow(r);
  }
  await wb.xlsx.writeFile(path);
  return path;
}

describe('title rows, sheets and missing columns', () => {
  it('CSV: finds the header below title rows and says so', async () => {
    const p = writeTmp(dir, 'title.csv', ['2024年3月 结算明细', '导出时间：2024-04-01', '', CANONICAL_HEADER, ROW.join(',')].join('\r\n'));
    const { claims, scan } = await importFiles([p]);
    expect(scan.errors).toEqual([]);
    expect(claims.map((c) => [c.claim.claimId, c.at.row])).toEqual([['A1', 5]]);
    expect(scan.notices?.map((n) => [n.zh, n.en])).toEqual([
      [`${p}：表头在第 4 行，上方 2 行标题已跳过`, `${p}: the header is on row 4; 2 title row(s) above it skipped`],
    ]);
  });

  it('XLSX: reads the claims sheet when a notes sheet comes first, below a title row', async () => {
    const p = await workbook('notes-first.xlsx', [
      { name: '说明', rows: [['本文件由平台导出'], ['字段说明见第二页']] },
      { name: '结算明细', rows: [['2024年3月 结算明细'], HEADER, ROW] },
    ]);
    const { claims, scan } = await importFiles([p]);
    expect(scan.errors).toEqual([]);
    expect(claims.map((c) => [c.claim.claimId, c.claim.totalCost, c.at.row])).toEqual([['A1', 1000, 3]]);
    expect(scan.notices?.map((n) => n.zh)).toEqual([
      `${p}：第一个工作表 "说明" 不含结算明细表头，已改用工作表 "结算明细"（可用 --sheet 指定）`,
      `${p}：表头在第 2 行，上方 1 行标题已跳过`,
    ]);
    expect(scan.notices?.map((n) => n.en)).toEqual([
      `${p}: the first sheet "说明" holds no claims header; read sheet "结算明细" instead (choose with --sheet)`,
      `${p}: the header is on row 2; 1 title row(s) above it skipped`,
    ]);
  });

  it('XLSX: claims on two sheets stop the run (one sheet is read per file); --sheet picks one', async () => {
    const p = await workbook('two-sheets.xlsx', [
      { name: '明细', rows: [HEADER, ROW] },
      { name: '明细2', rows: [HEADER, ROW.map((c, i) => (i === 0 ? 'A2' : c))] },
    ]);
    const { claims, scan } = await importFiles([p]);
    expect(claims).toEqual([]);
    expect(scan.errors.map((e) => [e.rule, e.value])).toEqual([['xlsx.manySheets', '明细, 明细2']]);
    expect(scan.errors[0].en).toContain('choose it with --sheet');
    const one = await importFiles([p], { sheet: '明细2' });
    expect(one.scan.errors).toEqual([]);
    expect(one.claims.map((c) => c.claim.claimId)).toEqual(['A2']);
  });

  it('XLSX: a missing column is a bilingual error on the header row, not a crash', async () => {
    const p = await workbook('missing.xlsx', [{ name: 'S', rows: [['标题'], HEADER.filter((h) => h !== 'fund_paid'), ROW, ROW] }]);
    const { claims, scan } = await importFiles([p]);
    expect(claims).toEqual([]);
    expect(scan.errors.map((e) => [e.row, e.column, e.rule, e.zh, e.en])).toEqual([
      [2, 'fund_paid', 'header.missing', '缺少必填列 fund_paid（统筹基金支付）', 'required column fund_paid (统筹基金支付) is missing'],
    ]);
  });

  it('a header with ";" between its cells says so, beside the missing columns', async () => {
    const p = writeTmp(dir, 'semi.csv', [CANONICAL_HEADER.replaceAll(',', ';'), ROW.join(';')].join('\n'));
    const { scan } = await importFiles([p]);
    expect(scan.errors[0]).toMatchObject({ row: 1, rule: 'csv.delimiter', value: ';' });
    expect(scan.errors.slice(1).every((e) => e.rule === 'header.missing')).toBe(true);
  });

  it('no header among the first rows: the first row is reported', async () => {
    const p = writeTmp(dir, 'nohead.csv', ['a,b', '1,2', '3,4'].join('\n'));
    const { scan } = await importFiles([p]);
    expect(scan.errors.map((e) => [e.row, e.rule])).toEqual([
      [1, 'header.missing'], [1, 'header.missing'], [1, 'header.missing'], [1, 'header.missing'], [1, 'header.missing'],
      [1, 'header.missing'], [1, 'header.missing'], [1, 'header.missing'], [1, 'header.missing'],
    ]);
  });
});
