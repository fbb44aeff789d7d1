// DOMAIN.md §11, figure by figure.
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../src/domain/money.js';
import { claim, scenarioFromYaml, settleClaims } from '../helpers/scenario.js';

const YAML = `
name: worked example
year: 2024
group:
  id: G1
  lead: H01
  members:
    - { id: H01, name: 县人民医院, tier: county }
    - { id: T01, name: 东山镇卫生院, tier: township }
    - { id: V01, name: 东山村卫生室, tier: village }
budget:
  lines: [ { category: resident, fund: basic, basis: fixed, amount: 1000000 } ]
  riskReserveRate: 0.05
  qualityDepositRate: 0.02
settlement:
  surplus: { mode: marginal, bands: [ { upTo: 0.05, share: 1 }, { share: 0.5 } ] }
assessment: { score: 80, depositReturn: [ { score: 60, fraction: 0 }, { score: 100, fraction: 1 } ] }
distribution: { tierShares: { county: 0.5, township: 0.3, village: 0.2 }, incentiveRate: 0.5 }
carryForward: { opening: 0, retainShare: 0.2 }
claims: [ unused.csv ]
`;

describe('DOMAIN.md §11 worked example', () => {
  it('reproduces every figure', async () => {
    const s = scenarioFromYaml(YAML);
    const r = await settleClaims(s, [
      claim({ institutionId: 'H01', fundPaid: 60_000_000 }),
      claim({ institutionId: 'T01', fundPaid: 20_000_000 }),
      claim({ institutionId: 'X01', fundPaid: 10_000_000 }),
    ]);
    const m = formatFen;
    expect(m(r.budget.total)).toBe('1000000.00');
    expect(m(r.budget.riskReserve)).toBe('50000.00');
    expect(m(r.budget.package)).toBe('950000.00');
    expect(m(r.budget.qualityDeposit)).toBe('19000.00');
    expect(r.budget.prepayments.map((p) => m(p.amount))).toEqual([...Array(4).fill('77583.34'), ...Array(8).fill('77583.33')]);
    expect(m(r.actuals.outOfGroupDeductions)).toBe('100000.00');
    expect(m(r.settlement.available)).toBe('850000.00');
    expect(m(r.actuals.inGroupLiability)).toBe('800000.00');
    expect(m(r.settlement.balance)).toBe('50000.00');
    expect(m(r.settlement.retainedSurplus)).toBe('48750.00');
    expect(m(r.settlement.surplusReturnedToFund)).toBe('1250.00');
    expect(m(r.settlement.depositReturned)).toBe('9500.00');
    expect(m(r.settlement.depositForfeited)).toBe('9500.00');
    expect(m(r.settlement.groupTotal)).toBe('839250.00');
    expect(m(r.settlement.yearEndPayment)).toBe('-91750.00');
    expect(m(r.settlement.fundRetained)).toBe('60750.00');
    expect(m(r.carryForward.added)).toBe('7850.00');
    expect(r.members.map((x) => [x.id, m(x.total), m(x.incentivePool)])).toEqual([
      ['H01', '615700.00', '7850.00'],
      ['T01', '209420.00', '4710.00'],
      ['V01', '6280.00', '3140.00'],
    ]);
    expect(r.checks.every((c) => c.ok)).toBe(true);
  });
});
