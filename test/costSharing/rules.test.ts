// Hand-computed cases of the cost-sharing rules (待遇政策): deductible per admission vs per year, ratio, caps,
// referrals (转诊起付线连续计算) and the penalty for out-of-group care without referral.
import { describe, expect, it } from 'vitest';
import { type PatientClaim, shareCosts } from '../../src/domain/costSharing/rules.js';
import type { CostSharing } from '../../src/domain/types.js';
import { costSharingFromYaml } from './helpers.js';

const RULES = `
costSharing:
  mode: recompute
  inpatient:
    deductible: { county: 800, township: 300, village: 100, inRegion: 1000, outOfRegion: 1500 }
    ratio: { county: 0.75, township: 0.85, village: 0.9, inRegion: 0.65, outOfRegion: 0.55 }
    annualCap: 20000
  outpatient:
    deductible: { county: 200, township: 50, village: 0, inRegion: 300, outOfRegion: 500 }
    ratio: { county: 0.5, township: 0.6, village: 0.7, inRegion: 0.4, outOfRegion: 0.3 }
    annualCap: 3000
  annualCap: 21000
  categories:
    employee: { inpatient: { ratio: { county: 0.85 } }, annualCap: 50000 }
  unreferredPenalty: 10
`;
const cs: CostSharing = costSharingFromYaml(RULES);

const Y = (yuan: number) => Math.round(yuan * 100); // test literals only: yuan → fen
const claimOf = (p: Partial<PatientClaim> & { totalCost: number }): PatientClaim => ({
  setting: 'inpatient',
  category: 'resident',
  location: 'county',
  ...p,
});
const run = (claims: PatientClaim[], rules: CostSharing = cs) => shareCosts(claims, rules).map((a) => [a.fundPaid / 100, a.patientPaid / 100, a.deductible / 100]);

describe('deductible (起付线)', () => {
  it('inpatient: per admission — each stay pays the deductible again', () => {
    // 10,000 − 800 = 9,200 × 0.75 = 6,900 each time
    expect(run([claimOf({ totalCost: Y(10000) }), claimOf({ totalCost: Y(10000) })])).toEqual([
      [6900, 3100, 800],
      [6900, 3100, 800],
    ]);
  });

  it('outpatient: per year — the deductible carries across visits and levels', () => {
    const out = (location: PatientClaim['location'], yuan: number) => claimOf({ setting: 'outpatient', location, totalCost: Y(yuan) });
    expect(run([out('county', 150), out('county', 150), out('county', 150), out('township', 100)])).toEqual([
      [0, 150, 150], // 150 of the 200 deductible
      [50, 100, 50], // the last 50, then 100 × 0.5
      [75, 75, 0], // 150 × 0.5
      [60, 40, 0], // township deductible 50 already covered by the 200 paid this year: 100 × 0.6
    ]);
  });

  it('a claim below the deductible is paid by the patient entirely', () => {
    expect(run([claimOf({ totalCost: Y(500) })])).toEqual([[0, 500, 500]]);
  });
});

describe('ratio (支付比例) and rounding', () => {
  it('rounds the fund share half-up to the fen per claim', () => {
    // outpatient village, no deductible: 0.03 × 0.7 = 0.021 → 0.02; 0.05 × 0.7 = 0.035 → 0.04 (half-up)
    const v = (fen: number) => claimOf({ setting: 'outpatient', location: 'village', totalCost: fen });
    expect(shareCosts([v(3), v(5)], cs).map((a) => a.fundPaid)).toEqual([2, 4]);
  });

  it('uses the category override (employee county inpatient 0.85) and keeps the defaults elsewhere', () => {
    expect(run([claimOf({ category: 'employee', totalCost: Y(10000) }), claimOf({ category: 'employee', location: 'township', totalCost: Y(1300) })])).toEqual([
      [7820, 2180, 800], // 9,200 × 0.85
      [850, 450, 300], // 1,000 × 0.85 (township default)
    ]);
  });
});

describe('annual cap (年度最高支付限额)', () => {
  it('a claim that crosses the setting cap pays only up to it; later claims pay nothing', () => {
    expect(run([claimOf({ totalCost: Y(20000) }), claimOf({ totalCost: Y(10000) }), claimOf({ totalCost: Y(5000) })])).toEqual([
      [14400, 5600, 800], // 19,200 × 0.75
      [5600, 4400, 800], // 6,900 would exceed the 20,000 cap: 5,600 left
      [0, 5000, 800],
    ]);
  });

  it('the overall cap spans both settings', () => {
    // inpatient 20,000 (cap of the setting), then outpatient: overall 21,000 leaves 1,000
    const res = run([
      claimOf({ totalCost: Y(40000) }),
      claimOf({ setting: 'outpatient', location: 'village', totalCost: Y(2000) }),
      claimOf({ setting: 'outpatient', location: 'village', totalCost: Y(2000) }),
    ]);
    expect(res).toEqual([
      [20000, 20000, 800],
      [1000, 1000, 0], // 1,400 by the ratio, 1,000 left of the overall cap
      [0, 2000, 0],
    ]);
  });
});

describe('referrals (转诊起付线连续计算) and the unreferred penalty', () => {
  it('upward referral pays only the difference of the two levels’ deductibles', () => {
    expect(run([claimOf({ referral: 'up', referredFrom: 'village', totalCost: Y(10000) })])).toEqual([[6975, 3025, 700]]); // (10,000 − 700) × 0.75
    expect(run([claimOf({ referral: 'up', referredFrom: 'township', totalCost: Y(10000) })])).toEqual([[7125, 2875, 500]]);
  });

  it('upward referral from an unknown institution pays the full deductible', () => {
    expect(run([claimOf({ referral: 'up', totalCost: Y(10000) })])).toEqual([[6900, 3100, 800]]);
  });

  it('downward referral pays no deductible', () => {
    expect(run([claimOf({ location: 'township', referral: 'down', referredFrom: 'county', totalCost: Y(5000) })])).toEqual([[4250, 750, 0]]);
  });

  it('without continuous deductibles a referred claim pays the full deductible', () => {
    const plain = { ...cs, continuousDeductible: false };
    expect(run([claimOf({ location: 'township', referral: 'down', referredFrom: 'county', totalCost: Y(5000) })], plain)).toEqual([[3995, 1005, 300]]);
  });

  it('out-of-group care without referral loses the penalty points; with referral it keeps the ratio', () => {
    expect(
      run([
        claimOf({ location: 'inRegion', totalCost: Y(10000) }), // 9,000 × (0.65 − 0.10)
        claimOf({ location: 'outOfRegion', totalCost: Y(10000) }), // 8,500 × 0.45
      ]),
    ).toEqual([
      [4950, 5050, 1000],
      [3825, 6175, 1500],
    ]);
    // referred up from the county hospital: deductible 1,000 − 800, ratio 0.65
    expect(run([claimOf({ location: 'inRegion', referral: 'up', referredFrom: 'county', totalCost: Y(10000) })])).toEqual([[6370, 3630, 200]]);
  });

  it('the penalty never takes the ratio below 0', () => {
    const harsh = { ...cs, unreferredPenalty: cs.unreferredPenalty.times(10) }; // 100 points
    expect(run([claimOf({ location: 'outOfRegion', totalCost: Y(10000) })], harsh)).toEqual([[0, 10000, 1500]]);
  });
});

describe('reversed claims (冲销)', () => {
  it('a reversed claim is priced but does not use up the deductible or the cap', () => {
    const out = (yuan: number, reversed = false) => claimOf({ setting: 'outpatient', totalCost: Y(yuan), reversed });
    expect(run([out(150, true), out(150)])).toEqual([
      [0, 150, 150],
      [0, 150, 150], // the deductible is still due in full
    ]);
  });
});
