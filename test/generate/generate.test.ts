import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Claim, Scenario } from '../../src/domain/types.js';
import { parseYuanToFen } from '../../src/domain/money.js';
import {
  CANONICAL_HEADERS,
  CHINESE_HEADERS,
  encodeGb18030,
  generateClaims,
  Rng,
  writeClaims,
} from '../../src/generate/index.js';
import { runGenerate } from '../../src/cli/generate.js';

const DEMO = join(__dirname, '../../scenarios/demo.yaml');
let scenario: Scenario;
let dir: string;

beforeAll(() => {
  scenario = loadScenarioFile(DEMO).scenario;
  dir = mkdtempSync(join(tmpdir(), 'yibao-gen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function csv(name: string, n: number, seed: number, opts: Parameters<typeof writeClaims>[2] = {}): Promise<Buffer> {
  const file = join(dir, name);
  const rows = await writeClaims(file, generateClaims(scenario, { claims: n, seed }), opts);
  expect(rows).toBe(n);
  return readFileSync(file);
}

function rowsOf(text: string, eol = '\n'): string[][] {
  return text
    .split(eol)
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

describe('Rng', () => {
  it('repeats per seed and differs between seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
    expect(new Rng(1).u32()).not.toBe(new Rng(2 ** 32 + 1).u32());
  });
});

describe('generateClaims', () => {
  it('gives the same bytes for the same seed and different bytes for another seed', async () => {
    const a = await csv('a.csv', 5000, 42);
    const b = await csv('b.csv', 5000, 42);
    const c = await csv('c.csv', 5000, 43);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('writes the canonical columns with well-formed values', async () => {
    const text = (await csv('cols.csv', 10000, 1)).toString('utf8');
    const [header, ...rows] = rowsOf(text);
    expect(header).toEqual([...CANONICAL_HEADERS]);
    expect(rows).toHaveLength(10000);
    const ids = new Set<string>();
    for (const r of rows) {
      expect(r).toHaveLength(CANONICAL_HEADERS.length);
      const [id, patient, category, , oor, setting, date, los, , , total, fund, patient_paid] = r;
      expect(ids.has(id)).toBe(false);
      ids.add(id);
      expect(patient).toMatch(/^[ERK]\d{7}$/);
      expect(['employee', 'resident', 'poverty']).toContain(category);
      expect(['true', 'false']).toContain(oor);
      expect(['inpatient', 'outpatient']).toContain(setting);
      expect(date).toMatch(/^2024-\d\d-\d\d$/);
      expect(los).toMatch(/^\d+$/);
      if (setting === 'outpatient') expect(los).toBe('0');
      for (const amount of [total, fund, patient_paid]) expect(amount).toMatch(/^-?\d+\.\d\d$/);
    }
  });

  it('keeps fund_paid within total_cost and patient_paid = total − fund', () => {
    for (const c of generateClaims(scenario, { claims: 30000, seed: 5 })) {
      expect(Number.isSafeInteger(c.totalCost) && Number.isSafeInteger(c.fundPaid)).toBe(true);
      expect(c.patientPaid).toBe(c.totalCost - c.fundPaid);
      if (c.reverses === '') {
        expect(c.fundPaid).toBeGreaterThanOrEqual(0);
        expect(c.fundPaid).toBeLessThanOrEqual(c.totalCost);
      } else {
        expect(c.fundPaid).toBeLessThanOrEqual(0);
        expect(c.fundPaid).toBeGreaterThanOrEqual(c.totalCost);
      }
    }
  });

  it('writes full reversals after their originals: own id, every amount negated, every other field the same', () => {
    const seen = new Map<string, Claim>();
    let reversals = 0;
    const reversed = new Set<string>();
    for (const c of generateClaims(scenario, { claims: 30000, seed: 9 })) {
      expect(seen.has(c.claimId)).toBe(false);
      if (c.reverses !== '') {
        reversals++;
        const orig = seen.get(c.reverses)!;
        expect(orig, `original ${c.reverses} comes first`).toBeDefined();
        expect(orig.reverses).toBe('');
        expect(reversed.has(c.reverses)).toBe(false);
        reversed.add(c.reverses);
        expect(c.totalCost).toBe(-orig.totalCost);
        expect(c.fundPaid).toBe(-orig.fundPaid);
        expect(c.patientPaid).toBe(-orig.patientPaid);
        const strip = (x: Claim) => {
          const { claimId: _i, totalCost: _t, fundPaid: _f, patientPaid: _p, reverses: _r, ...rest } = x;
          return rest;
        };
        expect(strip(c)).toEqual(strip(orig));
      }
      seen.set(c.claimId, { ...c });
    }
    expect(reversals).toBeGreaterThan(30);
  });

  it('writes referrals: up to the county from a township, down from the lead, up out of the group from the lead', () => {
    const tierOf = new Map(scenario.group.members.map((m) => [m.id, m.tier]));
    const kinds = new Map<string, number>();
    const withRefs = [...generateClaims(scenario, { claims: 20000, seed: 11 })];
    for (const c of withRefs) {
      if (c.referral === '' || c.referral === undefined) {
        expect(c.referredFrom).toBe('');
        continue;
      }
      const to = tierOf.get(c.institutionId) ?? 'outside';
      const from = tierOf.get(c.referredFrom!);
      const kind = `${c.referral}:${from}→${to}`;
      expect(['up:township→county', 'down:county→township', 'down:county→village', 'up:county→outside']).toContain(kind);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect(kinds.size).toBe(4);
    // the referral draws come from their own generator: without referrals every other column is the same
    const without = [...generateClaims(scenario, { claims: 20000, seed: 11, referralScale: 0 })];
    const other = (c: Claim) => [c.claimId, c.patientId, c.institutionId, c.serviceDate, c.totalCost, c.drgCode, c.dipCode].join();
    expect(without.map(other)).toEqual(withRefs.map(other));
    expect(without.every((c) => c.referral === '')).toBe(true);
  });

  it('emits exactly N rows even when reversals are pending at the end', () => {
    for (const n of [0, 1, 2, 3, 50, 777]) {
      const all = [...generateClaims(scenario, { claims: n, seed: 3, reversalRate: 0.5 })];
      expect(all).toHaveLength(n);
      const ids = new Set(all.map((c) => c.claimId));
      for (const c of all) if (c.reverses) expect(ids.has(c.reverses)).toBe(true);
    }
  });

  it('mixes in-group care, out-of-group care (in and out of region) and the codes the demo prices', () => {
    const members = new Map(scenario.group.members.map((m) => [m.id, m.tier]));
    let fundIn = 0;
    let fundOut = 0;
    let outOfRegion = 0;
    const seen = new Set<string>();
    for (const c of generateClaims(scenario, { claims: 60000, seed: 2024 })) {
      const tier = members.get(c.institutionId);
      if (tier === undefined) {
        fundOut += c.fundPaid;
        if (c.outOfRegion) outOfRegion++;
        continue;
      }
      expect(c.outOfRegion).toBe(false);
      fundIn += c.fundPaid;
      if (c.setting === 'outpatient') seen.add(`outpatient:${tier}`);
      if (c.setting === 'inpatient' && c.losDays >= 60) seen.add('longStay');
      if (tier === 'county' && c.drgCode !== '') {
        expect(scenario.payments.drg!.weights.has(c.drgCode)).toBe(true);
        seen.add('drg');
      }
      if (tier === 'county' && c.drgCode === '' && c.dipCode !== '') {
        expect(scenario.payments.singleDisease!.prices.has(c.dipCode)).toBe(true);
        seen.add('singleDisease');
      }
      if (tier === 'township' && c.dipCode !== '') {
        expect(scenario.payments.dip!.groups.has(c.dipCode)).toBe(true);
        seen.add('dip');
      }
      if (c.setting === 'inpatient' && c.drgCode === '' && c.dipCode === '') seen.add('ungrouped');
    }
    const share = fundOut / (fundIn + fundOut);
    expect(share).toBeGreaterThan(0.06);
    expect(share).toBeLessThan(0.14);
    expect(outOfRegion).toBeGreaterThan(0);
    expect([...seen].sort()).toEqual(
      ['dip', 'drg', 'longStay', 'outpatient:county', 'outpatient:township', 'outpatient:village', 'singleDisease', 'ungrouped'].sort(),
    );
  });
});

describe('GB18030', () => {
  it('round-trips text through TextDecoder', () => {
    const samples = ['住院', '门诊', '职工/居民/建档立卡', '是否', 'ASCII 123,.', '€·—“”', '㐀䶵', '𠀀𪛖', '\u0080\u00e9\uFFFD'];
    const decoder = new TextDecoder('gb18030');
    for (const s of samples) expect(decoder.decode(encodeGb18030(s))).toBe(s);
    expect([...encodeGb18030('住院')]).toEqual([0xd7, 0xa1, 0xd4, 0xba]);
  });

  it('writes Chinese headers and values that decode to the canonical file', async () => {
    const gb = await csv('gb.csv', 3000, 11, { encoding: 'gb18030' });
    const utf = await csv('utf.csv', 3000, 11);
    const decoded = new TextDecoder('gb18030', { fatal: true }).decode(gb);
    expect(decoded.includes('\uFFFD')).toBe(false);
    const [zhHeader, ...zhRows] = rowsOf(decoded, '\r\n');
    const [, ...rows] = rowsOf(utf.toString('utf8'));
    expect(zhHeader).toEqual([...CHINESE_HEADERS]);
    expect(zhRows).toHaveLength(rows.length);
    const zh: Record<string, string> = {
      employee: '职工', resident: '居民', poverty: '建档立卡', inpatient: '住院', outpatient: '门诊', true: '是', false: '否',
      up: '上转', down: '下转', '': '',
    };
    zhRows.forEach((r, i) => {
      const expected = rows[i].map((v, col) => ([2, 4, 5, 14].includes(col) ? zh[v] : v));
      expect(r).toEqual(expected);
    });
  });
});

describe('XLSX', () => {
  it('writes a sheet exceljs reads back, amounts as exact two-decimal numbers', async () => {
    const file = join(dir, 'claims.xlsx');
    const claims = [...generateClaims(scenario, { claims: 500, seed: 4 })];
    expect(await writeClaims(file, claims, { format: 'xlsx' })).toBe(500);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0];
    expect(sheet.rowCount).toBe(501);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...CANONICAL_HEADERS]);
    claims.forEach((c, i) => {
      const v = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      expect(v[0]).toBe(c.claimId);
      expect(parseYuanToFen(String(v[10]))).toBe(c.totalCost);
      expect(parseYuanToFen(String(v[11]))).toBe(c.fundPaid);
    });
  });
});

describe('runGenerate', () => {
  it('writes a file and returns 0; rejects bad options with 2', async () => {
    const out = join(dir, 'cli.csv');
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await runGenerate(DEMO, { claims: 100, seed: 1, out })).toBe(0);
      expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(101);
      expect(await runGenerate(DEMO, { claims: -1, seed: 1, out })).toBe(2);
      expect(await runGenerate(DEMO, { claims: 10, seed: 1, out, format: 'xlsx', encoding: 'gb18030' })).toBe(2);
      expect(await runGenerate(join(dir, 'missing.yaml'), { claims: 10, seed: 1, out })).toBe(2);
    } finally {
      process.stderr.write = write;
    }
  });
});

describe('generateClaims --mix drg-heavy (issue 14)', () => {
  it('30% inpatient, six in seven stays coded, a dozen members, three out-of-group institutions, no reversals', () => {
    const members = new Map(scenario.group.members.map((m) => [m.id, m.tier]));
    const n = 60000;
    let inpatient = 0;
    let inGroupStays = 0;
    let coded = 0;
    const used = new Set<string>();
    const outside = new Set<string>();
    for (const c of generateClaims(scenario, { claims: n, seed: 3, mix: 'drg-heavy' })) {
      expect(c.reverses).toBe('');
      expect(c.referral ?? '').toBe('');
      if (c.setting === 'inpatient') inpatient++;
      const tier = members.get(c.institutionId);
      if (tier === undefined) outside.add(c.institutionId);
      else {
        used.add(c.institutionId);
        if (c.setting === 'inpatient' && c.losDays < 60) {
          inGroupStays++;
          if ((tier === 'county' && c.drgCode !== '') || (tier === 'township' && c.dipCode !== '')) coded++;
        }
      }
    }
    expect(inpatient / n).toBeGreaterThan(0.28);
    expect(inpatient / n).toBeLessThan(0.32);
    expect(coded / inGroupStays).toBeGreaterThan(6 / 7 - 0.02);
    expect(coded / inGroupStays).toBeLessThan(6 / 7 + 0.02);
    expect([...used].sort()).toEqual(scenario.group.members.slice(0, 12).map((m) => m.id).sort());
    expect(outside.size).toBe(3);
  });

  it('writes the 13 columns claim_id … patient_paid, the same bytes per seed', async () => {
    const file = join(dir, 'heavy.csv');
    const write = async () => {
      await writeClaims(file, generateClaims(scenario, { claims: 3000, seed: 4, mix: 'drg-heavy' }), { columns: 13 });
      return readFileSync(file);
    };
    const a = await write();
    expect(a.equals(await write())).toBe(true);
    const [header, ...rows] = rowsOf(a.toString('utf8'));
    expect(header).toEqual(CANONICAL_HEADERS.slice(0, 13));
    for (const r of rows) expect(r).toHaveLength(13);
  });

  it('refuses to drop a column a row needs (a reversal or a referral in 13 columns)', async () => {
    await expect(writeClaims(join(dir, 'narrow.csv'), generateClaims(scenario, { claims: 3000, seed: 9 }), { columns: 13 })).rejects.toThrow(/has a (reverses|referral|referred_from) but only 13 columns/);
  });

  it('the default mix is unchanged by the option (same claims as without it)', () => {
    const a = [...generateClaims(scenario, { claims: 2000, seed: 11 })];
    const b = [...generateClaims(scenario, { claims: 2000, seed: 11, mix: 'default' })];
    expect(b).toEqual(a);
  });
});
