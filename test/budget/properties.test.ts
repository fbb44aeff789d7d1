// Properties of DOMAIN.md §14 (fast-check; money as integer fen, rates as integer basis points). The seed is logged;
// rerun one with FC_SEED=<seed> npx vitest run test/budget/properties.test.ts
//
// Scaling: what is exactly true is that every unrounded figure scales by k (base, total, per capita, M are products
// and quotients of the spends), so round(total(k·s)) = round(k × total(s) unrounded). The rounded figures only scale
// up to the rounding: |total(k·s) − k × total(s)| ≤ (k + 1) / 2 fen, with equality of the two exactly when total(s)
// is whole fen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateBottomUp, estimateTotal } from '../../src/budget/estimate.js';
import { Exact } from '../../src/budget/exact.js';
import type { BottomUpInput, Figure, TotalInput } from '../../src/budget/types.js';
import { bp, yuan } from '../helpers/arbitraries.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;
console.log(`[budget properties] fast-check seed ${seed}`);
const params = { seed, numRuns: 300, verbose: 0 as const };

const fig = (text: string): Figure => ({ value: Exact.of(text), text });
const fen = (f: number) => fig(yuan(f));

const spendsArb = fc.array(fc.integer({ min: 0, max: 100_000_000_000 }), { minLength: 1, maxLength: 6 });
const weightsFor = (n: number) => fc.array(fc.integer({ min: 0, max: 20 }), { minLength: n, maxLength: n }).filter((w) => w.some((x) => x > 0));
const caseArb = spendsArb.chain((spends) =>
  fc.record({
    spends: fc.constant(spends),
    weights: fc.option(weightsFor(spends.length), { nil: undefined }),
    growthBp: fc.integer({ min: -5000, max: 5000 }),
    ratioBp: fc.integer({ min: 0, max: 10_000 }),
    enrolment: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
    k: fc.integer({ min: 1, max: 1000 }),
  }),
);

function totalInput(spends: readonly number[], weights: readonly number[] | undefined, growthBp: number, ratioBp: number, enrolment?: number): TotalInput {
  return {
    years: spends.map((s, i) => ({ year: 2000 + i, spend: fen(s) })),
    weights: (weights ?? spends.map(() => 1)).map((w) => fig(String(w))),
    weightsGiven: weights !== undefined,
    reimbursementRatio: fig(bp(ratioBp)),
    growth: { kind: 'given', growth: fig(bp(growthBp)) },
    ...(enrolment === undefined ? {} : { enrolment }),
    category: 'resident',
    fund: 'basic',
  };
}

/** round-half-up of an exact yuan amount, in fen. */
const roundFen = (x: Exact) => x.toFen();

describe(`DOMAIN.md §14 properties (seed ${seed})`, () => {
  it('scaling every spend by k scales every unrounded figure by k exactly, the rounded total within (k+1)/2 fen', () => {
    fc.assert(
      fc.property(caseArb, ({ spends, weights, growthBp, ratioBp, enrolment, k }) => {
        const a = estimateTotal(totalInput(spends, weights, growthBp, ratioBp, enrolment));
        const b = estimateTotal(totalInput(spends.map((s) => s * k), weights, growthBp, ratioBp, enrolment));
        const K = Exact.of(k);
        expect(b.base.mean.equals(a.base.mean.times(K))).toBe(true);
        expect(b.amountExact.equals(a.amountExact.times(K))).toBe(true);
        expect(b.amount).toBe(roundFen(a.amountExact.times(K)));
        expect(Math.abs(b.amount - k * a.amount)).toBeLessThanOrEqual((k + 1) / 2);
        if (a.amountExact.toExactText(2) !== undefined) expect(b.amount).toBe(k * a.amount);
        if (enrolment !== undefined) {
          expect(b.perCapitaExact!.equals(a.perCapitaExact!.times(K))).toBe(true);
          expect(b.perCapita).toBe(roundFen(a.perCapitaExact!.times(K)));
        }
      }),
      params,
    );
  });

  it('scaling per-capita cost and self-pay by k scales M exactly by k', () => {
    const arb = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 })), { minLength: 1, maxLength: 5 })
      .chain((pairs) => fc.record({ pairs: fc.constant(pairs.map(([x, y]) => [Math.max(x, y), Math.min(x, y)] as const)), weights: weightsFor(pairs.length), k: fc.integer({ min: 1, max: 1000 }) }));
    const input = (pairs: readonly (readonly [number, number])[], weights: readonly number[], k: number): BottomUpInput => ({
      method: 'bottomUp',
      name: 'x',
      addOns: [],
      contracted: [],
      years: pairs.map(([cost, self], i) => ({ year: 2000 + i, perCapitaCost: fen(cost * k), perCapitaSelfPay: fen(self * k) })),
      weights: weights.map((w) => fig(String(w))),
      weightsGiven: true,
    });
    fc.assert(
      fc.property(arb, ({ pairs, weights, k }) => {
        const a = estimateBottomUp(input(pairs, weights, 1));
        const b = estimateBottomUp(input(pairs, weights, k));
        expect(b.mExact.equals(a.mExact.times(Exact.of(k)))).toBe(true);
        expect(b.m).toBe(roundFen(a.mExact.times(Exact.of(k))));
        expect(a.m).toBeGreaterThanOrEqual(0);
      }),
      params,
    );
  });

  it('weights that are all equal give the plain mean (and the same result as no weights)', () => {
    fc.assert(
      fc.property(spendsArb, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -5000, max: 5000 }), (spends, c, growthBp) => {
        const equal = estimateTotal(totalInput(spends, spends.map(() => c), growthBp, 10_000));
        const none = estimateTotal(totalInput(spends, undefined, growthBp, 10_000));
        const plainMean = Exact.ratio(BigInt(spends.reduce((s, x) => s + x, 0)), BigInt(100 * spends.length));
        expect(equal.base.mean.equals(plainMean)).toBe(true);
        expect(none.base.mean.equals(plainMean)).toBe(true);
        expect(equal.amount).toBe(none.amount);
      }),
      params,
    );
  });

  it('Exact rounds half away from zero, like the engine (round(x) = floor(x + 1/2) for x ≥ 0)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const x = Exact.ratio(n, d); // yuan
        const fenTimes2d = 200n * (n < 0n ? -n : n); // |x| × 100 × 2d
        const expectedAbs = (fenTimes2d + d) / (2n * d); // floor(|x|×100 + 1/2)
        const got = BigInt(x.toFen());
        expect(got).toBe(n < 0n ? -expectedAbs : expectedAbs);
      }),
      params,
    );
  });
});
