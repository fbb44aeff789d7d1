// The auditor's workbook, read back with exceljs: every Summary figure equals the result, every formula recalculates
// to its cached value from the ranges it references, claim detail sums equal member claims, continuation sheets.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fen } from '../../src/domain/money.js';
import { SHEET, claimSheetName, writeWorkbook } from '../../src/report/workbook/index.js';
import { scanWorkedExample, workedExampleClaims, workedExampleResult as R, workedExampleScenarioObject } from '../fixtures/report/worked-example.js';
import { Evaluator } from './formula.js';

const input = { result: R, scenarioObject: workedExampleScenarioObject, engineVersion: '0.1.0-test', scanPricedClaims: scanWorkedExample };
const yuan = (fen: Fen) => fen / 100;

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

// exceljs's reader drops a cached formula result of 0 from `value`; `result` keeps it.
const valueOf = (c: ExcelJS.Cell): unknown => {
  const v = c.value;
  return v !== null && typeof v === 'object' && 'formula' in v ? c.result : v;
};
const formulaOf = (c: ExcelJS.Cell): string | undefined => {
  const v = c.value;
  return v !== null && typeof v === 'object' && 'formula' in v ? (v as ExcelJS.CellFormulaValue).formula : undefined;
};

/** The row whose column `col` holds `text`. */
function rowWith(ws: ExcelJS.Worksheet, col: number, text: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (found === undefined && row.getCell(col).value === text) found = row;
  });
  if (found === undefined) throw new Error(`${ws.name}: no row with ${text} in column ${col}`);
  return found;
}

/** Every formula cell of the workbook, recalculated, equals its cached result. */
function expectFormulasRecalculate(wb: ExcelJS.Workbook): number {
  const ev = new Evaluator(wb);
  let count = 0;
  wb.eachSheet((ws) => {
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const f = formulaOf(cell);
        if (f === undefined) return;
        const cached = valueOf(cell);
        const got = ev.evaluate(ws.name, f);
        if (typeof cached === 'number') expect(got as number, `${ws.name}!${cell.address} ${f}`).toBeCloseTo(cached, 6);
        else expect(got, `${ws.name}!${cell.address} ${f}`).toBe(cached);
        count += 1;
      }),
    );
  });
  return count;
}

describe('writeWorkbook (DOMAIN.md §11 fixture)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-wb-'));
  const path = join(dir, 'out', 'settlement.xlsx');
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    await writeWorkbook(path, input);
    wb = await read(path);
  });

  it('has the ten sheets in order, and leaves no temporary file', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '汇总 Summary',
      '预算 Budget',
      '预拨 Prepayments',
      '外转扣减 Out-of-group',
      '机构 Members',
      '支付方式 Payment methods',
      '明细 Claims',
      '分录 Journal',
      '校验 Checks',
      '参数 Parameters',
    ]);
    expect(readdirSync(join(dir, 'out'))).toEqual(['settlement.xlsx']);
  });

  it('shows every Summary figure of the result', () => {
    const ws = wb.getWorksheet(SHEET.summary)!;
    const s = R.settlement;
    const byKey: Record<string, Fen> = {
      B: R.budget.total,
      R: R.budget.riskReserve,
      P: R.budget.package,
      Q: R.budget.qualityDeposit,
      D: R.actuals.outOfGroupDeductions,
      A: s.available,
      L: R.actuals.inGroupLiability,
      C: R.actuals.capitation,
      X: s.balance,
      S: s.retainedSurplus,
      Qf: s.depositForfeited,
      T: s.groupTotal,
      Y: s.yearEndPayment,
    };
    for (const [k, fen] of Object.entries(byKey)) expect(valueOf(rowWith(ws, 1, k).getCell(4)), k).toBe(yuan(fen));
    const byLabel: Array<[string, Fen]> = [
      ['Surplus returned to the fund', s.surplusReturnedToFund],
      ['Deposit returned', s.depositReturned],
      ['Prepaid', R.budget.package - R.budget.qualityDeposit],
      ['Fund kept', s.fundRetained],
      ['Conservation: T + D + fund kept (= B)', R.budget.total],
      ['Closing', R.carryForward.closing],
    ];
    for (const [label, fen] of byLabel) expect(valueOf(rowWith(ws, 3, label).getCell(4)), label).toBe(yuan(fen));
    expect(valueOf(rowWith(ws, 1, 's').getCell(4))).toBeCloseTo(50_000 / 950_000, 12);
    expect(valueOf(rowWith(ws, 3, 'Assessment score').getCell(4))).toBe(80);
    expect(rowWith(ws, 1, 'P').getCell(4).numFmt).toBe('#,##0.00');
    // The waterfall is live: P = B − R, X = A − L − C, T = L + C + S − Qf, Y = T − prepaid.
    const at = (k: string) => `D${rowWith(ws, 1, k).number}`;
    expect(formulaOf(rowWith(ws, 1, 'P').getCell(4))).toBe(`${at('B')}-${at('R')}`);
    expect(formulaOf(rowWith(ws, 1, 'X').getCell(4))).toBe(`${at('A')}-${at('L')}-${at('C')}`);
    expect(formulaOf(rowWith(ws, 1, 'T').getCell(4))).toBe(`${at('L')}+${at('C')}+${at('S')}-${at('Qf')}`);
    expect(formulaOf(rowWith(ws, 1, 'L').getCell(4))).toBe("'机构 Members'!D6");
  });

  it('recalculates every formula in the workbook to its cached value', () => {
    expect(expectFormulasRecalculate(wb)).toBeGreaterThan(60);
  });

  it('sums the members with SUM over their rows and subtotals the tiers with SUMIF', () => {
    const ws = wb.getWorksheet(SHEET.members)!;
    expect([3, 4, 5].map((r) => ws.getCell(`A${r}`).value)).toEqual(['H01', 'T01', 'V01']);
    const total = rowWith(ws, 1, '合计');
    expect(total.number).toBe(6);
    expect(formulaOf(total.getCell(4))).toBe('SUM($D$3:$D$5)');
    expect(formulaOf(total.getCell(7))).toBe('SUM($G$3:$G$5)');
    expect(valueOf(total.getCell(7))).toBe(831_400);
    expect(formulaOf(ws.getCell('G3'))).toBe('D3+E3+F3');
    expect(valueOf(ws.getCell('G3'))).toBe(615_700);
    expect(valueOf(ws.getCell('H4'))).toBe(4_710);
    const county = rowWith(ws, 3, '县级 county');
    const sub = county.number === 3 ? undefined : county; // the data row comes first; the subtotal later
    const tierRows: ExcelJS.Row[] = [];
    ws.eachRow((row) => {
      if (row.getCell(1).value === '小计') tierRows.push(row);
    });
    expect(sub).toBeUndefined();
    expect(tierRows.map((row) => valueOf(row.getCell(7)))).toEqual([615_700, 209_420, 6_280]);
    expect(formulaOf(tierRows[0].getCell(7))).toBe(`SUMIF($C$3:$C$5,$C$${tierRows[0].number},$G$3:$G$5)`);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.autoFilter).toBeTruthy();
  });

  it('lists every in-group claim, and the detail sums equal each member’s claims', () => {
    const ws = wb.getWorksheet(SHEET.claims)!;
    const sums = new Map<string, number>();
    let rows = 0;
    ws.eachRow((row) => {
      if (row.number < 3) return;
      rows += 1;
      const id = row.getCell(3).value as string;
      sums.set(id, (sums.get(id) ?? 0) + Math.round((row.getCell(20).value as number) * 100));
    });
    expect(rows).toBe(workedExampleClaims.length);
    for (const m of R.members) expect(sums.get(m.id) ?? 0, m.id).toBe(m.claims);
    expect(ws.getCell('B7').value).toBe('C4'); // the reversal names its original
    expect(ws.getCell('T7').value).toBe(-50_000);
    expect(ws.getCell('U3').value).toBe('../data/claims-2024.csv');
    expect(ws.getCell('V3').value).toBe(2);
  });

  it('reconciles the detail with the Members sheet on the Checks sheet, all OK', () => {
    const ws = wb.getWorksheet(SHEET.checks)!;
    const h01 = rowWith(ws, 3, 'Σ detail liability = Members claims: H01');
    expect(formulaOf(h01.getCell(4))).toBe(`SUMIF('明细 Claims'!$C$3:$C$8,A${h01.number},'明细 Claims'!$T$3:$T$8)`);
    expect(formulaOf(h01.getCell(5))).toBe("'机构 Members'!D3");
    expect(valueOf(h01.getCell(7))).toBe('OK');
    const results: unknown[] = [];
    ws.eachRow((row) => {
      if (row.number > 2 && row.getCell(7).value !== null) results.push(valueOf(row.getCell(7)));
    });
    expect(results.length).toBeGreaterThan(15);
    expect(results.every((x) => x === 'OK')).toBe(true);
  });

  it('puts every scenario key path, the input files with SHA-256 and the engine version on the Parameters sheet', () => {
    const ws = wb.getWorksheet(SHEET.parameters)!;
    expect(rowWith(ws, 1, 'engine').getCell(2).value).toBe('yibao 0.1.0-test');
    expect(rowWith(ws, 1, 'input.claims（结算明细 claims）').getCell(3).value).toBe('b'.repeat(64));
    expect(rowWith(ws, 1, 'settlement.surplus.bands[1].share').getCell(2).value).toBe('0.5');
    expect(rowWith(ws, 1, 'group.members[2].name').getCell(2).value).toBe('东山村卫生室');
  });

  it('writes the journal: every posting, and account balances that end at the statement figures', () => {
    const ws = wb.getWorksheet(SHEET.journal)!;
    const postings = R.journal.reduce((n, t) => n + t.postings.length, 0);
    expect(valueOf(ws.getCell(`G${3 + postings}`))).toBe(0);
    expect(formulaOf(ws.getCell(`G${3 + postings}`))).toBe(`SUM($G$3:$G$${2 + postings})`);
    const balances: Record<string, unknown> = {};
    ws.eachRow((row) => {
      if (row.getCell(1).value === '余额') balances[row.getCell(5).value as string] = valueOf(row.getCell(7));
    });
    expect(balances).toMatchObject({ fundRetained: 60_750, package: 0, groupClearing: 0, carryForward: 7_850, fund: -1_000_000 });
  });
});

describe('claim detail continuation sheets', () => {
  it('continues the detail on further sheets past the row limit, and the SUMIF spans them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-wb-'));
    const path = join(dir, 'small.xlsx');
    await writeWorkbook(path, input, { claimRowsPerSheet: 4 });
    const wb = await read(path);
    expect(wb.worksheets.map((w) => w.name).filter((n) => n.startsWith('明细'))).toEqual(['明细 Claims', '明细 Claims (2)']);
    expect(claimSheetName(3)).toBe('明细 Claims (3)');
    const counts = ['明细 Claims', '明细 Claims (2)'].map((n) => {
      let k = 0;
      wb.getWorksheet(n)!.eachRow((row) => {
        if (row.number >= 3) k += 1;
      });
      return k;
    });
    expect(counts).toEqual([4, 2]);
    const checks = wb.getWorksheet(SHEET.checks)!;
    const t01 = rowWith(checks, 3, 'Σ detail liability = Members claims: T01');
    expect(formulaOf(t01.getCell(4))).toBe(
      `SUMIF('明细 Claims'!$C$3:$C$6,A${t01.number},'明细 Claims'!$T$3:$T$6)+SUMIF('明细 Claims (2)'!$C$3:$C$4,A${t01.number},'明细 Claims (2)'!$T$3:$T$4)`,
    );
    expect(valueOf(t01.getCell(4))).toBe(200_000);
    expectFormulasRecalculate(wb);
  });

  it('with one claim per sheet, writes one sheet per claim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-wb-'));
    const path = join(dir, 'one.xlsx');
    await writeWorkbook(path, input, { claimRowsPerSheet: 1 });
    const wb = await read(path);
    expect(wb.worksheets.filter((w) => w.name.startsWith('明细')).length).toBe(workedExampleClaims.length);
    expectFormulasRecalculate(wb);
  });
});

describe('aggregate mode and failures', () => {
  it('writes a workbook without claim detail when there is no claim scanner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-wb-'));
    const path = join(dir, 'agg.xlsx');
    await writeWorkbook(path, { ...input, scanPricedClaims: undefined });
    const wb = await read(path);
    expect(String(wb.getWorksheet(SHEET.claims)!.getCell('A3').value)).toContain('Aggregate mode');
    expectFormulasRecalculate(wb);
  });

  it('leaves nothing behind when the claim scan fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-wb-'));
    const path = join(dir, 'fail.xlsx');
    const failing = async (visit: Parameters<typeof scanWorkedExample>[0]) => {
      visit(...workedExampleClaims[0]);
      throw new Error('disk on fire');
    };
    await expect(writeWorkbook(path, { ...input, scanPricedClaims: failing })).rejects.toThrow('disk on fire');
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
