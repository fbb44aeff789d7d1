// The 考核指标 Indicators and 待遇重算 Cost sharing sheet models, rendered with the workbook's renderer and read
// back: every formula recalculates to its cached value, and the score equals the settlement's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { costSharingSheet, kpisSheet } from '../../src/report/workbook/kpis.js';
import { writeWorkbook } from '../../src/report/workbook/index.js';
import { renderSheet } from '../../src/report/workbook/render.js';
import type { SheetModel } from '../../src/report/workbook/model.js';
import type { Claim } from '../../src/domain/types.js';
import { claim, settleClaims } from '../helpers/scenario.js';
import { Evaluator } from '../report/formula.js';
import { scenarioWith } from '../costSharing/helpers.js';

const YAML = `
costSharing:
  mode: recompute
  inpatient:
    deductible: { county: 800, township: 300, village: 100, inRegion: 1000, outOfRegion: 1500 }
    ratio: { county: 0.75, township: 0.85, village: 0.9, inRegion: 0.65, outOfRegion: 0.55 }
  outpatient:
    ratio: { county: 0.5, township: 0.6, village: 0.7, inRegion: 0.4, outOfRegion: 0.3 }
kpis: { targets: { primaryCareShare: 0.65 }, priorYear: { referralsDown: 1 } }
assessment:
  fromKpis:
    inRegionVisitRate: { weight: 40, target: 0.9 }
    referralsDownGrowth: { weight: 20, target: 0.1 }
    outOfGroupSpendPerEnrollee: { weight: 40, target: 1 }
`;

const claims: Claim[] = [
  claim({ institutionId: 'H01', setting: 'inpatient', losDays: 2, totalCost: 300_000, fundPaid: 200_000 }),
  claim({ institutionId: 'T01', totalCost: 10_000, fundPaid: 6_000, referral: 'down', referredFrom: 'H01' }),
  claim({ institutionId: 'V01', totalCost: 5_000, fundPaid: 3_500 }),
  claim({ institutionId: 'X01', totalCost: 200_000, fundPaid: 150_000 }),
];

async function roundTrip(models: SheetModel[]): Promise<ExcelJS.Workbook> {
  const path = join(mkdtempSync(join(tmpdir(), 'kpi-sheet-')), 'k.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  for (const m of models) renderSheet(wb, m);
  await wb.commit();
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(path);
  return back;
}

describe('indicator and cost-sharing sheets', () => {
  it('recalculate: points, the score and the recorded → recomputed differences', async () => {
    const r = await settleClaims(scenarioWith(YAML), claims);
    const models = [kpisSheet(r)!, costSharingSheet(r)!];
    const wb = await roundTrip(models);
    const ev = new Evaluator(wb);
    let formulas = 0;
    let score: unknown;
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          const v = cell.value;
          if (v === null || typeof v !== 'object' || !('formula' in v)) return;
          const cached = (v as ExcelJS.CellFormulaValue).result;
          const got = ev.evaluate(ws.name, (v as ExcelJS.CellFormulaValue).formula);
          expect(got as number, `${ws.name}!${cell.address}`).toBeCloseTo((cached ?? 0) as number, 6);
          if ((v as ExcelJS.CellFormulaValue).formula.startsWith('ROUND(')) score = got;
          formulas++;
        }),
      ),
    );
    expect(formulas).toBeGreaterThan(5);
    expect(score).toBeCloseTo(Number(r.settlement.score.toFixed()), 6);
    expect(r.kpis!.scoreSource).toBe('kpis');
  });

  it('has no cost-sharing sheet in recorded mode', async () => {
    const r = await settleClaims(scenarioWith(YAML.replace('mode: recompute', 'mode: recorded')), claims);
    expect(costSharingSheet(r)).toBeUndefined();
    expect(kpisSheet(r)).toBeDefined();
  });

  it('sit in the workbook after the payment methods, before the claim detail', async () => {
    const r = await settleClaims(scenarioWith(YAML), claims);
    const path = join(mkdtempSync(join(tmpdir(), 'kpi-wb-')), 'w.xlsx');
    await writeWorkbook(path, { result: r, scenarioObject: {}, engineVersion: 'test' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(5, 10)).toEqual(['支付方式 Payment methods', '外转分析 Out-of-group analysis', '考核指标 Indicators', '待遇重算 Cost sharing', '明细 Claims']);
  });
});
