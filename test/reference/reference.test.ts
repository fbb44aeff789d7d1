// The reference implementation checked against DOMAIN.md §11 on its own (not against the engine).
import { describe, expect, it } from 'vitest';
import { WORKED_EXAMPLE_YAML as YAML, claim, scenarioFromYaml } from '../helpers/scenario.js';
import { referenceSettle } from './settle.js';


describe('reference implementation', () => {
  it('reproduces DOMAIN.md §11', () => {
    const r = referenceSettle(scenarioFromYaml(YAML), [
      claim({ institutionId: 'H01', fundPaid: 60_000_000 }),
      claim({ institutionId: 'T01', fundPaid: 20_000_000 }),
      claim({ institutionId: 'X01', fundPaid: 10_000_000 }),
    ]);
    expect(r.budget).toEqual({
      total: '1000000.00',
      lines: ['1000000.00'],
      riskReserve: '50000.00',
      package: '950000.00',
      qualityDeposit: '19000.00',
      prepayments: [...Array(4).fill('77583.34'), ...Array(8).fill('77583.33')],
    });
    expect(r.actuals).toEqual({ outOfGroupDeductions: '100000.00', inGroupLiability: '800000.00', capitation: '0.00' });
    expect(r.settlement).toEqual({
      available: '850000.00',
      balance: '50000.00',
      retainedSurplus: '48750.00',
      surplusReturnedToFund: '1250.00',
      fundOverrunShare: '0.00',
      groupOverrunLiability: '0.00',
      depositReturned: '9500.00',
      depositForfeited: '9500.00',
      groupTotal: '839250.00',
      yearEndPayment: '-91750.00',
      fundRetained: '60750.00',
    });
    expect(r.carryForward).toEqual({ opening: '0.00', added: '7850.00', used: '0.00', closing: '7850.00' });
    expect(r.members.map((m) => [m.id, m.total, m.incentivePool])).toEqual([
      ['H01', '615700.00', '7850.00'],
      ['T01', '209420.00', '4710.00'],
      ['V01', '6280.00', '3140.00'],
    ]);
  });
});
