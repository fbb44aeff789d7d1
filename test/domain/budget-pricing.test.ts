// DOMAIN.md §3 (budget, reserve, deposit, prepayments) and §4 (claim pricing), with hand-computed figures.
import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder } from '../../src/domain/allocate.js';
import { Decimal } from '../../src/domain/money.js';
import { matchMethod } from '../../src/domain/pricing/rules.js';
import type { Claim } from '../../src/domain/types.js';
import { reversalOf } from '../helpers/arbitraries.js';
import { m, run } from '../helpers/build.js';
import { engineFigures, scenarioFromRaw } from '../helpers/figures.js';
import { claim } from '../helpers/scenario.js';
import { referenceSettle } from '../reference/settle.js';
import { scen } from '../helpers/build.js';

const line = (basis: string, fields: Record<string, string>) => ({ category: 'resident', fund: 'basic', basis, ...fields });

describe('§3 budget lines, each rounded half-up to the fen', () => {
  it('fixed, perCapita, baseYear, revenue; R, P, Q; weighted prepayments', async () => {
    const r = await run({
      enrollment: { resident: '3' },
      budget: {
        lines: [
          line('fixed', { amount: '1234.565' }), // 1234.565 → 1234.57
          line('perCapita', { rate: '0.335' }), // 0.335 × 3 = 1.005 → 1.01
          line('baseYear', { baseSpend: '1000.01', growth: '0.035' }), // 1000.01 × 1.035 = 1035.01035 → 1035.01
          line('revenue', { revenue: '333.33', ratio: '0.5' }), // 333.33 × 0.5 = 166.665 → 166.67
        ],
        riskReserveRate: '0.05', // R = 2437.26 × 0.05 = 121.863 → 121.86
        qualityDepositRate: '0.03', // P = 2315.40; Q = 69.462 → 69.46
        prepayment: { weights: ['1', '2', '1'] }, // P − Q = 2245.94 = 224594 fen → 56148.5 | 112297 | 56148.5
      },
    });
    expect(r.budget.lines.map((l) => m(l.amount))).toEqual(['1234.57', '1.01', '1035.01', '166.67']);
    expect(m(r.budget.total)).toBe('2437.26'); // 1234.57 + 1.01 + 1035.01 + 166.67
    expect(m(r.budget.riskReserve)).toBe('121.86');
    expect(m(r.budget.package)).toBe('2315.40');
    expect(m(r.budget.qualityDeposit)).toBe('69.46');
    // floors 56148, 112297, 56148 (= 224593); the leftover fen goes to the first of the two .5 remainders
    expect(r.budget.prepayments.map((p) => m(p.amount))).toEqual(['561.49', '1122.97', '561.48']);
  });

  it('negative growth; R and Q exactly half a fen round up; 12 equal installments by default', async () => {
    const r = await run({
      budget: {
        lines: [line('fixed', { amount: '100.10' }), line('baseYear', { baseSpend: '100.05', growth: '-0.1' })], // 100.05 × 0.9 = 90.045 → 90.05
        riskReserveRate: '0.05', // B = 190.15; R = 9.5075 → 9.51
        qualityDepositRate: '0.5', // P = 180.64; Q = 90.32
      },
    });
    expect(r.budget.lines.map((l) => m(l.amount))).toEqual(['100.10', '90.05']);
    expect(m(r.budget.riskReserve)).toBe('9.51');
    expect(m(r.budget.package)).toBe('180.64');
    expect(m(r.budget.qualityDeposit)).toBe('90.32');
    // P − Q = 90.32 = 9032 fen / 12 = 752.67 → floors 752 × 12 = 9024, 8 leftover fen to the first 8 installments
    expect(r.budget.prepayments.map((p) => m(p.amount))).toEqual([...Array(8).fill('7.53'), ...Array(4).fill('7.52')]);
    const half = await run({ budget: { lines: [line('fixed', { amount: '100.10' })], riskReserveRate: '0.05', qualityDepositRate: '0.5' } });
    expect(m(half.budget.riskReserve)).toBe('5.01'); // 100.10 × 0.05 = 5.005 → 5.01
    expect(m(half.budget.qualityDeposit)).toBe('47.55'); // P = 95.09; × 0.5 = 47.545 → 47.55
  });

  it('prepayment weights all zero split equally', async () => {
    const r = await run({ budget: { lines: [line('fixed', { amount: '47.54' })], prepayment: { weights: ['0', '0', '0'] } } });
    expect(r.budget.prepayments.map((p) => m(p.amount))).toEqual(['15.85', '15.85', '15.84']); // 4754 / 3 = 1584.67
  });
});

describe('§2 largest remainder', () => {
  it('splits exactly and breaks ties by key order', () => {
    const w = (...xs: number[]) => xs.map((x) => new Decimal(x));
    expect(allocateLargestRemainder(1, w(1, 1, 1))).toEqual([1, 0, 0]); // three remainders of 1/3: the first wins
    expect(allocateLargestRemainder(2, w(1, 1, 1))).toEqual([1, 1, 0]);
    expect(allocateLargestRemainder(5, w(1, 1))).toEqual([3, 2]); // 2.5 | 2.5
    expect(allocateLargestRemainder(2, w(2, 1, 1))).toEqual([1, 1, 0]); // 1 | 0.5 | 0.5
    expect(allocateLargestRemainder(-5, w(1, 1))).toEqual([-3, -2]); // by magnitude, then negated
    expect(allocateLargestRemainder(7, w(0, 0))).toEqual([4, 3]); // all zero → equal
    expect(allocateLargestRemainder(10, w(0, 3, 1))).toEqual([0, 8, 2]); // 7.5 | 2.5: tie → the earlier part
  });

  it('member splits follow member id order, not file order', async () => {
    // Z9 is written first, A1 second; the county tier gets all of Δ; 0.01 between two equal members → A1.
    const r = await run({
      group: { id: 'G', lead: 'Z9', members: [{ id: 'Z9', tier: 'county' }, { id: 'A1', tier: 'county' }] },
      budget: { lines: [line('fixed', { amount: '100.01' })] },
      distribution: { within: 'equal' },
    });
    // X = 100.01, all retained (no surplus rule), Δ = 100.01 → 50.01 | 50.00
    expect(r.members.map((x) => [x.id, m(x.adjustment)])).toEqual([
      ['A1', '50.01'],
      ['Z9', '50.00'],
    ]);
  });
});

// ------------------------------------------------------------------------------------------------------- §4
async function liability(payments: Record<string, unknown>, c: Claim, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await run({ payments, ...extra }, [c]);
  return m(r.actuals.inGroupLiability);
}
const inpatient = (p: Partial<Claim> & { institutionId: string }) => claim({ setting: 'inpatient', losDays: 5, ...p });

describe('§4 DRG', () => {
  const drg = (over: Record<string, string> = {}) => ({
    rules: [{ when: { hasCode: 'drg' }, method: 'drg' }],
    drg: { baseRate: '10000', weights: { A: '1.2', B: '1.2345' }, coefficients: { township: '0.9' }, ...over },
  });
  // standard (county) = 10000 × 1.2 × 1 = 12000; high threshold 3 × 12000 = 36000; low 0.3 × 12000 = 3600
  it('standard case: liability = standard − patient_paid', async () => {
    expect(await liability(drg(), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 1_000_000, fundPaid: 800_000 }))).toBe('10000.00'); // 12000 − 2000
  });
  it('coefficient per tier: township 0.9 → standard 10800', async () => {
    expect(await liability(drg(), inpatient({ institutionId: 'T01', drgCode: 'A', totalCost: 1_000_000, fundPaid: 900_000 }))).toBe('9800.00'); // 10800 − 1000
  });
  it('high outlier: std + (cost − 3 × std) × highExcessRate', async () => {
    // 12000 + (40000 − 36000) × 0.8 = 15200; patient 3000 → 12200
    expect(await liability(drg({ highExcessRate: '0.8' }), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 4_000_000, fundPaid: 3_700_000 }))).toBe('12200.00');
    // default highExcessRate 1: 12000 + 4000 = 16000 − 3000 = 13000
    expect(await liability(drg(), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 4_000_000, fundPaid: 3_700_000 }))).toBe('13000.00');
    // highMultiple 2: threshold 24000; cost 30000 → 12000 + 6000 = 18000; patient 0
    expect(await liability(drg({ highMultiple: '2' }), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 3_000_000 }))).toBe('18000.00');
  });
  it('low outlier: paid its cost; liability = max(0, payment − patient_paid)', async () => {
    // cost 3000 < 3600 → payment 3000; patient 500 → 2500
    expect(await liability(drg(), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 300_000, fundPaid: 250_000 }))).toBe('2500.00');
    // cost exactly 3600 is not low → 12000 − 600 = 11400
    expect(await liability(drg(), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 360_000, fundPaid: 300_000 }))).toBe('11400.00');
    // payment 3000, patient 3500 (recorded) → max(0, −500) = 0
    expect(await liability(drg(), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 300_000, fundPaid: 0, patientPaid: 350_000 }))).toBe('0.00');
    // lowMultiple 0.5: threshold 6000; cost 5000 → 5000 − 0
    expect(await liability(drg({ lowMultiple: '0.5' }), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 500_000 }))).toBe('5000.00');
  });
  it('standard at full precision, only the liability rounded', async () => {
    // 10000.05 × 1.2345 = 12345.061725 → 12345.06 (patient 0, cost 12345)
    expect(await liability(drg({ baseRate: '10000.05' }), inpatient({ institutionId: 'H01', drgCode: 'B', totalCost: 1_234_500 }))).toBe('12345.06');
    // township: 12345.061725 × 0.9 = 11110.5555525 → 11110.56
    expect(await liability(drg({ baseRate: '10000.05' }), inpatient({ institutionId: 'T01', drgCode: 'B', totalCost: 1_234_500 }))).toBe('11110.56');
  });
  it('exactly at the high threshold is not a high outlier', async () => {
    // cost 36000 = 3 × 12000 → standard 12000; patient 6000 → 6000
    expect(await liability(drg(), inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 3_600_000, fundPaid: 3_000_000 }))).toBe('6000.00');
  });
});

describe('§4 DIP', () => {
  const dip = (over: Record<string, unknown> = {}) => ({
    rules: [{ when: { hasCode: 'dip' }, method: 'dip' }],
    dip: { groups: { G: { score: '100', avgCost: '10000' }, N: { score: '33.3' } }, coefficients: { township: '0.8' }, pointValue: '12.5', ...over },
  });
  it('normal: score × coefficient × point value', async () => {
    expect(await liability(dip(), inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 1_000_000, fundPaid: 980_000 }))).toBe('1050.00'); // 1250 − 200
    expect(await liability(dip(), inpatient({ institutionId: 'T01', dipCode: 'G', totalCost: 1_000_000, fundPaid: 980_000 }))).toBe('800.00'); // 80 × 12.5 − 200
  });
  it('low outlier (ratio < 0.5): score × ratio × coef; boundary 0.5 is normal', async () => {
    // ratio 0.4 → 40 points → 500; patient 100 → 400
    expect(await liability(dip(), inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 400_000, fundPaid: 390_000 }))).toBe('400.00');
    expect(await liability(dip(), inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 500_000 }))).toBe('1250.00');
    // township low: 100 × 0.4 × 0.8 = 32 points → 400
    expect(await liability(dip(), inpatient({ institutionId: 'T01', dipCode: 'G', totalCost: 400_000 }))).toBe('400.00');
  });
  it('high outlier (ratio > 2): score × ((ratio − 2) + 1) × coef; boundary 2 is normal', async () => {
    // ratio 3 → 100 × 2 = 200 points → 2500; patient 500 → 2000
    expect(await liability(dip(), inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 3_000_000, fundPaid: 2_950_000 }))).toBe('2000.00');
    expect(await liability(dip(), inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 2_000_000 }))).toBe('1250.00');
    // custom multiples: low 0.3, high 1.5; ratio 1.8 → 100 × 1.3 = 130 → 1625
    expect(await liability(dip({ lowMultiple: '0.3', highMultiple: '1.5' }), inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 1_800_000 }))).toBe('1625.00');
  });
  it('budget point value at full precision; no avgCost: no outlier classification', async () => {
    // 33.3 × 12.3456 = 411.10848 → 411.11 (cost irrelevant without avgCost)
    expect(await liability(dip({ pointValue: '12.3456' }), inpatient({ institutionId: 'H01', dipCode: 'N', totalCost: 5 }))).toBe('411.11');
  });
  it('settlement point value = (pool / ratio) / Σ points; each claim rounded; reversals net out of Σ points', async () => {
    const pay = dip({ pointValue: undefined, pool: { amount: '7000', reimbursementRatio: '0.7' } });
    const a = inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 1_000_000 }); // 100 points
    const b = inpatient({ institutionId: 'T01', dipCode: 'G', totalCost: 1_000_000 }); // 80 points
    const c = inpatient({ institutionId: 'H01', dipCode: 'G', totalCost: 400_000 }); // 40 points (low)
    // Σ = 220; pv = 10000 / 220 = 45.4545…; 4545.4545… → 4545.45; 3636.3636… → 3636.36; 1818.1818… → 1818.18
    let r = await run({ payments: pay }, [a, b, c]);
    expect(r.members.map((x) => m(x.claims))).toEqual(['6363.63', '3636.36', '0.00']); // H01 = 4545.45 + 1818.18
    expect(m(r.actuals.inGroupLiability)).toBe('9999.99');
    expect(r.actuals.dip!.totalPoints.toFixed()).toBe('220');
    // b reversed: Σ = 140; pv = 71.428571…; 7142.857… → 7142.86; 2857.142… → 2857.14
    r = await run({ payments: pay }, [a, b, c, reversalOf(b, 'RB')]);
    expect(r.members.map((x) => m(x.claims))).toEqual(['10000.00', '0.00', '0.00']);
    expect(r.actuals.dip!.totalPoints.toFixed()).toBe('140');
  });
});

describe('§4 perDiem, singleDisease, capitation, ffs', () => {
  const perDiem = {
    rules: [{ when: { setting: 'inpatient', losAtLeast: '30' }, method: 'perDiem' }],
    perDiem: { rates: { default: '300', township: '200' }, maxDays: '60' },
  };
  it('perDiem: rate(tier or default) × min(los, maxDays) − patient_paid', async () => {
    expect(await liability(perDiem, inpatient({ institutionId: 'H01', losDays: 45, totalCost: 2_000_000, fundPaid: 1_900_000 }))).toBe('12500.00'); // 300 × 45 − 1000
    expect(await liability(perDiem, inpatient({ institutionId: 'T01', losDays: 90, totalCost: 2_000_000 }))).toBe('12000.00'); // 200 × 60
    expect(await liability(perDiem, inpatient({ institutionId: 'T01', losDays: 29, totalCost: 2_000_000, fundPaid: 123_456 }))).toBe('1234.56'); // below losAtLeast: ffs
  });
  const single = { rules: [{ when: { setting: 'inpatient' }, method: 'singleDisease' }], singleDisease: { prices: { 'K35.8': '4000', D9: '3000' } } };
  it('singleDisease: price by dip_code, else drg_code; max(0, price − patient_paid)', async () => {
    expect(await liability(single, inpatient({ institutionId: 'H01', dipCode: 'K35.8', drgCode: 'D9', totalCost: 500_000, fundPaid: 450_000 }))).toBe('3500.00'); // 4000 − 500
    expect(await liability(single, inpatient({ institutionId: 'H01', drgCode: 'D9', totalCost: 500_000, fundPaid: 450_000 }))).toBe('2500.00'); // 3000 − 500
    expect(await liability(single, inpatient({ institutionId: 'H01', dipCode: 'ZZ', drgCode: 'D9', totalCost: 500_000, fundPaid: 450_000 }))).toBe('2500.00'); // unpriced dip code → drg
    expect(await liability(single, inpatient({ institutionId: 'H01', dipCode: 'K35.8', totalCost: 900_000, fundPaid: 400_000 }))).toBe('0.00'); // 4000 − 5000 < 0
  });
  it('capitation: rate × enrollees per contract (rounded), claims under capitation cost 0', async () => {
    const r = await run(
      {
        payments: {
          rules: [{ when: { setting: 'outpatient', tiers: ['village'] }, method: 'capitation' }],
          capitation: { rate: '60', contracted: [{ institution: 'V01', enrollees: '2500' }, { institution: 'T01', enrollees: '100', rate: '12.345' }, { institution: 'H01', enrollees: '1', rate: '0.005' }] },
        },
      },
      [claim({ institutionId: 'V01', fundPaid: 50_000 }), claim({ institutionId: 'T01', fundPaid: 20_000 })],
    );
    // V01 60 × 2500 = 150000; T01 12.345 × 100 = 1234.50; H01 0.005 × 1 → 0.01
    expect(r.members.map((x) => [x.id, m(x.claims), m(x.capitation)])).toEqual([
      ['H01', '0.00', '0.01'],
      ['T01', '200.00', '1234.50'],
      ['V01', '0.00', '150000.00'],
    ]);
    expect(m(r.actuals.capitation)).toBe('151234.51');
    expect(m(r.settlement.balance)).toBe('848565.49'); // 1000000 − 200 − 151234.51
  });
});

describe('§4 payment rules: first match wins, default ffs', () => {
  const rules = scenarioFromRaw(
    scen({
      payments: {
        rules: [
          { when: { setting: 'inpatient', tiers: ['county'], hasCode: 'drg' }, method: 'drg' },
          { when: { setting: 'inpatient', hasCode: 'dip' }, method: 'dip' },
          { when: { losAtLeast: '60' }, method: 'perDiem' },
          { when: { setting: 'outpatient', tiers: ['village'] }, method: 'capitation' },
          { when: { tiers: [] }, method: 'singleDisease' },
        ],
        drg: { baseRate: '1', weights: { A: '1' } },
        dip: { groups: { P: { score: '1' } }, pointValue: '1' },
        perDiem: { rates: { default: '1' } },
        singleDisease: { prices: {} },
      },
    }),
  ).payments.rules;
  const c = (p: Partial<Claim>) => claim({ institutionId: 'X', ...p });
  it.each([
    ['inpatient county with both codes → drg (first rule)', c({ setting: 'inpatient', drgCode: 'A', dipCode: 'P' }), 'county', 'drg'],
    ['inpatient township with both codes → dip (tiers exclude it from rule 1)', c({ setting: 'inpatient', drgCode: 'A', dipCode: 'P' }), 'township', 'dip'],
    ['inpatient county without drg code → dip', c({ setting: 'inpatient', dipCode: 'P' }), 'county', 'dip'],
    ['inpatient township drg only, los 70 → perDiem', c({ setting: 'inpatient', drgCode: 'A', losDays: 70 }), 'township', 'perDiem'],
    ['los 59 is below losAtLeast 60 → ffs', c({ setting: 'inpatient', drgCode: 'A', losDays: 59 }), 'township', 'ffs'],
    ['los exactly 60 → perDiem', c({ setting: 'inpatient', losDays: 60 }), 'village', 'perDiem'],
    ['outpatient village → capitation', c({ setting: 'outpatient' }), 'village', 'capitation'],
    ['outpatient county → default ffs (tiers: [] matches nothing)', c({ setting: 'outpatient' }), 'county', 'ffs'],
  ] as const)('%s', (_name, cl, tier, method) => {
    expect(matchMethod(rules, cl, tier)).toBe(method);
  });
});

describe('reversal rows (冲销)', () => {
  const pay = {
    rules: [{ when: { hasCode: 'drg' }, method: 'drg' }],
    drg: { baseRate: '10000', weights: { A: '1.2' }, highExcessRate: '0.37' },
  };
  it('a reversal is the exact negation of its original; the netted pair contributes nothing', async () => {
    const base = [inpatient({ institutionId: 'H01', drgCode: 'A', totalCost: 1_000_000, fundPaid: 900_000 }), claim({ institutionId: 'X1', fundPaid: 77_777 })];
    const high = inpatient({ institutionId: 'T01', drgCode: 'A', totalCost: 4_123_457, fundPaid: 4_000_000 }); // high outlier, odd amounts
    const ffsIn = claim({ institutionId: 'V01', fundPaid: 12_345 });
    const outOf = claim({ institutionId: 'X2', fundPaid: 55_555, outOfRegion: true });
    const a = await run({ payments: pay }, base);
    const b = await run({ payments: pay }, [reversalOf(high, 'R1'), ...base, high, ffsIn, outOf, reversalOf(ffsIn, 'R2'), reversalOf(outOf, 'R3')]);
    expect(engineFigures(b)).toEqual(engineFigures(a));
    // the reversed high outlier alone: +x then −x at T01
    const only = await run({ payments: pay }, [high]);
    // std 12000; 12000 + (41234.57 − 36000) × 0.37 = 13936.7909 → 13936.79; patient 1234.57 → 12702.22
    expect(m(only.members[1].claims)).toBe('12702.22');
  });
  it('the reference implementation agrees on the same rows', async () => {
    const high = inpatient({ institutionId: 'T01', drgCode: 'A', totalCost: 4_123_457, fundPaid: 4_000_000 });
    const rows = [high, reversalOf(high, 'R1'), high.claimId === 'x' ? high : { ...high, claimId: 'K2' }];
    const s = scenarioFromRaw(scen({ payments: pay }));
    expect(engineFigures(await run({ payments: pay }, rows))).toEqual(referenceSettle(s, rows));
  });
});
