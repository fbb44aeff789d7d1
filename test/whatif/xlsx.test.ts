// The what-if workbooks read back: money and counts are numbers (not text) in the right formats, equal to the
// results; the risk workbook embeds the histogram picture.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadedFromObject } from '../../src/scenario/load.js';
import { loadClaimsOnce } from '../../src/whatif/claims.js';
import { histogramPng } from '../../src/whatif/histogram.js';
import { writeRiskXlsx, writeSweepXlsx } from '../../src/whatif/output.js';
import { simulateRisk } from '../../src/whatif/risk.js';
import { parseVary, runSweep } from '../../src/whatif/sweep.js';
import { baseObject, fixtureSource } from './fixture.js';

async function readBack(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

describe('what-if workbooks', () => {
  it('risk: percentiles and histogram as numbers, counts adding up to the runs, the picture embedded', async () => {
    const loaded = loadedFromObject(baseObject());
    const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), false);
    const r = simulateRisk(loaded.scenario, claims.actuals, { runs: 300, seed: 5, volumeCv: 0.05, costCv: 0.05 });
    const path = join(mkdtempSync(join(tmpdir(), 'risk-xlsx-')), 'risk.xlsx');
    await writeRiskXlsx(path, r, histogramPng(r));
    const wb = await readBack(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['风险模拟 Risk', '分位数 Percentiles', '分布 Histogram']);
    const p = wb.getWorksheet('分位数 Percentiles')!.getRow(2);
    expect(p.getCell(2).value).toBe(r.balance.mean / 100);
    expect(p.getCell(2).numFmt).toBe('#,##0.00');
    const h = wb.getWorksheet('分布 Histogram')!;
    let runs = 0;
    r.histogram.forEach((b, i) => {
      const row = h.getRow(i + 2);
      expect(row.getCell(1).value).toBe(b.from / 100);
      expect(row.getCell(2).value).toBe(b.to / 100);
      expect(row.getCell(3).numFmt).toBe('#,##0');
      runs += row.getCell(3).value as number;
    });
    expect(runs).toBe(300);
    expect(h.getImages()).toHaveLength(1);
    const media = (wb as unknown as { media: Array<{ extension: string; buffer: Buffer }> }).media;
    expect(media[0].extension).toBe('png');
    expect(media[0].buffer.subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('sweep: the varied values stay as written, every figure is a number equal to the grid', async () => {
    const base = baseObject();
    const loaded = loadedFromObject(base);
    const claims = await loadClaimsOnce(loaded.scenario, fixtureSource(), false);
    const s = await runSweep(base, [parseVary('settlement.surplus.cap=0.02:0.06:0.02')], claims, loaded.scenario);
    const path = join(mkdtempSync(join(tmpdir(), 'sweep-xlsx-')), 'sweep.xlsx');
    await writeSweepXlsx(path, s);
    const ws = (await readBack(path)).getWorksheet('参数扫描 Sweep')!;
    expect(ws.getRow(2).getCell(2).value).toBe('0.02');
    s.rows.forEach((row, i) => {
      const cells = ws.getRow(i + 2);
      const numbers = (cells.values as unknown[]).filter((v) => typeof v === 'number');
      for (const fen of row.figures!) expect(numbers).toContain(fen / 100);
    });
  });
});
