// Outlier boundaries (DOMAIN.md §4): a DRG claim costing exactly 3× or 0.3× its standard, and a DIP claim at exactly
// 0.5× or 2× its group's average cost, is a normal case; one fen beyond is an outlier. Checked for standards that are
// whole fen and standards with fractions of a fen (the thresholds then fall between two fen), per tier, under a
// budget point value and a settlement point value (the deferred DIP path), with a reversal of each boundary claim,
// and always against the reference implementation (test/reference) to the fen.
import { describe, expect, it } from 'vitest';
import type { MethodTotals, SettlementResult } from '../../src/domain/result.js';
import type { Claim } from '../../src/domain/types.js';
import { scen } from '../helpers/build.js';
import { engineFigures, scenarioFromRaw } from '../helpers/figures.js';
import { runScenario } from '../helpers/run.js';
import { reversalOf } from '../helpers/arbitraries.js';
import { claim } from '../helpers/scenario.js';
import { referenceSettle } from '../reference/settle.js';

const inpatient = (institutionId: string, code: Partial<Claim>, totalCost: number): Claim =>
  claim({ institutionId, setting: 'inpatient', losDays: 5, totalCost, fundPaid: Math.floor(totalCost / 2), ...code });

/** Settles the claims, checks engine = reference, and returns the method totals of a member. */
async function settleBoth(payments: Record<string, unknown>, claims: readonly Claim[]): Promise<SettlementResult> {
  const s = scenarioFromRaw(scen({ payments }));
  const r = await runScenario(s, claims);
  expect(engineFigures(r)).toEqual(referenceSettle(s, claims));
  return r;
}

function totals(r: SettlementResult, member: string, method: string): MethodTotals | undefined {
  return r.actuals.members.find((m) => m.id === member)?.methods.find((t) => t.method === method);
}

describe('DRG outlier boundaries: exactly 3× and 0.3× the standard are normal cases', () => {
  // baseRate × RW × coefficient, in fen: 1,200,000 (whole fen) and 1,234,506.1725 (a fraction of a fen).
  const cases = [
    { name: 'whole-fen standard', baseRate: '10000', weight: '1.2', std: 1_200_000, high: 3_600_000, low: 360_000 },
    // 3 × 1,234,506.1725 = 3,703,518.5175 → 3,703,518 is not above it, 3,703,519 is;
    // 0.3 × 1,234,506.1725 = 370,351.85175 → 370,351 is below it, 370,352 is not.
    { name: 'standard with a fraction of a fen', baseRate: '10000.05', weight: '1.2345', std: 1_234_506.1725, high: 3_703_518, low: 370_352 },
  ];
  for (const c of cases) {
    const payments = {
      rules: [{ when: { hasCode: 'drg' }, method: 'drg' }],
      drg: { baseRate: c.baseRate, weights: { A: c.weight }, coefficients: { township: '0.9' } },
    };
    it(`${c.name}: at the thresholds normal, one fen beyond an outlier`, async () => {
      const at = [inpatient('H01', { drgCode: 'A' }, c.high), inpatient('H01', { drgCode: 'A' }, c.low)];
      let r = await settleBoth(payments, at);
      expect(totals(r, 'H01', 'drg')).toMatchObject({ claims: 2, highOutliers: 0, lowOutliers: 0 });
      const beyond = [inpatient('H01', { drgCode: 'A' }, c.high + 1), inpatient('H01', { drgCode: 'A' }, c.low - 1)];
      r = await settleBoth(payments, beyond);
      expect(totals(r, 'H01', 'drg')).toMatchObject({ claims: 2, highOutliers: 1, lowOutliers: 1 });
      // the low outlier is paid its cost, the high one the standard plus the excess (highExcessRate 1)
      expect(totals(r, 'H01', 'drg')!.standard).toBe(c.low - 1 + Math.round(c.std + (c.high + 1 - 3 * c.std)));
    });
    it(`${c.name}: a reversal of each boundary claim nets to nothing`, async () => {
      const claims = [c.high, c.low, c.high + 1, c.low - 1].map((cost) => inpatient('H01', { drgCode: 'A' }, cost));
      const r = await settleBoth(payments, [...claims, ...claims.map((x, i) => reversalOf(x, `R${i}-${x.claimId}`))]);
      expect(totals(r, 'H01', 'drg')).toBeUndefined(); // every figure nets to 0: the method is not listed
      expect(r.actuals.inGroupLiability).toBe(0);
    });
  }
  it('township coefficient: thresholds of 0.9 × the standard (1,080,000 fen: 3,240,000 and 324,000)', async () => {
    const payments = {
      rules: [{ when: { hasCode: 'drg' }, method: 'drg' }],
      drg: { baseRate: '10000', weights: { A: '1.2' }, coefficients: { township: '0.9' } },
    };
    const r = await settleBoth(payments, [
      inpatient('T01', { drgCode: 'A' }, 3_240_000),
      inpatient('T01', { drgCode: 'A' }, 324_000),
      inpatient('T01', { drgCode: 'A' }, 3_240_001),
      inpatient('T01', { drgCode: 'A' }, 323_999),
    ]);
    expect(totals(r, 'T01', 'drg')).toMatchObject({ claims: 4, highOutliers: 1, lowOutliers: 1 });
  });
});

describe('DIP outlier boundaries: exactly 0.5× and 2× the average cost are normal cases', () => {
  // avgCost 10,000.00 yuan → 1,000,000 fen: thresholds 500,000 and 2,000,000; avgCost 3,333.33 → 333,333 fen:
  // 0.5× = 166,666.5 (166,666 is low, 166,667 not), 2× = 666,666 exactly.
  const groups = { G: { score: '100', avgCost: '10000' }, H: { score: '37.7', avgCost: '3333.33' } };
  const claimsAt = (tier: string) => [
    inpatient(tier, { dipCode: 'G' }, 2_000_000),
    inpatient(tier, { dipCode: 'G' }, 500_000),
    inpatient(tier, { dipCode: 'H' }, 666_666),
    inpatient(tier, { dipCode: 'H' }, 166_667),
  ];
  const claimsBeyond = (tier: string) => [
    inpatient(tier, { dipCode: 'G' }, 2_000_001),
    inpatient(tier, { dipCode: 'G' }, 499_999),
    inpatient(tier, { dipCode: 'H' }, 666_667),
    inpatient(tier, { dipCode: 'H' }, 166_666),
  ];
  const modes = {
    'budget point value': { pointValue: '12.3456' },
    'settlement point value': { pool: { amount: '70000', reimbursementRatio: '0.7' } },
  };
  for (const [mode, value] of Object.entries(modes)) {
    const payments = { rules: [{ when: { hasCode: 'dip' }, method: 'dip' }], dip: { groups, coefficients: { township: '0.85' }, ...value } };
    for (const member of ['H01', 'T01']) {
      it(`${mode}, ${member}: at the thresholds normal, one fen beyond an outlier`, async () => {
        let r = await settleBoth(payments, claimsAt(member));
        expect(totals(r, member, 'dip')).toMatchObject({ claims: 4, highOutliers: 0, lowOutliers: 0 });
        r = await settleBoth(payments, claimsBeyond(member));
        expect(totals(r, member, 'dip')).toMatchObject({ claims: 4, highOutliers: 2, lowOutliers: 2 });
      });
    }
    it(`${mode}: boundary claims with their reversals, and both sets together`, async () => {
      const all = [...claimsAt('H01'), ...claimsBeyond('T01')];
      const r = await settleBoth(payments, [...all, ...all.slice(0, 3).map((x, i) => reversalOf(x, `R${i}-${x.claimId}`))]);
      expect(totals(r, 'H01', 'dip')).toMatchObject({ claims: 1, highOutliers: 0, lowOutliers: 0 });
      expect(totals(r, 'T01', 'dip')).toMatchObject({ claims: 4, highOutliers: 2, lowOutliers: 2 });
    });
  }
});
