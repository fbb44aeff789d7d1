// The book on disk (DuckDB): import checks across batches, verify on an honest and on altered books, the lock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookClear, bookClose, bookImport, bookInit, bookLock, bookSupplement, loadBook, withBook } from '../../src/app/book.js';
import { bookVerify } from '../../src/app/bookVerify.js';
import { bookJson } from '../../src/book/json.js';
import { InputRejected } from '../../src/domain/errors.js';
import { formatInputErrors } from '../../src/cli/errors.js';
import { SMALL_YEAR, claimsFile, ctx, row } from './fixtures.js';
import { sha256Hex } from '../../src/book/postings.js';


let root: string;
const file = (name: string, rows: string[]) => claimsFile(root, name, rows);
const rejected = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputRejected) return formatInputErrors(e.errors, e.totalErrors);
    throw e;
  }
  throw new Error('expected the command to be refused');
};

/** A book with January imported and closed, then the rest of the year closed, cleared and locked. */
async function lockedBook(name: string): Promise<string> {
  const dir = join(root, name);
  const scenario = join(root, 'policy.yaml');
  writeFileSync(scenario, SMALL_YEAR);
  await bookInit(dir, scenario, ctx);
  const jan = file(`${name}-01.csv`, [row('A1', 'H01', '2024-01-10', '50000'), row('A2', 'T01', '2024-01-11', '20000'), row('A3', 'X01', '2024-01-12', '10000')]);
  await withBook(dir, 'test', (s) => bookImport(s, [jan], ctx));
  await withBook(dir, 'test', async (s) => {
    for (let m = 1; m <= 12; m++) await bookClose(s, `2024-${String(m).padStart(2, '0')}`, ctx);
    await bookClear(s, ctx);
    await bookLock(s, ctx);
  });
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yibao-book-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('book on disk', () => {
  it('imports across batches with book-wide checks, all or nothing', async () => {
    const dir = await lockedBook('checks');
    // A claim id already in the book, a reversal of an unknown claim, one whose amounts do not negate, a row of
    // another year: every error at once, nothing stored.
    const bad = file('bad.csv', [
      row('A1', 'H01', '2024-03-01', '10'),
      row('R9', 'H01', '2024-03-01', '-10', 'NOPE'),
      row('R2', 'T01', '2024-03-01', '-19999', 'A2'),
      row('B4', 'T01', '2025-01-01', '10'),
    ]);
    const text = await rejected(withBook(dir, 'test', (s) => bookImport(s, [bad], ctx)));
    expect(text).toContain('claim_id "A1" is already in the book (batch 1 checks-01.csv, row 2)');
    expect(text).toContain('结算单据号 "A1" 已在账簿中');
    expect(text).toContain('the reversed claim "NOPE" is neither in this import nor in the book');
    expect(text).toContain('a reversal must have the institution, category, out-of-region flag, setting, days, DRG/DIP codes and referral of claim "A2" and exactly the negatives of its amounts');
    expect(text).toContain('"2025-01-01" is outside the settlement year 2024');
    const after = await withBook(dir, 'test', loadBook);
    expect(after.state.batches).toHaveLength(1);
    // A reversal in a later batch whose amounts negate but whose setting differs from its locked original: refused
    // too (it would not be priced as the original's exact negation).
    const inpatient = file('bad-setting.csv', [row('R2', 'T01', '2024-03-01', '-20000', 'A2').replace(',outpatient,', ',inpatient,').replace(',0,,,', ',3,,,')]);
    expect(await rejected(withBook(dir, 'test', (s) => bookImport(s, [inpatient], ctx)))).toContain('reversal.mismatch');
    // The same file twice in one import is said so (no 'already imported' from a batch that does not exist).
    const same = file('same.csv', [row('C7', 'H01', '2024-03-01', '10')]);
    const both = await rejected(withBook(dir, 'test', (s) => bookImport(s, [same, same], ctx)));
    expect(both).toContain('batch.twiceInImport');
    expect(both).not.toContain('batch  ');
    // Closing a month already closed, or of another year, says which (a book with January closed).
    const open = join(root, 'close-order');
    await bookInit(open, join(root, 'policy.yaml'), ctx);
    await withBook(open, 'test', (s) => bookClose(s, '2024-01', ctx));
    expect(await rejected(withBook(open, 'test', (s) => bookClose(s, '2024-01', ctx)))).toContain('2024-01 is already closed');
    expect(await rejected(withBook(open, 'test', (s) => bookClose(s, '2025-04', ctx)))).toContain("2025-04 is not in the book's year 2024");
    expect(await rejected(withBook(open, 'test', (s) => bookClose(s, '2024-04', ctx)))).toContain('months close in order: the next is 2024-02');
    // The same file twice is refused by its hash.
    const jan = join(root, 'checks-01.csv');
    expect(await rejected(withBook(dir, 'test', (s) => bookImport(s, [jan], ctx)))).toContain('this file was already imported (same content as batch 1 checks-01.csv');
    // A good late batch: reverses A2 (locked), adds a February claim; the supplement posts −15,000 for T01.
    const late = file('late.csv', [row('R2', 'T01', '2024-01-20', '-20000', 'A2'), row('B1', 'T01', '2024-02-20', '5000')]);
    const imported = await withBook(dir, 'test', (s) => bookImport(s, [late], ctx));
    expect(imported.lines[0]).toContain('2 late');
    const sup = await withBook(dir, 'test', (s) => bookSupplement(s, ctx));
    const t01 = sup.state.supplements[0].difference.members.find((m) => m.id === 'T01')!;
    expect(t01.total).toBe(-1_500_000);
    // Nothing new: the next supplement posts nothing and says so.
    const none = await withBook(dir, 'test', (s) => bookSupplement(s, ctx));
    expect(none.posted).toBe(false);
    expect(none.lines[0]).toContain('posts nothing');
    // A second reversal of A2 is refused.
    const twice = file('twice.csv', [row('R3', 'T01', '2024-01-21', '-20000', 'A2')]);
    expect(await rejected(withBook(dir, 'test', (s) => bookImport(s, [twice], ctx)))).toContain('"A2" was already reversed in the book');
    expect((await withBook(dir, 'test', bookVerify)).ok).toBe(true);
  });

  it('refuses commands out of order, with reasons in both languages', async () => {
    const dir = await lockedBook('order');
    expect(await rejected(withBook(dir, 'test', (s) => bookClear(s, ctx)))).toContain('settle later data with a supplement');
    expect(await rejected(withBook(dir, 'test', (s) => bookClose(s, '2025-01', ctx)))).toContain('all twelve months of 2024 are closed');
    const fresh = join(root, 'fresh');
    await bookInit(fresh, join(root, 'policy.yaml'), ctx);
    expect(await rejected(withBook(fresh, 'test', (s) => bookClose(s, '2024-02', ctx)))).toContain('months close in order: the next is 2024-01, not 2024-02');
    expect(await rejected(withBook(fresh, 'test', (s) => bookLock(s, ctx)))).toContain('there is no draft clearing');
    expect(await rejected(bookInit(fresh, join(root, 'policy.yaml'), ctx))).toContain('already holds a book');
  });

  it('refuses a second owner: "the book is in use by PID …"', async () => {
    const dir = await lockedBook('owned');
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: process.ppid, command: 'yibao serve' }));
    const text = await rejected(withBook(dir, 'test', loadBook));
    expect(text).toContain(`账簿正被进程 PID ${process.ppid}（yibao serve）使用`);
    expect(text).toContain(`the book is in use by PID ${process.ppid} (yibao serve)`);
    // A lock left by a process that is gone is taken over.
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'killed' }));
    expect((await withBook(dir, 'test', loadBook)).state.locked).toBeDefined();
  });

  it('prints the §12.8 JSON with every member everywhere', async () => {
    const dir = await lockedBook('json');
    const { state, events } = await withBook(dir, 'test', loadBook);
    const j = bookJson(state, events);
    expect(j.locked).toBe(true);
    expect(j.head).toMatch(/^[0-9a-f]{64}$/);
    expect(j.months).toHaveLength(12);
    expect(j.months[0]).toMatchObject({ month: '2024-01', closed: true, claimRows: 3, installment: '93100.00', paid: '63090.00', due: '63090.00' });
    for (const m of j.months) expect(m.members.map((x) => x.id)).toEqual(['H01', 'T01', 'V01']);
    expect(j.batches[0]).toMatchObject({ file: 'json-01.csv', rows: 3, late: 0, importedAt: '2025-01-15T08:00:00.000Z' });
    // January as in the hand-computed year (paid 63,090), then 11 months of capitation only (90 each): Σ paid
    // 64,080. D 10,000; L 70,000; C 1,200; X 1,058,800 → S = cap 57,000; T = 128,200; Y = 64,120.
    const clearing = j.clearing as { settlement: Record<string, string>; members: Array<Record<string, string>> };
    expect(clearing.settlement.yearEndPayment).toBe('64120.00');
    expect(clearing.settlement.paid).toBe('64080.00');
    expect(clearing.members.map((m) => [m.id, m.paid, m.clearing])).toEqual([
      ['H01', '45000.00', '62000.00'],
      ['T01', '18000.00', '2000.00'],
      ['V01', '1080.00', '120.00'],
    ]);
  });
});

describe('verify', () => {
  const alter = async (dir: string, sql: string) => withBook(dir, 'test', async (s) => void (await s.db.run(sql)));

  it('passes on an honest book and names what was altered behind its back', async () => {
    const dir = await lockedBook('verify');
    const honest = await withBook(dir, 'test', bookVerify);
    expect(honest.ok).toBe(true);
    expect(honest.lines).toHaveLength(3);

    // A stored row.
    const d1 = await lockedBook('verify-row');
    await alter(d1, `UPDATE claims SET fund_paid = fund_paid + 1 WHERE claim_id = 'A2'`);
    const r1 = await withBook(d1, 'test', bookVerify);
    expect(r1.ok).toBe(false);
    expect(r1.lines.at(-1)).toContain('batch 1 (verify-row-01.csv) row 3: the stored row differs from the original file');

    // A stored version's text.
    const d2 = await lockedBook('verify-version');
    await alter(d2, `UPDATE events SET payload = replace(payload, '1200000', '1300000') WHERE kind = 'open'`);
    const r2 = await withBook(d2, 'test', bookVerify);
    expect(r2.ok).toBe(false);
    expect(r2.lines.at(-1)).toContain('policy version 1 (policy.yaml) does not match its SHA-256');

    // A posted figure: the hash no longer matches.
    const d3 = await lockedBook('verify-posting');
    await alter(d3, `UPDATE transactions SET content = replace(content, '63090.00', '63091.00') WHERE seq = 2`);
    const r3 = await withBook(d3, 'test', bookVerify);
    expect(r3.ok).toBe(false);
    expect(r3.lines.at(-1)).toContain('transaction 2 (monthly): the hash chain is broken');

    // A posted figure with the whole chain re-hashed by the forger: the replay from the stored rows finds it.
    const d4 = await lockedBook('verify-forged');
    await withBook(d4, 'test', async (s) => {
      const txs = await s.transactions();
      let prev = '';
      for (const t of txs) {
        let content = t.content.replace(/"prev":"[0-9a-f]*"/, `"prev":"${prev}"`);
        if (t.seq === 2) content = content.replace('"amount":"45000.00"', '"amount":"45001.00"').replace('"amount":"-63090.00"', '"amount":"-63091.00"');
        const hash = sha256Hex(content);
        await s.db.run('UPDATE transactions SET content = $1, prev = $2, hash = $3 WHERE seq = $4', [content, prev, hash, t.seq]);
        prev = hash;
      }
    });
    const r4 = await withBook(d4, 'test', bookVerify);
    expect(r4.ok).toBe(false);
    expect(r4.lines[0]).toContain('hash chain holds');
    expect(r4.lines.at(-1)).toContain('transaction 2 (monthly 2024-01-31) does not re-derive from the stored versions and batches');

    // An event's stored record (what commands fold) altered: verify names the event.
    const d5 = await lockedBook('verify-event');
    await alter(d5, `UPDATE events SET payload = replace(payload, '"paid":6309000', '"paid":6309100') WHERE kind = 'close' AND seq = 3`);
    const r5 = await withBook(d5, 'test', bookVerify);
    expect(r5.ok).toBe(false);
    expect(r5.lines.at(-1)).toContain('event 3 (close) differs from its recomputation');
  });
});

/** Last year's book for a chain (§12.7): January's two claims, twelve months closed, cleared and locked; next year's policy. */
async function lockedChainYear(name: string): Promise<{ prev: string; p2025: string }> {
  const policy = (year: number) => SMALL_YEAR.replace('year: 2024', `year: ${year}`) + 'carryForward: { opening: "0", retainShare: "0.2" }\n';
  const p2024 = join(root, `${name}-2024.yaml`);
  const p2025 = join(root, `${name}-2025.yaml`);
  writeFileSync(p2024, policy(2024));
  writeFileSync(p2025, policy(2025));
  const prev = join(root, `${name}-2024`);
  await bookInit(prev, p2024, ctx);
  const jan = file(`${name}-01.csv`, [row('A1', 'H01', '2024-01-10', '50000'), row('A2', 'T01', '2024-01-11', '20000')]);
  await withBook(prev, 'test', async (s) => {
    await bookImport(s, [jan], ctx);
    for (let m = 1; m <= 12; m++) await bookClose(s, `2024-${String(m).padStart(2, '0')}`, ctx);
    await bookClear(s, ctx);
    await bookLock(s, ctx);
  });
  return { prev, p2025 };
}

describe('chained years (§12.7)', () => {
  it('opens from last year’s closing carry-forward; a later supplement to last year posts its difference into this one', async () => {
    const { prev, p2025 } = await lockedChainYear('chain');
    const locked = (await withBook(prev, 'test', loadBook)).state.posted!;
    // Δ = S = 57,000 (cap); 20% to the reserve: closing 11,400.00.
    expect(locked.carryForward.closing).toBe(1_140_000);
    const next = join(root, 'chain-2025');
    await bookInit(next, p2025, ctx, prev);
    const opened = (await withBook(next, 'test', loadBook)).state;
    expect(opened.opening).toBe(1_140_000);
    expect(opened.previous?.dir).toBe(prev);
    expect((await withBook(prev, 'test', loadBook)).state.successor).toBe(next);
    // A late claim large enough to turn last year into an overrun: the reserve is no longer added to, so last
    // year's closing carry-forward changes, and that difference is posted into this year's opening.
    const late = file('chain-late.csv', [row('B1', 'H01', '2024-03-01', '1100000')]);
    await withBook(prev, 'test', (s) => bookImport(s, [late], ctx));
    const sup = await withBook(prev, 'test', (s) => bookSupplement(s, ctx));
    const d = sup.state.supplements[0].difference.carryForward.closing;
    expect(d).not.toBe(0);
    expect(sup.lines[0]).toContain("posted into the 2025 book's opening");
    const after = (await withBook(next, 'test', loadBook)).state;
    expect(after.opening).toBe(1_140_000 + d);
    expect(after.journal.at(-1)!.kind).toBe('openingAdjustment');
    // Delivered once: another supplement run posts nothing more into 2025.
    await withBook(prev, 'test', (s) => bookSupplement(s, ctx));
    expect((await withBook(next, 'test', loadBook)).state.adjustments).toBe(1);
    expect((await withBook(next, 'test', bookVerify)).ok).toBe(true);
    expect((await withBook(prev, 'test', bookVerify)).ok).toBe(true);
  });
});

describe('chained years: supplements before the successor, and a successor that cannot take a delivery (§12.7)', () => {
  it('a supplement made before next year was opened is in its opening once; a moved or busy successor is a warning, and the next run delivers', async () => {
    const { renameSync, rmSync: rm } = await import('node:fs');
    const { prev, p2025 } = await lockedChainYear('twice');
    // Supplement 1, before 2025 is opened: 2025 opens from the closing after it.
    await withBook(prev, 'test', (s) => bookImport(s, [file('twice-late1.csv', [row('B1', 'H01', '2024-03-01', '1100000')])], ctx));
    const s1 = await withBook(prev, 'test', (s) => bookSupplement(s, ctx));
    const closing1 = s1.state.posted!.carryForward.closing;
    expect(s1.state.supplements[0].difference.carryForward.closing).not.toBe(0);
    const next = join(root, 'twice-2025');
    await bookInit(next, p2025, ctx, prev);
    expect((await withBook(next, 'test', loadBook)).state.opening).toBe(closing1);
    // Another supplement run with nothing new: supplement 1 is not posted into 2025 a second time.
    const again = await withBook(prev, 'test', (s) => bookSupplement(s, ctx));
    expect(again.warnings).toEqual([]);
    const after = (await withBook(next, 'test', loadBook)).state;
    expect(after.opening).toBe(closing1);
    expect(after.adjustments).toBe(0);

    // Supplement 2 while 2025 is in another process's hands: posted here, a warning, nothing posted there.
    // (the reversal of B1 undoes the overrun: last year's closing carry-forward changes again)
    await withBook(prev, 'test', (s) => bookImport(s, [file('twice-late2.csv', [row('B1R', 'H01', '2024-03-01', '-1100000', 'B1')])], ctx));
    writeFileSync(join(next, 'LOCK'), JSON.stringify({ pid: process.ppid, command: 'yibao serve' }));
    const s2 = await withBook(prev, 'test', (s) => bookSupplement(s, ctx));
    rm(join(next, 'LOCK'));
    expect(s2.posted).toBe(true);
    expect(s2.state.supplements).toHaveLength(2);
    expect(s2.state.supplements[1].difference.carryForward.closing).not.toBe(0);
    expect(s2.warnings.join('\n')).toContain('cannot be posted into the opening');
    expect((await withBook(next, 'test', loadBook)).state.opening).toBe(closing1);
    // Moved away: a warning, not a silence; moved back: the next run delivers what 2025 has not received.
    renameSync(next, `${next}-moved`);
    const moved = await withBook(prev, 'test', (s) => bookSupplement(s, ctx));
    expect(moved.warnings.join('\n')).toContain("the next year's book is not where it was");
    renameSync(`${next}-moved`, next);
    const back = await withBook(prev, 'test', (s) => bookSupplement(s, ctx));
    expect(back.warnings).toEqual([]);
    const final = (await withBook(next, 'test', loadBook)).state;
    expect(final.opening).toBe(s2.state.posted!.carryForward.closing);
    expect((await withBook(next, 'test', bookVerify)).ok).toBe(true);
    expect((await withBook(prev, 'test', bookVerify)).ok).toBe(true);
  });
});

describe('a version whose special-case list no run could read (§13.2)', () => {
  it('is refused at book init with the list\'s own error, and no book is made', async () => {
    const { copyFileSync, existsSync, readFileSync } = await import('node:fs');
    const src = join(root, 'sc-src');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'scenario.yaml'), readFileSync('test/fixtures/funds/scenario.yaml', 'utf8'));
    copyFileSync('test/fixtures/funds/claims.csv', join(src, 'claims.csv'));
    writeFileSync(join(src, 'special-cases.csv'), 'id,amount\nC2,45000.00\n'); // neither header is a known name
    const dir = join(root, 'sc-bad');
    const e = await bookInit(dir, join(src, 'scenario.yaml'), ctx).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(InputRejected);
    expect((e as InputRejected).errors.map((x) => x.rule)).toContain('specialCases.missingColumn');
    expect(existsSync(join(dir, 'book.duckdb'))).toBe(false);
  });
});

describe('a book with packaged funds and special cases (§13)', () => {
  it('clears to the same figures as settle (but Y), keeps the list in the book, and verifies', async () => {
    const { loadScenarioFile } = await import('../../src/scenario/load.js');
    const { settleScenario } = await import('../../src/app/settle.js');
    const { resultToJson } = await import('../../src/report/json.js');
    const dir = join(root, 'funds');
    await bookInit(dir, 'test/fixtures/funds/scenario.yaml', ctx);
    await withBook(dir, 'test', async (s) => {
      await bookImport(s, ['test/fixtures/funds/claims.csv'], ctx);
      for (let m = 1; m <= 12; m++) await bookClose(s, `2024-${String(m).padStart(2, '0')}`, ctx);
      await bookClear(s, ctx);
    });
    const { state } = await withBook(dir, 'test', loadBook);
    const loaded = loadScenarioFile('test/fixtures/funds/scenario.yaml');
    const oneShot = resultToJson((await settleScenario(loaded.scenario, loaded.inputs)).result, 'x') as Record<string, Record<string, unknown>>;
    const report = state.draft!.clearing.report as Record<string, Record<string, unknown>>;
    expect(report.actuals.funds).toEqual(oneShot.actuals.funds);
    expect(report.actuals.specialCases).toEqual(oneShot.actuals.specialCases);
    expect({ ...report.settlement, yearEndPayment: 0, paid: 0 }).toEqual({ ...oneShot.settlement, yearEndPayment: 0, paid: 0 });
    expect(state.versions[0].record.attachments?.map((a) => [a.key, a.file])).toEqual([
      ['scenario', 'scenario.yaml'],
      ['specialCases.file', 'special-cases.csv'],
    ]);
    expect((await withBook(dir, 'test', bookVerify)).ok).toBe(true);
  });
});

describe('a policy saved by Windows Notepad as GB18030 ("ANSI")', () => {
  it('is kept as given and read as the loader reads it; verify accepts it and still catches an altered text', async () => {
    const { encodeGb18030 } = await import('../../src/generate/gb18030.js');
    const policy = join(root, 'gbk-policy.yaml');
    writeFileSync(policy, encodeGb18030(SMALL_YEAR));
    const dir = join(root, 'gbk');
    await bookInit(dir, policy, ctx);
    const { state } = await withBook(dir, 'test', loadBook);
    expect(state.versions[0].record.text).toContain('县医院');
    expect(state.versions[0].scenario.group.members.map((m) => m.name)).toEqual(['县医院', '镇卫生院', '村卫生室']);
    expect((await withBook(dir, 'test', bookVerify)).ok).toBe(true);
    await withBook(dir, 'test', async (s) => void (await s.db.run(`UPDATE events SET payload = replace(payload, '县医院', '市医院') WHERE kind = 'open'`)));
    const r = await withBook(dir, 'test', bookVerify);
    expect(r.ok).toBe(false);
    expect(r.lines.at(-1)).toContain('policy version 1 (gbk-policy.yaml) does not match its SHA-256');
  });
});
