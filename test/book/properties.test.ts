// Properties of a book (DOMAIN.md §12) over generated scenarios and claims, imported in random batches between
// random month closes. Seeds are printed; rerun one with FC_SEED=<seed> npx vitest run test/book/properties.test.ts
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeClearing } from '../../src/book/compute.js';
import { replayEvents } from '../../src/book/state.js';
import { versionScenario } from '../../src/book/versions.js';
import type { Claim } from '../../src/domain/types.js';
import { resultToJson } from '../../src/report/json.js';
import { caseArb, type RawScenario } from '../helpers/arbitraries.js';
import { scenarioFromRaw } from '../helpers/figures.js';
import { runScenario } from '../helpers/run.js';
import { MemoryBook } from './driver.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;
const scale = process.env.FC_RUNS_SCALE ? Number(process.env.FC_RUNS_SCALE) : 1;
const params = (numRuns: number) => ({ seed, numRuns: Math.round(numRuns * scale), verbose: 0 as const });
console.log(`[book properties] fast-check seed ${seed}`);

const monthlyArb = fc.record({
  mode: fc.constantFrom('installments', 'claims'),
  withholdRate: fc.integer({ min: 0, max: 3000 }).map((bp) => (bp / 10000).toFixed(4)),
  deductOutOfGroup: fc.constantFrom('true', 'false'),
  capToBudget: fc.constantFrom('true', 'false'),
  dipPointValue: fc.integer({ min: 1, max: 2000 }).map((c) => (c / 100).toFixed(2)),
});

/**
 * A year: the scenario with a monthly rule; each claim dated in a month (a reversal never before its original);
 * the claims cut into batches in order; before each batch, how many months are closed (non-decreasing).
 */
const yearArb = caseArb().chain(({ raw, claims }) =>
  fc.record({
    raw: monthlyArb.map((monthly) => ({ ...raw, monthly }) as RawScenario),
    claims: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: claims.length, maxLength: claims.length }).map((months) => dated(claims, months)),
    cuts: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 5 }),
    closes: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 6, maxLength: 6 }).map((a) => a.sort((x, y) => x - y)),
    lockAfter: fc.integer({ min: 0, max: 6 }),
  }),
);

function dated(claims: readonly Claim[], months: readonly number[]): Claim[] {
  const monthOf = new Map<string, number>();
  return claims.map((c, i) => {
    let m = months[i];
    if (c.reverses !== '') m = Math.max(m, monthOf.get(c.reverses) ?? 1);
    monthOf.set(c.claimId, m);
    return { ...c, serviceDate: `2024-${String(m).padStart(2, '0')}-15` };
  });
}

function batchesOf(claims: readonly Claim[], cuts: readonly number[]): Claim[][] {
  const points = [...new Set(cuts.map((c) => Math.min(c, claims.length)))].sort((a, b) => a - b);
  const out: Claim[][] = [];
  let from = 0;
  for (const p of [...points, claims.length]) {
    if (p > from) out.push(claims.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

/** The §8 figures a clearing shares with a one-shot settle: everything but the year-end payment. */
function comparable(json: Record<string, unknown>) {
  const { yearEndPayment: _y, paid: _p, ...settlement } = json.settlement as Record<string, unknown>;
  const members = (json.members as Array<Record<string, unknown>>).map(({ paid: _a, clearing: _b, ...m }) => m);
  return { budget: json.budget, actuals: json.actuals, settlement, carryForward: json.carryForward, members };
}

describe(`book properties (seed ${seed})`, () => {
  it('month by month and cleared: Σ paid + Y = T, Σ member clearing = Y + used − added, and every other §8 figure equals settle on the union of the batches', async () => {
    await fc.assert(
      fc.asyncProperty(yearArb, async ({ raw, claims, cuts, closes }) => {
        const book = new MemoryBook(raw as Record<string, unknown>);
        const batches = batchesOf(claims, cuts);
        for (const [i, batch] of batches.entries()) {
          while (book.state.months.length < (closes[i] ?? 12)) await book.close();
          book.import(batch);
        }
        await book.closeAll();
        await book.clear();
        const c = book.state.draft!.clearing;
        const s = c.figures.settlement;
        expect(s.paid + s.yearEndPayment).toBe(s.groupTotal);
        expect(c.figures.members.reduce((a, m) => a + m.clearing, 0)).toBe(s.yearEndPayment + c.figures.carryForward.used - c.figures.carryForward.added);
        expect(s.paid).toBe(book.state.months.reduce((a, m) => a + m.paid, 0));
        // The same claims settled in one shot with the same (last) version.
        const oneShot = await runScenario(scenarioFromRaw({ ...raw, claims: [] }), claims);
        expect(comparable(c.report as Record<string, unknown>)).toEqual(comparable(resultToJson(oneShot, 'x') as Record<string, unknown>));
        // Each month's members add up to its payment; late rows are counted where they are.
        for (const m of book.state.months) expect(m.members.reduce((a, x) => a + x.paid, 0)).toBe(m.paid);
        // A replay of the stored events gives the same journal, hash for hash.
        const again = replayEvents(book.events, versionScenario);
        expect(again.journal.map((t) => t.hash)).toEqual(book.journal.map((t) => t.hash));
      }),
      params(60),
    );
  });

  it('lock + supplements = a clearing from scratch, with late batches that reverse locked claims', async () => {
    await fc.assert(
      fc.asyncProperty(yearArb, async ({ raw, claims, cuts, lockAfter }) => {
        const book = new MemoryBook(raw as Record<string, unknown>);
        const batches = batchesOf(claims, cuts);
        const before = batches.slice(0, Math.min(lockAfter, batches.length));
        const after = batches.slice(before.length);
        for (const b of before) book.import(b);
        await book.closeAll();
        await book.lock();
        for (const b of after) {
          book.import(b);
          await book.supplement();
        }
        const fromScratch = await computeClearing(book.state, book.claims);
        expect(book.state.posted).toEqual(fromScratch.figures);
        expect(book.state.supplements).toHaveLength(after.length);
        // Supplements never change the locked clearing.
        expect(book.state.locked!.figures.settlement.paid).toBe(book.state.months.reduce((a, m) => a + m.paid, 0));
      }),
      params(60),
    );
  });
});
