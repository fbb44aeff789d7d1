// `--csv DIR`: each table as UTF-8 CSV with a BOM, money as two-decimal strings, claims streamed, atomic.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { writeCsvTables } from '../../src/report/csv.js';
import { scanWorkedExample, workedExampleClaims, workedExampleResult as R, workedExampleScenarioObject } from '../fixtures/report/worked-example.js';

const input = { result: R, scenarioObject: workedExampleScenarioObject, engineVersion: '0.1.0-test', scanPricedClaims: scanWorkedExample };

function table(dir: string, name: string): string[][] {
  const text = readFileSync(join(dir, name), 'utf8');
  expect(text.startsWith('\uFEFF'), `${name} starts with a BOM`).toBe(true);
  return Papa.parse<string[]>(text.slice(1).trimEnd(), { newline: '\r\n' }).data;
}

describe('writeCsvTables', () => {
  it('writes every table with a BOM and two-decimal money', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'yibao-csv-')), 'tables');
    await writeCsvTables(dir, input);
    expect(readdirSync(dir).sort()).toEqual(
      ['budget.csv', 'checks.csv', 'claims.csv', 'journal.csv', 'members.csv', 'out-of-group.csv', 'parameters.csv', 'payment-methods.csv', 'prepayments.csv', 'summary.csv'].sort(),
    );
    const summary = table(dir, 'summary.csv');
    expect(summary[0]).toEqual(['代号 Key', '项目（中文） Item (Chinese)', '项目（英文） Item (English)', '金额（元） Amount (yuan)', '计算 How it is derived']);
    const fig = (key: string) => summary.find((r) => r[0] === key)?.[3];
    expect([fig('B'), fig('P'), fig('D'), fig('X'), fig('S'), fig('T'), fig('Y')]).toEqual(['1000000.00', '950000.00', '100000.00', '50000.00', '48750.00', '839250.00', '-91750.00']);

    const members = table(dir, 'members.csv');
    expect(members.slice(1, 4).map((r) => [r[0], r[6], r[7]])).toEqual([
      ['H01', '615700.00', '7850.00'],
      ['T01', '209420.00', '4710.00'],
      ['V01', '6280.00', '3140.00'],
    ]);
    expect(members.find((r) => r[0] === '合计')?.[6]).toBe('831400.00');

    const prepayments = table(dir, 'prepayments.csv');
    expect(prepayments.slice(1, 13).map((r) => r[2])).toEqual([...Array(4).fill('77583.34'), ...Array(8).fill('77583.33')]);
    expect(prepayments[12][3]).toBe('931000.00');

    const claims = table(dir, 'claims.csv');
    expect(claims.length).toBe(1 + workedExampleClaims.length);
    expect(claims[5][1]).toBe('C4');
    expect(claims[5][19]).toBe('-50000.00');

    const checks = table(dir, 'checks.csv');
    expect(checks.filter((r) => r[6] === 'FAIL')).toEqual([]);
    expect(checks.find((r) => r[2] === 'Σ detail liability = Members claims: H01')?.slice(3, 7)).toEqual(['600000.00', '600000.00', '0.00', 'OK']);

    const params = table(dir, 'parameters.csv');
    expect(params.find((r) => r[0] === 'budget.riskReserveRate')?.[1]).toBe('0.05');
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
