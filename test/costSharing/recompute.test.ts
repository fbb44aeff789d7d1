// Recompute mode end to end (two passes over the claims) and fast-check properties of the rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateClaims } from '../../src/app/claims.js';
import { arraySource } from '../../src/claims/source.js';
import { CostSharingRecompute } from '../../src/domain/costSharing/recompute.js';
import { shareCosts, type PatientClaim } from '../../src/domain/costSharing/rules.js';
import { settle } from '../../src/domain/engine.js';
import { type Dec, Decimal } from '../../src/domain/money.js';
import { resultToJsonText } from '../../src/report/json.js';
import { CATEGORIES, LOCATIONS, type Claim, type CostSharing, type Location } from '../../src/domain/types.js';
import { claim } from '../helpers/scenario.js';
import { scenarioWith } from './helpers.js';

const RECOMPUTE = `
costSharing:
  mode: recompute
  inpatient:
    deductible: { county: 800, township: 300, village: 100, inRegion: 1000, outOfRegion: 1500 }
    ratio: { county: 0.75, township: 0.85, village: 0.9, inRegion: 0.65, outOfRegion: 0.55 }
  outpatient:
    deductible: { county: 200, township: 50, village: 0, inRegion: 300, outOfRegion: 500 }
    ratio: { county: 0.5, township: 0.6, village: 0.7, inRegion: 0.4, outOfRegion: 0.3 }
  unreferredPenalty: 10
`;

describe('recompute mode through the aggregator', () => {
  const scenario = scenarioWith(RECOMPUTE);
  const claims: Claim[] = [
    // patient P1, out of date order in the file: the 06-01 county stay pays the deductible, the 06-10 one too
    claim({ claimId: 'A2', patientId: 'P1', institutionId: 'H01', setting: 'inpatient', losDays: 3, serviceDate: '2024-06-10', totalCost: 1_000_000, fundPaid: 1 }),
    claim({ claimId: 'A1', patientId: 'P1', institutionId: 'H01', setting: 'inpatient', losDays: 3, serviceDate: '2024-06-01', totalCost: 1_000_000, fundPaid: 1 }),
    // P2 outpatient: same date, ordered by claim id: B1 pays the 200 deductible partly (150), B2 the rest (50)
    claim({ claimId: 'B2', patientId: 'P2', institutionId: 'H01', serviceDate: '2024-03-01', totalCost: 15_000, fundPaid: 0 }),
    claim({ claimId: 'B1', patientId: 'P2', institutionId: 'H01', serviceDate: '2024-03-01', totalCost: 15_000, fundPaid: 0 }),
    // P3 at a non-member in region, unreferred, and its reversal
    claim({ claimId: 'C1', patientId: 'P3', institutionId: 'X01', setting: 'inpatient', losDays: 2, totalCost: 1_000_000, fundPaid: 600_000 }),
    claim({ claimId: 'C1R', patientId: 'P3', institutionId: 'X01', setting: 'inpatient', losDays: 2, totalCost: -1_000_000, fundPaid: -600_000, reverses: 'C1' }),
    claim({ claimId: 'C2', patientId: 'P3', institutionId: 'X01', setting: 'inpatient', losDays: 2, serviceDate: '2024-07-01', totalCost: 1_000_000, fundPaid: 600_000 }),
  ];

  it('settles the recomputed amounts and reports recorded beside recomputed', async () => {
    const { actuals } = await aggregateClaims(scenario, arraySource(claims));
    const h01 = actuals.members.find((m) => m.id === 'H01')!;
    const ffs = h01.methods.find((t) => t.method === 'ffs')!;
    // stays: 2 × 6,900; visits: B1 0 + B2 (150 − 50) × 0.5 = 50
    expect(ffs.fundPaid).toBe(2 * 690_000 + 5_000);
    expect(ffs.patientPaid).toBe(2 * 1_000_000 + 30_000 - ffs.fundPaid);
    // out of group: C1 and its reversal net 0; C2: 9,000 × 0.55
    expect(actuals.outOfGroupDeductions).toBe(495_000);
    const cs = actuals.costSharing!;
    expect(cs.patients).toBe(3);
    expect(cs.recorded.outOfGroupDeductions).toBe(600_000);
    expect(cs.recorded.inGroupFundPaid).toBe(2);
    expect(cs.recomputed.inGroupFundPaid).toBe(1_385_000);
    expect(cs.recomputed.inGroupLiability).toBe(1_385_000);
  });

  it('settles identically whatever the order of the rows', async () => {
    const base = resultToJsonText(settle(scenario, (await aggregateClaims(scenario, arraySource(claims))).actuals, []), 'test');
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(claims, { minLength: claims.length, maxLength: claims.length }), async (shuffled) => {
        const json = resultToJsonText(settle(scenario, (await aggregateClaims(scenario, arraySource(shuffled))).actuals, []), 'test');
        expect(json).toBe(base);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a second read that differs from the first', () => {
    const store = new CostSharingRecompute(scenario);
    store.record(claims[0]);
    store.compute();
    expect(() => store.apply(claims[1])).toThrow(/differs/);
  });
});

// ---- properties --------------------------------------------------------------------------------------------------

const fenAmount = fc.integer({ min: 0, max: 5_000_000 }); // up to 50,000 yuan
const ratio = fc.integer({ min: 0, max: 100 }).map((n) => new Decimal(n).dividedBy(100));
const byLocation = <T>(arb: fc.Arbitrary<T>) =>
  fc.tuple(...LOCATIONS.map(() => arb)).map((vs) => Object.fromEntries(LOCATIONS.map((l, i) => [l, vs[i]])) as Record<Location, T>);
const cap = fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined });
const setting = fc.record({ deductible: byLocation(fc.integer({ min: 0, max: 200_000 })), ratio: byLocation(ratio), annualCap: cap });
const costSharing: fc.Arbitrary<CostSharing> = fc
  .record({ inpatient: setting, outpatient: setting, annualCap: cap, continuous: fc.boolean(), penalty: fc.integer({ min: 0, max: 100 }) })
  .map((r) => ({
    mode: 'recompute',
    rules: Object.fromEntries(CATEGORIES.map((c) => [c, { inpatient: r.inpatient, outpatient: r.outpatient, annualCap: r.annualCap }])) as CostSharing['rules'],
    continuousDeductible: r.continuous,
    unreferredPenalty: new Decimal(r.penalty),
  }));
const patientClaim: fc.Arbitrary<PatientClaim> = fc.record({
  setting: fc.constantFrom('inpatient', 'outpatient'),
  category: fc.constantFrom(...CATEGORIES),
  location: fc.constantFrom(...LOCATIONS),
  referral: fc.constantFrom('', 'up', 'down'),
  referredFrom: fc.option(fc.constantFrom(...LOCATIONS), { nil: undefined }),
  totalCost: fenAmount,
});

describe('properties of the rules', () => {
  it('never pays a claim more than its total cost, nor less than 0; fund + patient = total', () => {
    fc.assert(
      fc.property(costSharing, fc.array(patientClaim, { maxLength: 30 }), (cs, claims) => {
        shareCosts(claims, cs).forEach((a, i) => {
          expect(a.fundPaid).toBeGreaterThanOrEqual(0);
          expect(a.fundPaid).toBeLessThanOrEqual(claims[i].totalCost);
          expect(a.fundPaid + a.patientPaid).toBe(claims[i].totalCost);
          expect(Number.isSafeInteger(a.fundPaid)).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never exceeds the annual caps (per setting and overall)', () => {
    fc.assert(
      fc.property(costSharing, fc.array(patientClaim, { maxLength: 30 }), (cs, claims) => {
        const paid = shareCosts(claims, cs);
        const r = cs.rules!.resident; // every category has the same rules here
        for (const s of ['inpatient', 'outpatient'] as const) {
          const sum = paid.reduce((x, a, i) => x + (claims[i].setting === s ? a.fundPaid : 0), 0);
          if (r[s].annualCap !== undefined) expect(sum).toBeLessThanOrEqual(r[s].annualCap!);
        }
        if (r.annualCap !== undefined) expect(paid.reduce((x, a) => x + a.fundPaid, 0)).toBeLessThanOrEqual(r.annualCap);
      }),
      { numRuns: 300 },
    );
  });

  it('with all deductibles 0, ratios 1 and no caps the fund pays the total cost', () => {
    const zero = Object.fromEntries(LOCATIONS.map((l) => [l, 0])) as Record<Location, number>;
    const one = Object.fromEntries(LOCATIONS.map((l) => [l, new Decimal(1)])) as Record<Location, Dec>;
    const free: CostSharing = {
      mode: 'recompute',
      rules: Object.fromEntries(
        CATEGORIES.map((c) => [c, { inpatient: { deductible: zero, ratio: one }, outpatient: { deductible: zero, ratio: one } }]),
      ) as CostSharing['rules'],
      continuousDeductible: true,
      unreferredPenalty: new Decimal(0),
    };
    fc.assert(
      fc.property(fc.array(patientClaim, { maxLength: 30 }), (claims) => {
        // only referred out-of-group care escapes a penalty; with penalty 0 every claim is paid in full
        expect(shareCosts(claims, free).map((a) => a.fundPaid)).toEqual(claims.map((c) => c.totalCost));
      }),
    );
  });

  it("a patient's claims in shuffled file order get the same amounts (by claim id)", () => {
    const scenario = scenarioWith(RECOMPUTE);
    const rows = fc.array(
      fc.record({
        patient: fc.constantFrom('P1', 'P2', 'P3'),
        institution: fc.constantFrom('H01', 'T01', 'V01', 'X01', 'Y01'),
        setting: fc.constantFrom('inpatient' as const, 'outpatient' as const),
        day: fc.integer({ min: 1, max: 5 }),
        cost: fenAmount,
        referral: fc.constantFrom('' as const, 'up' as const, 'down' as const),
        from: fc.constantFrom('', 'H01', 'T01', 'V01', 'X01'),
        reversed: fc.boolean(),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(rows, fc.infiniteStream(fc.nat()), (spec, randoms) => {
        const claims: Claim[] = [];
        spec.forEach((r, i) => {
          const c = claim({
            claimId: `K${String(i).padStart(3, '0')}`,
            patientId: r.patient,
            institutionId: r.institution,
            outOfRegion: r.institution === 'Y01',
            setting: r.setting,
            losDays: r.setting === 'inpatient' ? 1 : 0,
            serviceDate: `2024-01-0${r.day}`,
            totalCost: r.cost,
            fundPaid: 0,
            referral: r.referral,
            referredFrom: r.from,
          });
          claims.push(c);
          if (r.reversed) claims.push({ ...c, claimId: `${c.claimId}R`, reverses: c.claimId, totalCost: -c.totalCost, patientPaid: -c.patientPaid });
        });
        const amounts = (list: Claim[]) => {
          const store = new CostSharingRecompute(scenario);
          list.forEach((c) => store.record(c));
          store.compute();
          return new Map(list.map((c) => [c.claimId, store.apply(c)]).map(([id, c]) => [id, [(c as Claim).fundPaid, (c as Claim).patientPaid]]));
        };
        const shuffled = [...claims];
        const it = randoms[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const a = amounts(claims);
        const b = amounts(shuffled);
        expect(new Map([...b].sort())).toEqual(new Map([...a].sort()));
        // a reversal mirrors its original
        for (const c of claims) if (c.reverses !== '') expect(a.get(c.claimId)).toEqual(a.get(c.reverses)!.map((x) => (x === 0 ? 0 : -x)));
      }),
      { numRuns: 200 },
    );
  });
});
