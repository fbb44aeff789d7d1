// DOMAIN.md §5 (year-end settlement) and §6 (inside the group), with hand-computed figures.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { depositReturnedFen, depositReturnFraction } from '../../src/domain/settle.js';
import { m, run } from '../helpers/build.js';
import { engineFigures, scenarioFromRaw } from '../helpers/figures.js';
import { claim } from '../helpers/scenario.js';
import { referenceSettle } from '../reference/settle.js';
import { scen } from '../helpers/build.js';

const fixed = (amount: string, extra: Record<string, string> = {}) => ({ lines: [{ category: 'resident', fund: 'basic', basis: 'fixed', amount }], ...extra });
/** In-group ffs spend at H01 (fen). */
const spend = (fen: number, at = 'H01') => claim({ institutionId: at, fundPaid: fen });

describe('§5 surplus bands', () => {
  // P = 1,000,000 (no reserve, no deposit); L at H01 sets X = P − L.
  const bands = [{ upTo: '0.05', share: '1' }, { upTo: '0.10', share: '0.5' }, { share: '0' }];
  const S = async (surplus: Record<string, unknown>, x: number, extra: Record<string, unknown> = {}) =>
    m((await run({ settlement: { surplus }, ...extra }, [spend(100_000_000 - x)])).settlement.retainedSurplus);

  it('marginal: each band share on its part of X', async () => {
    // X = 120,000 (12%): 50,000 × 1 + 50,000 × 0.5 + 20,000 × 0 = 75,000
    expect(await S({ mode: 'marginal', bands }, 12_000_000)).toBe('75000.00');
    // X = 33,333.33 (3.3%): all in band 1
    expect(await S({ mode: 'marginal', bands }, 3_333_333)).toBe('33333.33');
    // shares round once: [{share 0.5}] on 33,333.33 = 16,666.665 → 16,666.67
    expect(await S({ bands: [{ share: '0.5' }] }, 3_333_333)).toBe('16666.67');
  });

  it('firstDollar: the share of the band containing s applies to all of X (upper-inclusive)', async () => {
    expect(await S({ mode: 'firstDollar', bands }, 12_000_000)).toBe('0.00'); // 12% → share 0
    expect(await S({ mode: 'firstDollar', bands }, 8_000_000)).toBe('40000.00'); // 8% → 0.5 × 80,000
    expect(await S({ mode: 'firstDollar', bands }, 5_000_000)).toBe('50000.00'); // exactly 5% → band 1
    expect(await S({ mode: 'firstDollar', bands }, 5_000_001)).toBe('25000.01'); // 50,000.01 × 0.5 = 25,000.005 → .01
  });

  it('firstDollar share-0 gate: nothing at or below it, everything from the first fen above', async () => {
    const gate = { mode: 'firstDollar', bands: [{ upTo: '0.02', share: '0' }, { share: '0.6' }] };
    expect(await S(gate, 2_000_000)).toBe('0.00'); // s = 2% exactly: inside the gate band
    expect(await S(gate, 2_000_001)).toBe('12000.01'); // 20,000.01 × 0.6 = 12,000.006 → 12,000.01
  });

  it('scaleByScore, then payoutFactor, then cap', async () => {
    const assessment = { assessment: { score: '90' } };
    // 100,000 × 0.5 = 50,000 × 0.9 = 45,000
    expect(await S({ bands: [{ share: '0.5' }], scaleByScore: 'true' }, 10_000_000, assessment)).toBe('45000.00');
    // × payoutFactor 0.8 = 36,000
    expect(await S({ bands: [{ share: '0.5' }], scaleByScore: 'true', payoutFactor: '0.8' }, 10_000_000, assessment)).toBe('36000.00');
    // cap 0.03 × P = 30,000
    expect(await S({ bands: [{ share: '0.5' }], scaleByScore: 'true', payoutFactor: '0.8', cap: '0.03' }, 10_000_000, assessment)).toBe('30000.00');
    // scaleByScore false ignores the score: 50,000
    expect(await S({ bands: [{ share: '0.5' }] }, 10_000_000, assessment)).toBe('50000.00');
  });

  it('no surplus rule: all retained (结余留用); returned to fund = X − S', async () => {
    const r = await run({}, [spend(90_000_000)]);
    expect(m(r.settlement.retainedSurplus)).toBe('100000.00');
    expect(m(r.settlement.surplusReturnedToFund)).toBe('0.00');
    const r2 = await run({ settlement: { surplus: { bands } } }, [spend(88_000_000)]);
    expect(m(r2.settlement.surplusReturnedToFund)).toBe('45000.00'); // 120,000 − 75,000
  });
});

describe('§5 overrun bands, reserve cap, bearers', () => {
  // B 1,000,000; R 50,000; P 950,000. In-group spend 1,045,000 → X = −95,000 (O = 95,000, o = 10%).
  const budget = fixed('1000000', { riskReserveRate: '0.05' });
  const bands = [{ upTo: '0.05', fundShare: '0.6' }, { upTo: '0.10', fundShare: '0.5' }, { fundShare: '0' }];
  const claims = [spend(62_700_000, 'H01'), spend(41_800_000, 'T01')]; // 627,000 + 418,000; workload 3 : 2

  it('marginal fund share capped at R (capToReserve default true); lead bears the rest', async () => {
    const r = await run({ budget, settlement: { overrun: { bands } }, carryForward: { opening: '10000' } }, claims);
    // 47,500 × 0.6 + 47,500 × 0.5 = 28,500 + 23,750 = 52,250 > R → F = 50,000; G = 45,000
    expect(m(r.settlement.balance)).toBe('-95000.00');
    expect(m(r.settlement.fundOverrunShare)).toBe('50000.00');
    expect(m(r.settlement.groupOverrunLiability)).toBe('45000.00');
    // T = A + F − Q_f = 950,000 + 50,000 = 1,000,000; fund keeps R − F = 0
    expect(m(r.settlement.groupTotal)).toBe('1000000.00');
    expect(m(r.settlement.fundRetained)).toBe('0.00');
    // Δ = −45,000; the reserve (10,000) covers what it can; the lead bears 35,000
    expect(m(r.carryForward.used)).toBe('10000.00');
    expect(m(r.carryForward.closing)).toBe('0.00');
    expect(r.members.map((x) => [x.id, m(x.adjustment), m(x.total), m(x.incentivePool)])).toEqual([
      ['H01', '-35000.00', '592000.00', '0.00'],
      ['T01', '0.00', '418000.00', '0.00'],
      ['V01', '0.00', '0.00', '0.00'],
    ]);
  });

  it('capToReserve false: F = 52,250 (the fund keeps R − F = −2,250); proRata bearer', async () => {
    const r = await run({ budget, settlement: { overrun: { bands, capToReserve: 'false', bearer: 'proRata' } } }, claims);
    expect(m(r.settlement.fundOverrunShare)).toBe('52250.00');
    expect(m(r.settlement.groupOverrunLiability)).toBe('42750.00');
    expect(m(r.settlement.groupTotal)).toBe('1002250.00'); // 950,000 + 52,250
    expect(m(r.settlement.fundRetained)).toBe('-2250.00'); // 1,000,000 = 1,002,250 + 0 − 2,250 ✓
    // 42,750 pro rata 3 : 2 → 25,650 | 17,100; V01 has no workload
    expect(r.members.map((x) => m(x.adjustment))).toEqual(['-25650.00', '-17100.00', '0.00']);
  });

  it('firstDollar overrun: the fund share of the band containing o applies to all of O', async () => {
    const r = await run({ budget, settlement: { overrun: { mode: 'firstDollar', bands, capToReserve: 'false' } } }, claims);
    expect(m(r.settlement.fundOverrunShare)).toBe('47500.00'); // o = 10% exactly → band 2: 95,000 × 0.5
  });

  it('no overrun rule: the group bears the whole overrun (超支自付)', async () => {
    const r = await run({ budget }, claims);
    expect(m(r.settlement.fundOverrunShare)).toBe('0.00');
    expect(m(r.settlement.groupOverrunLiability)).toBe('95000.00');
    expect(m(r.settlement.groupTotal)).toBe('950000.00'); // T = A
    expect(m(r.settlement.yearEndPayment)).toBe('0.00'); // T − (P − Q) with Q = 0
    expect(m(r.members[0].adjustment)).toBe('-95000.00');
  });
});

describe('§5 quality deposit curve', () => {
  const pts = (xs: Array<[string, string]>) => xs.map(([score, fraction]) => ({ score: new Decimal(score), fraction: new Decimal(fraction) }));
  it('piecewise-linear, flat outside the points, no points: all returned', () => {
    const curve = pts([['60', '0'], ['80', '0.5'], ['90', '0.8']]);
    expect(depositReturnFraction(curve, new Decimal(50)).toFixed()).toBe('0'); // below: flat
    expect(depositReturnFraction(curve, new Decimal(70)).toFixed()).toBe('0.25');
    expect(depositReturnFraction(curve, new Decimal(85)).toFixed()).toBe('0.65'); // 0.5 + 0.3 × 0.5
    expect(depositReturnFraction(curve, new Decimal(100)).toFixed()).toBe('0.8'); // above: flat
    expect(depositReturnFraction([], new Decimal(0)).toFixed()).toBe('1');
    expect(depositReturnedFen([], new Decimal(0), 12345)).toBe(12345);
  });

  it('Q_r = round(Q × fraction) even when the fraction repeats (5/6 of 19,000.05 = 15,833.375 → .38)', async () => {
    const curve = pts([['60', '0'], ['90', '1']]);
    // 1,900,005 fen × 25/30 = 1,583,337.5 fen exactly → half-up → 1,583,338
    expect(depositReturnedFen(curve, new Decimal(85), 1_900_005)).toBe(1_583_338);
    const over = {
      budget: fixed('38000.10', { qualityDepositRate: '0.5' }), // Q = 19,000.05
      assessment: { score: '85', depositReturn: [{ score: '60', fraction: '0' }, { score: '90', fraction: '1' }] },
    };
    const r = await run(over);
    expect(m(r.budget.qualityDeposit)).toBe('19000.05');
    expect(m(r.settlement.depositReturned)).toBe('15833.38');
    expect(m(r.settlement.depositForfeited)).toBe('3166.67');
    expect(engineFigures(r)).toEqual(referenceSettle(scenarioFromRaw(scen(over)), []));
  });

  it('no assessment: score 100, all returned', async () => {
    const r = await run({ budget: fixed('1000', { qualityDepositRate: '0.1' }) });
    expect(m(r.settlement.depositReturned)).toBe('100.00');
    expect(m(r.settlement.depositForfeited)).toBe('0.00');
  });
});

describe('§6 distribution inside the group', () => {
  const members4 = {
    id: 'G',
    lead: 'H01',
    members: [
      { id: 'H01', tier: 'county' },
      { id: 'T02', tier: 'township' },
      { id: 'T01', tier: 'township' },
    ],
  };
  // P = 1,000,000; spend T01 300, T02 100, H01 0 → X = 999,600 all retained (no rules): Δ = 999,600
  const claims = [spend(30_000, 'T01'), spend(10_000, 'T02')];

  it('tierShares renormalised over tiers that have members (no village): 5/8 | 3/8; within equal', async () => {
    const r = await run({ group: members4, distribution: { tierShares: { county: '0.5', township: '0.3', village: '0.2' }, within: 'equal' } }, claims);
    // county 999,600 × 5/8 = 624,750; township 374,850 → 187,425 each
    expect(r.members.map((x) => [x.id, m(x.adjustment)])).toEqual([
      ['H01', '624750.00'],
      ['T01', '187425.00'],
      ['T02', '187425.00'],
    ]);
  });

  it('within workload (claims + capitation): 300 : 100; carry-forward share and incentive pool', async () => {
    const r = await run(
      {
        group: members4,
        distribution: { tierShares: { county: '0.5', township: '0.3' }, within: 'workload', incentiveRate: '0.5' },
        carryForward: { opening: '5', retainShare: '0.25' },
      },
      claims,
    );
    // added = 999,600 × 0.25 = 249,900; rest 749,700 → county 468,562.5 | township 281,137.5 (in fen:
    // 46,856,250 | 28,113,750 exactly); township 300:100 → 210,853.125 | 70,284.375 → fen 21,085,312.5 | 7,028,437.5
    // → floors 21,085,312 | 7,028,437, one leftover fen, tie on .5 → T01 (first by id)
    expect(m(r.carryForward.added)).toBe('249900.00');
    expect(m(r.carryForward.closing)).toBe('249905.00');
    expect(r.members.map((x) => [x.id, m(x.adjustment), m(x.incentivePool)])).toEqual([
      ['H01', '468562.50', '234281.25'],
      ['T01', '210853.13', '105426.57'], // 105,426.565 → .57
      ['T02', '70284.37', '35142.19'], // 35,142.185 → .19
    ]);
    expect(r.members.reduce((a, x) => a + x.total, 0)).toBe(r.settlement.groupTotal - r.carryForward.added);
  });

  it('no tierShares → all to the county tier; workload with zero weights splits equally', async () => {
    const r = await run({
      group: { id: 'G', lead: 'T01', members: [{ id: 'C1', tier: 'county' }, { id: 'C2', tier: 'county' }, { id: 'T01', tier: 'township' }] },
      budget: fixed('100.01'),
    });
    expect(r.members.map((x) => m(x.adjustment))).toEqual(['50.01', '50.00', '0.00']);
  });

  it('no tierShares and no county member → the lead’s tier', async () => {
    const r = await run({
      group: { id: 'G', lead: 'V01', members: [{ id: 'T01', tier: 'township' }, { id: 'V01', tier: 'village' }] },
      budget: fixed('100'),
    });
    expect(r.members.map((x) => m(x.adjustment))).toEqual(['0.00', '100.00']);
  });

  it('a tier with share 0 gets nothing; incentive pool only on a positive adjustment', async () => {
    const r = await run({ distribution: { tierShares: { county: '1', village: '0' }, incentiveRate: '0.5' } }, [spend(99_000_000)]);
    // Δ = 10,000 → H01 (township share absent = 0)
    expect(r.members.map((x) => [x.id, m(x.adjustment), m(x.incentivePool)])).toEqual([
      ['H01', '10000.00', '5000.00'],
      ['T01', '0.00', '0.00'],
      ['V01', '0.00', '0.00'],
    ]);
  });

  it('Δ < 0 from a forfeited deposit with a surplus: the reserve covers it first', async () => {
    // B 1000, Q 100 (rate 0.1), score 0 with depositReturn {0: 0} → Q_f = 100; X = 900 − 880 = ... P = 1000
    const r = await run(
      {
        budget: fixed('1000', { qualityDepositRate: '0.1' }),
        settlement: { surplus: { bands: [{ share: '0' }] } }, // nothing retained
        assessment: { score: '0', depositReturn: [{ score: '0', fraction: '0' }] },
        carryForward: { opening: '30' },
      },
      [spend(90_000)],
    );
    // X = 1000 − 900 = 100, S = 0; Δ = −100; used 30; lead bears 70
    expect(m(r.settlement.depositForfeited)).toBe('100.00');
    expect(m(r.carryForward.used)).toBe('30.00');
    expect(m(r.members[0].adjustment)).toBe('-70.00');
    expect(m(r.settlement.groupTotal)).toBe('800.00'); // L + C + S − Q_f = 900 − 100
    expect(m(r.settlement.fundRetained)).toBe('200.00'); // X − S + Q_f = 100 + 100
  });
});

describe('aggregate mode (`actuals:`)', () => {
  it('reproduces the §11 figures with member detail on the lead', async () => {
    const over = {
      budget: fixed('1000000', { riskReserveRate: '0.05', qualityDepositRate: '0.02' }),
      settlement: { surplus: { mode: 'marginal', bands: [{ upTo: '0.05', share: '1' }, { share: '0.5' }] } },
      assessment: { score: '80', depositReturn: [{ score: '60', fraction: '0' }, { score: '100', fraction: '1' }] },
      distribution: { tierShares: { county: '0.5', township: '0.3', village: '0.2' }, incentiveRate: '0.5' },
      carryForward: { opening: '0', retainShare: '0.2' },
      claims: undefined,
      actuals: { inGroupLiability: '800000', outOfGroupDeductions: '100000', outOfGroupOutOfRegion: '40000' },
      payments: { capitation: { rate: '0.001', contracted: [{ institution: 'V01', enrollees: '5' }] } }, // 0.005 → 0.01
    };
    const r = await run(over);
    expect(r.actuals.source).toBe('actuals');
    expect(m(r.actuals.outOfGroupOutOfRegion)).toBe('40000.00');
    expect(m(r.actuals.capitation)).toBe('0.01');
    // X = 850,000 − 800,000 − 0.01 = 49,999.99; S = 47,500 + 2,499.99 × 0.5 = 48,749.995 → 48,750.00
    expect(m(r.settlement.retainedSurplus)).toBe('48750.00');
    expect(m(r.settlement.groupTotal)).toBe('839250.01');
    expect(r.members.map((x) => [x.id, m(x.claims), m(x.total)])).toEqual([
      ['H01', '800000.00', '815700.00'],
      ['T01', '0.00', '9420.00'],
      ['V01', '0.00', '6280.01'],
    ]);
    expect(engineFigures(r)).toEqual(referenceSettle(scenarioFromRaw(scen(over)), []));
  });
});
