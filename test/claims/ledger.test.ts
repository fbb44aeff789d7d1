// The claim ledger's hash set across growth and wrap-around: every repeated id is a suspect (never a silent pass),
// reversals find their originals after the table has grown, unknown and double reversals are reported.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaimLedger } from '../../src/claims/ledger.js';
import type { Claim, InputError } from '../../src/domain/types.js';
import { claim } from '../helpers/scenario.js';

const labels = { id: 'claim_id', reverses: 'reverses' };

function ledger(expected: number): { l: ClaimLedger; errors: InputError[] } {
  const errors: InputError[] = [];
  return { l: new ClaimLedger(expected, (e) => errors.push(e)), errors };
}

const add = (l: ClaimLedger, c: Claim, row: number) => l.add(c.claimId, c.reverses, c, 'f.csv', 0, row, labels);

describe('ClaimLedger', () => {
  it('allocates its table when first needed, and hands over an unused one without it', () => {
    const { l } = ledger(1_000_000);
    expect(l.bytes).toBe(0); // not yet
    const state = l.handOver();
    expect([state.table.length, state.slots, state.released]).toEqual([0, Math.ceil(1_100_000 / 0.75), false]);
    l.resume(state);
    add(l, claim({ institutionId: 'H01', claimId: 'A1' }), 2);
    expect(l.count).toBe(1);
    expect(l.bytes).toBe(state.slots * 12);
  });

  it('after the last file keeps no table (handOver(true)): finish and suspects still answer, a further row is a bug', () => {
    const { l, errors } = ledger(10);
    add(l, claim({ institutionId: 'H01', claimId: 'A1', totalCost: 100, fundPaid: 50 }), 2);
    add(l, claim({ institutionId: 'H01', claimId: 'A1', totalCost: 100, fundPaid: 50 }), 3);
    add(l, claim({ institutionId: 'H01', claimId: 'R9', reverses: 'X7', totalCost: -100, fundPaid: -50 }), 4); // its original never comes
    const other = ClaimLedger.continued(l.handOver(), () => undefined);
    const released = other.handOver(true);
    expect(released.table.length).toBe(0);
    expect(released.released).toBe(true);
    l.resume(released);
    expect(l.suspects.map((x) => [x.id, x.row])).toEqual([['A1', 3]]);
    l.finish();
    expect(errors.map((e) => e.rule)).toEqual(['reversal.unknown']);
    expect(() => add(l, claim({ institutionId: 'H01', claimId: 'B1', reverses: 'A1', totalCost: -100, fundPaid: -50 }), 5)).toThrow(/released/);
    expect(() => l.tableForBulk()).toThrow(/released/);
  });

  it('grows from a low estimate and still finds every original of a reversal', () => {
    const { l, errors } = ledger(0);
    const originals: Claim[] = [];
    for (let i = 0; i < 20_000; i++) {
      const c = claim({ claimId: `JS${i}`, institutionId: 'H01', totalCost: 1000 + i, fundPaid: 500 });
      originals.push(c);
      add(l, c, i + 2);
    }
    expect(l.count).toBe(20_000);
    expect(l.bytes).toBeGreaterThanOrEqual((20_000 / 0.75) * 12);
    // reverse every 7th claim, after all the growth
    let row = 20_002;
    for (const o of originals.filter((_, i) => i % 7 === 0)) {
      add(l, { ...o, claimId: `R${o.claimId}`, reverses: o.claimId, totalCost: -o.totalCost, fundPaid: -o.fundPaid, patientPaid: -o.patientPaid }, row++);
    }
    // a second reversal of the same claim, and a reversal of a claim that never came
    add(l, { ...originals[0], claimId: 'R2', reverses: originals[0].claimId, totalCost: -originals[0].totalCost, fundPaid: -500, patientPaid: -originals[0].patientPaid }, row++);
    add(l, claim({ claimId: 'R3', reverses: 'NOPE', institutionId: 'H01', totalCost: -100, fundPaid: -50 }), row++);
    l.finish();
    expect(errors.map((e) => e.rule)).toEqual(['reversal.twice', 'reversal.unknown']);
    expect(l.suspects).toEqual([]);
  });

  it('property: the suspects are exactly the repeated occurrences, whatever the estimate', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 4000 }), fc.integer({ min: 0, max: 5000 }), (ids, estimate) => {
        const { l } = ledger(estimate);
        const seen = new Set<number>();
        const repeats: number[] = [];
        ids.forEach((n, i) => {
          if (seen.has(n)) repeats.push(i + 2);
          seen.add(n);
          add(l, claim({ claimId: `ID-${n}`, institutionId: 'T01', totalCost: 100, fundPaid: 60 }), i + 2);
        });
        expect(l.count).toBe(seen.size);
        expect(l.suspects.map((s) => s.row)).toEqual(repeats);
      }),
      { numRuns: 60 },
    );
  });

  it('across insertion batches: a reversal before its original, duplicates far apart, suspects in row order', () => {
    const { l, errors } = ledger(1000);
    let row = 2;
    const o = (i: number) => claim({ claimId: `JS${i}`, institutionId: 'V01', totalCost: 1000 + i, fundPaid: 600 });
    // reversals waiting for originals that come 50,000 and 90,000 rows later (one with the wrong amounts)
    const rev = (c: Claim, id: string, fund: number) => ({ ...c, claimId: id, reverses: c.claimId, totalCost: -c.totalCost, fundPaid: fund, patientPaid: -c.totalCost - fund });
    add(l, rev(o(50_000), 'RA', -600), row++);
    add(l, rev(o(90_000), 'RB', -601), row++);
    const dupRows: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      add(l, o(i), row++);
      if (i % 20_000 === 7) {
        dupRows.push(row);
        add(l, o(i - 7), row++); // a repeat of an id from thousands of rows before
      }
    }
    dupRows.push(row);
    add(l, o(3), row++);
    l.finish();
    expect(l.count).toBe(100_002);
    expect(l.suspects.map((s) => s.row)).toEqual(dupRows);
    expect(l.suspects.map((s) => s.id)).toEqual(['JS0', 'JS20000', 'JS40000', 'JS60000', 'JS80000', 'JS3']);
    expect(errors.map((e) => [e.rule, e.row])).toEqual([['reversal.mismatch', 3]]);
  });

  it('a reversal row reusing an earlier id is the suspect, not the earlier row (the batch is inserted first)', () => {
    const { l } = ledger(100);
    const a = claim({ claimId: 'A1', institutionId: 'V01', totalCost: 1000, fundPaid: 600 });
    const b = claim({ claimId: 'B1', institutionId: 'V01', totalCost: 2000, fundPaid: 600 });
    add(l, a, 2);
    add(l, b, 3);
    add(l, { ...b, claimId: 'A1', reverses: 'B1', totalCost: -2000, fundPaid: -600, patientPaid: -1400 }, 4);
    l.finish();
    expect(l.suspects.map((s) => [s.id, s.row])).toEqual([['A1', 4]]);
  });
});
