// A whole year through the built CLI, as a bureau clerk runs it: init, monthly imports and closes, a mid-year
// amendment, clearing, lock, a late batch with a reversal and its supplement, status JSON, verify.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve('bin/yibao.js');
let root: string;
const run = (...args: string[]) => {
  const r = spawnSync('node', [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const ok = (...args: string[]) => {
  const r = run(...args);
  if (r.code !== 0) throw new Error(`yibao ${args.join(' ')} → ${r.code}\n${r.err}`);
  return r.out;
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yibao-book-cli-'));
  // The demo claims, one file per month, 400 rows each (the demo file is in random date order).
  const [header, ...rows] = readFileSync('data/claims-2024.csv', 'utf8').trim().split('\n');
  const date = header.split(',').indexOf('service_date');
  const reversals = new Set(rows.filter((r) => r.split(',')[13] !== '').map((r) => r.split(',')[13]));
  for (let m = 1; m <= 12; m++) {
    const mm = String(m).padStart(2, '0');
    // Originals only (their reversals may fall in other months), and never one that the demo reverses later.
    const mine = rows.filter((r) => {
      const c = r.split(',');
      return c[date].slice(5, 7) === mm && c[13] === '' && !reversals.has(c[0]);
    });
    writeFileSync(join(root, `claims-${mm}.csv`), `${header}\n${mine.slice(0, 400).join('\n')}\n`);
  }
  // A late batch: a reversal of the first March claim and a new February claim.
  const march = readFileSync(join(root, 'claims-03.csv'), 'utf8').trim().split('\n')[1].split(',');
  const neg = (v: string) => (v === '' || Number(v) === 0 ? v : `-${v}`);
  const reversal = [...march];
  reversal[0] = 'LATE-R1';
  for (const i of [10, 11, 12]) reversal[i] = neg(march[i]);
  reversal[13] = march[0];
  const extra = [...march];
  extra[0] = 'LATE-N1';
  extra[date] = '2024-02-27';
  writeFileSync(join(root, 'late.csv'), `${header}\n${reversal.join(',')}\n${extra.join(',')}\n`);
}, 30_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('yibao book, end to end', () => {
  it('runs a year, locks it, settles a late batch as a supplement, and verifies', () => {
    const book = join(root, 'book');
    expect(ok('book', 'init', book, '--scenario', 'scenarios/book-2024.yaml')).toContain('book opened for 2024 (QX-YGT), policy version 1: book-2024.yaml');
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, '0');
      if (m === 7) expect(ok('book', 'amend', book, '--scenario', 'scenarios/book-2024-v2.yaml')).toContain('policy version 2 in force from 2024-07');
      expect(ok('book', 'import', book, join(root, `claims-${mm}.csv`), '--no-progress')).toContain(`batch ${m} claims-${mm}.csv: 400 rows`);
      expect(ok('book', 'close', book, `2024-${mm}`)).toContain(`2024-${mm} closed: 400 rows, paid`);
    }
    // A refused import: every error in the report, not only the first 50 on the terminal; the book unchanged.
    const bad = join(root, 'bad-import.csv');
    const [hdr, ...rows] = readFileSync(join(root, 'claims-01.csv'), 'utf8').trim().split('\n');
    writeFileSync(bad, `${hdr}\n${rows.slice(0, 80).map((r) => r.replace(/^[^,]+/, (id) => `DUP-${id}`).replace(',2024-', ',2025-')).join('\n')}\n`);
    const report = join(root, 'import-errors.csv');
    const refused = run('book', 'import', book, bad, '--no-progress', '--report', report);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Input rejected, the book is unchanged: 80 error(s)');
    expect(refused.err).toContain(`Full error report (80 个错误 error(s)): ${report}`);
    expect(readFileSync(report, 'utf8').trim().split('\n')).toHaveLength(81);
    expect(ok('book', 'clear', book)).toContain('Draft clearing: group total T');
    expect(ok('book', 'lock', book)).toContain('Year-end clearing locked');
    const again = run('book', 'clear', book);
    expect(again.code).toBe(1);
    expect(again.err).toContain('settle later data with a supplement (book supplement) (book.locked)');
    expect(ok('book', 'import', book, join(root, 'late.csv'))).toContain('2 late (dated in closed months; kept for the clearing)');
    expect(ok('book', 'supplement', book)).toContain('Supplement 1: 1 new batch(es)');
    const json = join(root, 'status.json');
    // A folder where the workbook goes: refused before anything is written (the JSON neither).
    const wrong = run('book', 'status', book, '--json', json, '--xlsx', root);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('output.isDir');
    expect(existsSync(json)).toBe(false);
    expect(ok('book', 'status', book, '--json', json)).toContain('12/12');
    const s = JSON.parse(readFileSync(json, 'utf8'));
    expect(s.year).toBe(2024);
    expect(s.locked).toBe(true);
    expect(s.head).toMatch(/^[0-9a-f]{64}$/);
    expect(s.versions.map((v: { index: number; effectiveFrom: string }) => [v.index, v.effectiveFrom])).toEqual([
      [1, '2024-01'],
      [2, '2024-07'],
    ]);
    expect(s.batches).toHaveLength(13);
    expect(s.batches[12]).toMatchObject({ file: 'late.csv', rows: 2, late: 2 });
    expect(s.months.every((m: { closed: boolean; claimRows: number }) => m.closed && m.claimRows === 400)).toBe(true);
    expect(s.months[0].due).not.toBeNull(); // claims mode
    // Σ paid_m + Y = T, and each month's members add up to its payment.
    const fen = (v: string) => Math.round(Number(v) * 100);
    const paid = s.months.reduce((a: number, m: { paid: string }) => a + fen(m.paid), 0);
    expect(paid + fen(s.clearing.settlement.yearEndPayment)).toBe(fen(s.clearing.settlement.groupTotal));
    for (const m of s.months) expect(m.members.reduce((a: number, x: { paid: string }) => a + fen(x.paid), 0)).toBe(fen(m.paid));
    expect(s.supplements).toHaveLength(1);
    expect(s.supplements[0].differences.members).toHaveLength(18);
    const v = run('book', 'verify', book);
    expect(v.code).toBe(0);
    expect(v.out).toContain('all 16 transactions re-derive from the stored versions and batches');
  }, 120_000);
});
