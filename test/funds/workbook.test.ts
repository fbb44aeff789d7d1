// The §13 sheets read back from the workbook (values and live formulas), and the same tables as CSV.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pricedClaimScanner } from '../../src/app/claims.js';
import { settleScenario } from '../../src/app/settle.js';
import { writeCsvTables } from '../../src/report/csv.js';
import { SHEET, writeWorkbook } from '../../src/report/workbook/index.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-funds-wb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  const loaded = loadScenarioFile('test/fixtures/funds/scenario.yaml');
  const run = await settleScenario(loaded.scenario, loaded.inputs);
  const input = {
    result: run.result,
    scenarioObject: loaded.effective ?? {},
    engineVersion: 'test',
    scanPricedClaims: pricedClaimScanner(run.scenario, run.source!, run.result.actuals),
  };
  await writeWorkbook(join(dir, 'w.xlsx'), input);
  await writeCsvTables(join(dir, 'csv'), input);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dir, 'w.xlsx'));
});

const value = (sheet: string, ref: string) => {
  const v = wb.getWorksheet(sheet)!.getCell(ref).value as unknown;
  return v !== null && typeof v === 'object' && 'result' in (v as object) ? (v as { result: unknown }).result : v;
};
const formula = (sheet: string, ref: string) => (wb.getWorksheet(sheet)!.getCell(ref).value as { formula?: string }).formula;

describe('§13 sheets', () => {
  it('sit after the payment methods: out-of-group analysis, packaged funds, special cases', () => {
    const names = wb.worksheets.map((w) => w.name);
    const at = names.indexOf(SHEET.methods);
    expect(names.slice(at + 1, at + 4)).toEqual([SHEET.outOfGroupAnalysis, SHEET.funds, SHEET.specialCases]);
  });

  it('special cases: formula price, agreed amount and a live difference; the quota with its counts', () => {
    const s = SHEET.specialCases;
    expect([value(s, 'A3'), value(s, 'H3'), value(s, 'I3'), value(s, 'J3'), value(s, 'K3')]).toEqual(['C2', 20000, 45000, 25000, 30000]);
    expect(formula(s, 'J3')).toBe('I3-H3');
    // quota rows after the total, a blank and the section: DRG 2 claims × 0.5 = 1 allowed, 1 case
    expect([value(s, 'E7'), value(s, 'G7'), value(s, 'H7'), value(s, 'I7')]).toEqual([2, 1, 1, 'OK']);
  });

  it('packaged funds: D_f and L_f per fund add up to D and L', () => {
    const s = SHEET.funds;
    expect([value(s, 'D3'), value(s, 'D4'), value(s, 'D5'), value(s, 'D6')]).toEqual([18000, 3000, 0, 0]);
    expect([value(s, 'F7'), value(s, 'F8'), value(s, 'F9')]).toEqual([50000, -5000, 45000]);
    expect(formula(s, 'F9')).toBe('F7+F8');
  });

  it('out-of-group analysis: every fund and the deduction per line, subtotals by SUMIF', () => {
    const s = SHEET.outOfGroupAnalysis;
    expect([value(s, 'A3'), value(s, 'D3'), value(s, 'F3'), value(s, 'G3'), value(s, 'H3'), value(s, 'J3')]).toEqual(['Z01', '上转 referred up', 12000, 3000, 2000, 15000]);
    expect(value(s, 'J5')).toBe(21000);
    expect(formula(s, 'J5')).toBe('SUM($J$3:$J$4)');
  });

  it('members: each score and its effect', () => {
    const s = SHEET.members;
    expect([value(s, 'I4'), value(s, 'J4'), value(s, 'I5'), value(s, 'J5')]).toEqual([80, -212.32, 100, 212.32]);
  });

  it('writes the same tables as CSV', () => {
    const files = readdirSync(join(dir, 'csv'));
    expect(files).toEqual(expect.arrayContaining(['out-of-group-analysis.csv', 'funds.csv', 'special-cases.csv']));
    expect(readFileSync(join(dir, 'csv', 'special-cases.csv'), 'utf8')).toContain('C2,,H01,按疾病诊断相关分组 DRG,50000.00,15000.00,0.00,20000.00,45000.00,25000.00,30000.00,新技术 new technology');
  });
});
