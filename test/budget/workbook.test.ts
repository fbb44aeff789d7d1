// The 测算 workbook read back with exceljs: every formula recalculates (test/report/formula.ts) to its cached value,
// the summary equals the estimate, and — rendered by LibreOffice after a reviewer changes a weight — the base, the
// total and the standard move to what the estimate gives for the new weights.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetEstimate, EstimateInputFile } from '../../src/budget/types.js';
import { ESTIMATE_SHEET, estimateSheets, standardSheetName, writeEstimateWorkbook } from '../../src/report/estimate/workbook.js';
import { VALUE_COL, WEIGHT_COL, type StepSheet } from '../../src/report/estimate/steps.js';
import { addr, rowOf } from '../../src/report/workbook/model.js';
import { Evaluator } from '../report/formula.js';
import { estimateYaml } from './helpers.js';

const HISTORY = `year: 2025
total:
  years: [ { year: 2022, spend: "61000000" }, { year: 2023, spend: "64500000" }, { year: 2024, spend: "70200000" } ]
  weights: [1, 2, 7]
  growthFactors: { enrolmentGrowth: "0.01", gdpGrowth: "0.06", cpi: "0.02" }
  enrolment: 223000
standards:
  - { name: 高血压, method: bottomUp,
      years: [ { year: 2022, perCapitaCost: "2800.10", perCapitaSelfPay: "560.20" }, { year: 2023, perCapitaCost: "2950.40", perCapitaSelfPay: "590.10" },
               { year: 2024, perCapitaCost: "3105.75", perCapitaSelfPay: "611.30" } ],
      addOns: { 公卫经费: "79", 签约服务费: "70" } }
  - { name: 糖尿病, method: topDown, totalCost: "9600000", reimbursementRatio: "0.9", growth: "0.08", visits: 16900, visitsPerPerson: 7, addOns: { 检查费: "2584" } }
`;
const INPUTS: EstimateInputFile[] = [{ role: 'history', file: 'h.yaml', sha256: '0'.repeat(64) }];

const dir = mkdtempSync(join(tmpdir(), 'yibao-budget-wb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}
const formulaOf = (c: ExcelJS.Cell): string | undefined => {
  const v = c.value;
  return v !== null && typeof v === 'object' && 'formula' in v ? (v as ExcelJS.CellFormulaValue).formula : undefined;
};
const cachedOf = (c: ExcelJS.Cell): unknown => (formulaOf(c) === undefined ? c.value : c.result);
/** The value cell of a sheet's result step (amount, perCapita, m, standard). */
const resultCell = (st: StepSheet, key: string) => addr(VALUE_COL, rowOf(st.results[key]));
const yuan = (fen: number) => fen / 100;

describe('budget --xlsx (测算 workbook)', () => {
  const e: BudgetEstimate = estimateYaml(HISTORY);
  const { steps } = estimateSheets(e, INPUTS, 'test');
  const totalSteps = steps.get(ESTIMATE_SHEET.total)!;
  const hyp = standardSheetName(1, '高血压');
  const dia = standardSheetName(2, '糖尿病');
  const path = join(dir, 'estimate.xlsx');
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    await writeEstimateWorkbook(path, e, INPUTS, 'test');
    wb = await read(path);
  });

  it('has a summary, the total and one sheet per standard, and leaves no temporary file', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([ESTIMATE_SHEET.summary, ESTIMATE_SHEET.total, '1 高血压', '2 糖尿病']);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('every formula recalculates to its cached value; the results are the estimate', () => {
    const ev = new Evaluator(wb);
    let formulas = 0;
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          const f = formulaOf(cell);
          if (f === undefined) return;
          expect(ev.evaluate(ws.name, f) as number, `${ws.name}!${cell.address} ${f}`).toBeCloseTo(cell.result as number, 6);
          formulas++;
        }),
      ),
    );
    expect(formulas).toBeGreaterThan(30);
    const total = wb.getWorksheet(ESTIMATE_SHEET.total)!;
    expect(cachedOf(total.getCell(resultCell(totalSteps, 'amount')))).toBe(yuan(e.total!.amount));
    expect(cachedOf(total.getCell(resultCell(totalSteps, 'perCapita')))).toBe(322.37);
    expect(cachedOf(wb.getWorksheet(hyp)!.getCell(resultCell(steps.get(hyp)!, 'standard')))).toBe(2513.88);
    expect(cachedOf(wb.getWorksheet(dia)!.getCell(resultCell(steps.get(dia)!, 'standard')))).toBe(6448.99);
    // The summary refers to the sheets (live), with the same figures.
    const summary = wb.getWorksheet(ESTIMATE_SHEET.summary)!;
    const refs: string[] = [];
    summary.eachRow((row) => {
      const f = formulaOf(row.getCell(VALUE_COL));
      if (f !== undefined) refs.push(`${f}=${row.getCell(VALUE_COL).result}`);
    });
    expect(refs).toEqual([
      `'总额 Total'!${resultCell(totalSteps, 'amount')}=71887700`,
      `'总额 Total'!${resultCell(totalSteps, 'perCapita')}=322.37`,
      `'1 高血压'!${resultCell(steps.get(hyp)!, 'm')}=2364.88`,
      `'1 高血压'!${resultCell(steps.get(hyp)!, 'standard')}=2513.88`,
      `'2 糖尿病'!${resultCell(steps.get(dia)!, 'm')}=3864.99`,
      `'2 糖尿病'!${resultCell(steps.get(dia)!, 'standard')}=6448.99`,
    ]);
  });

  const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!soffice)('LibreOffice recalculates: a reviewer changes weights and the base, total and standard move', async () => {
    // The reviewer's edit: total weights 1:2:7 → 0:2:7, and the first 高血压 year's weight 1 → 3.
    const edited = await read(path);
    const total = edited.getWorksheet(ESTIMATE_SHEET.total)!;
    const firstYear = totalSteps.steps.findIndex((s) => s.year === 2022);
    total.getCell(addr(WEIGHT_COL, rowOf(firstYear))).value = 0;
    const hypSheet = edited.getWorksheet(hyp)!;
    const hypFirst = steps.get(hyp)!.steps.findIndex((s) => s.year === 2022);
    hypSheet.getCell(addr(WEIGHT_COL, rowOf(hypFirst))).value = 3;
    // Drop every cached result, so the figures read back are LibreOffice's own.
    edited.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          const f = formulaOf(cell);
          if (f !== undefined) cell.value = { formula: f } as ExcelJS.CellFormulaValue;
        }),
      ),
    );
    const inDir = join(dir, 'edited');
    const outDir = join(dir, 'recalculated');
    mkdirSync(inDir);
    await edited.xlsx.writeFile(join(inDir, 'estimate.xlsx'));
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'xlsx', '--outdir', outDir, join(inDir, 'estimate.xlsx')], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(outDir, 'estimate.xlsx'))).toBe(true);
    const back = await read(join(outDir, 'estimate.xlsx'));
    const expected = estimateYaml(
      HISTORY.replace('weights: [1, 2, 7]', 'weights: [0, 2, 7]').replace('{ name: 高血压, method: bottomUp,', '{ name: 高血压, method: bottomUp, weights: [3, 1, 1],'),
    );
    // base = (2×64,500,000 + 7×70,200,000) / 9 = 620,400,000 / 9 = 68,933,333.33…; total × 1.055 = 72,724,666.67
    expect(formatted(back, ESTIMATE_SHEET.total, resultCell(totalSteps, 'amount'))).toBe(yuan(expected.total!.amount));
    expect(expected.total!.amount).toBe(7_272_466_667);
    expect(formatted(back, ESTIMATE_SHEET.total, resultCell(totalSteps, 'perCapita'))).toBe(yuan(expected.total!.perCapita!));
    // 高血压 cost = (3×2,800.10 + 2,950.40 + 3,105.75) / 5 = 14,456.45 / 5 = 2,891.29; self-pay = (3×560.20 + 590.10 + 611.30) / 5
    // = 2,882.00 / 5 = 576.40; M = 2,314.89; standard = 2,463.89
    expect(formatted(back, hyp, resultCell(steps.get(hyp)!, 'standard'))).toBe(yuan(expected.standards[0].standard));
    expect(expected.standards[0].standard).toBe(246_389);
    // The summary follows the sheets.
    const summary = back.getWorksheet(ESTIMATE_SHEET.summary)!;
    const values: number[] = [];
    summary.eachRow((row) => {
      if (formulaOf(row.getCell(VALUE_COL)) !== undefined) values.push(row.getCell(VALUE_COL).result as number);
    });
    expect(values.slice(0, 4)).toEqual([yuan(expected.total!.amount), yuan(expected.total!.perCapita!), 2314.89, 2463.89]);
  }, 200_000);
});

/** A recalculated result cell (ROUND(…, 2)), as the number LibreOffice stored. */
function formatted(wb: ExcelJS.Workbook, sheet: string, address: string): number {
  return wb.getWorksheet(sheet)!.getCell(address).result as number;
}
