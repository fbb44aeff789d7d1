// The book's stored rows: the fast CSV line equals the column list's, and a row goes in and comes back unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimCsvLine, claimCsvLineByColumns } from '../../src/book/store.js';
import type { Claim } from '../../src/domain/types.js';

const text = fc.string({ maxLength: 8 });
const fen = fc.integer({ min: -10_000_000_000, max: 10_000_000_000 });
const claimArb: fc.Arbitrary<Claim> = fc.record(
  {
    claimId: text,
    patientId: text,
    category: fc.constantFrom('employee', 'resident', 'poverty'),
    institutionId: text,
    outOfRegion: fc.boolean(),
    setting: fc.constantFrom('inpatient', 'outpatient'),
    serviceDate: fc.constant('2024-03-05'),
    losDays: fc.integer({ min: 0, max: 400 }),
    drgCode: text,
    dipCode: text,
    totalCost: fen,
    fundPaid: fen,
    patientPaid: fen,
    reverses: text,
    referral: fc.constantFrom('', 'up', 'down'),
    referredFrom: text,
    contractType: text,
    criticalPaid: fen,
    assistancePaid: fen,
    otherPaid: fen,
  },
  { requiredKeys: ['claimId', 'patientId', 'category', 'institutionId', 'outOfRegion', 'setting', 'serviceDate', 'losDays', 'drgCode', 'dipCode', 'totalCost', 'fundPaid', 'patientPaid', 'reverses'] },
) as fc.Arbitrary<Claim>;

describe('stored rows', () => {
  it('the one-template CSV line equals the line from the column list (every column, optional ones absent or not)', () => {
    fc.assert(
      fc.property(claimArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 12 }), (c, b, r, m) => {
        expect(claimCsvLine(b, r, m, c)).toBe(claimCsvLineByColumns(b, r, m, c));
      }),
      { numRuns: 500 },
    );
  });
});

describe('stored rows through DuckDB', () => {
  it('come back exactly as they went in: quotes, commas, line breaks, backslashes, \\N, CJK, absent columns', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { BookStore, RowSpool } = await import('../../src/book/store.js');
    const dir = mkdtempSync(join(tmpdir(), 'yibao-rows-'));
    const store = await BookStore.open(dir, true);
    try {
      const claims = fc.sample(claimArb, { numRuns: 300, seed: 42 });
      const odd = ['a"b', 'a,b', 'a\nb', 'a\\b', '\\N', 'NULL', '', ' 县医院 ', '"', '\r'];
      claims.forEach((c, i) => {
        const m = c as { claimId: string; patientId: string; institutionId: string; dipCode: string; contractType?: string };
        m.claimId = odd[i % odd.length] + i;
        // Exactly the odd values too: a text cell of exactly \N once came back as NULL (an empty id).
        m.patientId = odd[i % odd.length];
        m.institutionId = odd[(i + 3) % odd.length];
        m.dipCode = odd[(i + 5) % odd.length];
        if (m.contractType !== undefined) m.contractType = odd[(i + 7) % odd.length];
      });
      await store.begin();
      const spool = new RowSpool(store, 'test');
      await spool.around(async () => claims.forEach((c, i) => spool.add(1, i + 2, 3, c)));
      await store.commit();
      const back: string[] = [];
      await store.scan({ throughBatch: 1, batch: 1 }, (c, at) => back.push(claimCsvLine(1, at.row, 3, c)));
      expect(back).toEqual(claims.map((c, i) => claimCsvLine(1, i + 2, 3, c)));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
