// DOMAIN.md §11, figure by figure.
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../src/domain/money.js';
import { WORKED_EXAMPLE_YAML as YAML, claim, scenarioFromYaml, settleClaims } from '../helpers/scenario.js';


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
