// The compiled payment-rule table (MethodMatcher, used by the pricer on every claim) gives the method matchMethod
// gives, for random rule lists and claims (DOMAIN.md §4: ordered rules, first match wins, no match → ffs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MethodMatcher, matchMethod } from '../../src/domain/pricing/rules.js';
import { METHODS, SETTINGS, TIERS, type Claim, type PaymentRule } from '../../src/domain/types.js';
import { claim } from '../helpers/scenario.js';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;
console.log(`[method-matcher] fast-check seed ${seed}`);

const ruleArb: fc.Arbitrary<PaymentRule> = fc.record({
  when: fc.record(
    {
      setting: fc.constantFrom(...SETTINGS),
      tiers: fc.uniqueArray(fc.constantFrom(...TIERS), { maxLength: 3 }),
      hasCode: fc.constantFrom('drg' as const, 'dip' as const),
      losAtLeast: fc.integer({ min: 0, max: 120 }),
    },
    { requiredKeys: [] },
  ),
  method: fc.constantFrom(...METHODS),
});

const claimArb: fc.Arbitrary<Claim> = fc
  .record({
    setting: fc.constantFrom(...SETTINGS),
    drg: fc.boolean(),
    dip: fc.boolean(),
    los: fc.integer({ min: -150, max: 150 }), // a reversal's bed-days may be negative
  })
  .map(({ setting, drg, dip, los }) => claim({ institutionId: 'H01', setting, drgCode: drg ? 'A' : '', dipCode: dip ? 'B' : '', losDays: los }));

describe(`MethodMatcher (seed ${seed})`, () => {
  it('gives the method matchMethod gives, for every tier', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 8 }), fc.array(claimArb, { minLength: 1, maxLength: 20 }), (rules, claims) => {
        const m = new MethodMatcher(rules);
        for (const c of claims) for (const tier of TIERS) expect(m.method(c, tier)).toBe(matchMethod(rules, c, tier));
      }),
      { seed, numRuns: 500 },
    );
  });
  it('stops at the first rule without a bed-day threshold, and falls through thresholds in order', () => {
    const rules: PaymentRule[] = [
      { when: { setting: 'inpatient', losAtLeast: 60 }, method: 'perDiem' },
      { when: { setting: 'inpatient', losAtLeast: 30, tiers: ['township'] }, method: 'capitation' },
      { when: { setting: 'inpatient', hasCode: 'drg' }, method: 'drg' },
      { when: { setting: 'inpatient' }, method: 'singleDisease' },
    ];
    const m = new MethodMatcher(rules);
    const stay = (los: number, drg = '') => claim({ institutionId: 'T01', setting: 'inpatient', losDays: los, drgCode: drg });
    expect(m.method(stay(-60), 'county')).toBe('perDiem');
    expect(m.method(stay(45), 'township')).toBe('capitation');
    expect(m.method(stay(45), 'county')).toBe('singleDisease');
    expect(m.method(stay(5, 'A'), 'township')).toBe('drg');
    expect(m.method(claim({ institutionId: 'T01' }), 'village')).toBe('ffs');
  });
});
