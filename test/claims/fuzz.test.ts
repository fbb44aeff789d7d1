// Random cell mutations, byte flips and truncations never crash the importer and always give a report.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorReportText } from '../../src/claims/index.js';
import { fixture, importFiles, tmp, writeTmp } from './helpers.js';

const dir = tmp();
let n = 0;
const BASE = readFileSync(fixture('claims-zh-utf8.csv'), 'utf8').replace(/^\uFEFF/, '');
const XLSX = readFileSync(fixture('claims-zh.xlsx'));

const nasty = fc.oneof(
  fc.constantFrom('', '"', '""', ',', '\n', '\r\n', '-0', '-1.00', '1e5', '9999999999999.99', '99999999999999', '１２', '是', '否', 'NaN',
    '2024-13-01', '2024/2/29', '2023/2/29', '𠮷', '\uFEFF', '=1+1', 'JS0001', 'JS0006', '住院', '门诊', '职工', ' 1.5 ', '0.001'),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -10_000_000, max: 10_000_000 }).map((f) => `${f < 0 ? '-' : ''}${Math.floor(Math.abs(f) / 100)}.${String(Math.abs(f) % 100).padStart(2, '0')}`),
);

function check(scan: Awaited<ReturnType<typeof importFiles>>['scan'], claims: Awaited<ReturnType<typeof importFiles>>['claims']) {
  expect(scan.errorCount).toBeGreaterThanOrEqual(scan.errors.length);
  for (const e of scan.errors) {
    expect(e.rule).toBeTruthy();
    expect(e.zh).toBeTruthy();
    expect(e.en).toBeTruthy();
  }
  expect(typeof errorReportText(scan.errors)).toBe('string');
  expect(claims.length).toBeLessThanOrEqual(scan.rows);
  for (const { claim } of claims) {
    expect(Number.isSafeInteger(claim.totalCost) && Number.isSafeInteger(claim.fundPaid) && Number.isSafeInteger(claim.patientPaid)).toBe(true);
    expect(Math.abs(claim.fundPaid)).toBeLessThanOrEqual(Math.abs(claim.totalCost));
    expect(claim.serviceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(claim.claimId).not.toBe('');
  }
}

describe('fuzzing the importer', () => {
  it('survives random cell mutations', async () => {
    const lines = BASE.split('\r\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.nat(), nasty), { minLength: 1, maxLength: 8 }), async (edits) => {
        const rows = lines.map((l) => l.split(','));
        for (const [r, c, v] of edits) {
          const row = rows[r % rows.length];
          row[c % row.length] = v;
        }
        const p = writeTmp(dir, `m${n++}.csv`, rows.map((r) => r.join(',')).join('\r\n'));
        const { scan, claims } = await importFiles([p]);
        check(scan, claims);
      }),
      { numRuns: 150 },
    );
  });

  it('survives truncated and corrupted CSV bytes in both encodings', async () => {
    const utf8 = readFileSync(fixture('claims-zh-utf8.csv'));
    const gb = readFileSync(fixture('claims-zh-gb18030.csv'));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), async (useGb, cut, flips) => {
        const src = Buffer.from(useGb ? gb : utf8);
        for (const [i, b] of flips) src[i % src.length] = b;
        const p = writeTmp(dir, `t${n++}.csv`, src.subarray(0, cut % (src.length + 1)));
        const { scan, claims } = await importFiles([p]);
        check(scan, claims);
      }),
      { numRuns: 150 },
    );
  });

  it('survives truncated and corrupted XLSX files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), async (cut, flips) => {
        const src = Buffer.from(XLSX);
        for (const [i, b] of flips) src[i % src.length] = b;
        const p = writeTmp(dir, `x${n++}.xlsx`, src.subarray(0, cut % (src.length + 1)));
        const { scan, claims } = await importFiles([p]);
        check(scan, claims);
      }),
      { numRuns: 150 },
    );
  });
});
