// The what-if example: the township inpatient deductible 200 yuan lower, recomputed from the demo claims.
import { describe, expect, it } from 'vitest';
import { settleScenario } from '../../src/app/settle.js';
import { loadScenarioWithOverrides } from '../../src/scenario/load.js';
import { claim, settleClaims } from '../helpers/scenario.js';
import { scenarioWith } from './helpers.js';

describe('scenarios/whatif-township-deductible.yaml', () => {
  it('lowers the township deductible: more fund paid and more liability at the townships, less surplus', async () => {
    const file = 'scenarios/whatif-township-deductible.yaml';
    const run = async (sets: string[]) => {
      const l = loadScenarioWithOverrides(file, sets);
      return (await settleScenario(l.scenario, l.inputs, { progress: false })).result;
    };
    const [base, whatif] = await Promise.all([run(['costSharing.inpatient.deductible.township=300']), run([])]);
    const townships = (r: typeof base) => r.actuals.members.filter((m) => m.tier === 'township');
    const fund = (r: typeof base) => townships(r).reduce((s, m) => s + m.methods.reduce((x, t) => x + t.fundPaid, 0), 0);
    expect(fund(whatif)).toBeGreaterThan(fund(base));
    expect(whatif.actuals.inGroupLiability).toBeGreaterThan(base.actuals.inGroupLiability);
    expect(whatif.settlement.balance).toBeLessThan(base.settlement.balance);
    // county stays referred up from a township now pay the larger difference of the deductibles (600 − 100 instead of
    // 600 − 300 yuan, 转诊起付线连续计算): more patient paid, less county liability; out-of-group care is untouched
    const county = (r: typeof base) => r.actuals.members.find((m) => m.id === 'H01')!;
    const countyPatientPaid = (r: typeof base) => county(r).methods.reduce((x, t) => x + t.patientPaid, 0);
    expect(countyPatientPaid(whatif)).toBeGreaterThan(countyPatientPaid(base));
    expect(county(whatif).claimsLiability).toBeLessThan(county(base).claimsLiability);
    expect(whatif.actuals.outOfGroupDeductions).toBe(base.actuals.outOfGroupDeductions);
    // the baseline policy is the one the demo claims were generated with: recomputed ≈ recorded (rounding only)
    const cs = base.actuals.costSharing!;
    const drift = Math.abs(cs.recomputed.inGroupFundPaid - cs.recorded.inGroupFundPaid);
    expect(drift).toBeLessThan(base.actuals.claimRows); // < 1 fen a claim
    expect(whatif.kpis!.indicators.map((i) => i.id)).toContain('primaryCareShare');
  });

  it('recorded mode ignores the rules: the same figures as without costSharing', async () => {
    const claims = [claim({ institutionId: 'H01', totalCost: 10_000, fundPaid: 7_000 }), claim({ institutionId: 'X01', totalCost: 5_000, fundPaid: 1_000 })];
    const rules = `
costSharing:
  inpatient: { ratio: { county: 1, township: 1, village: 1, inRegion: 1, outOfRegion: 1 } }
  outpatient: { ratio: { county: 1, township: 1, village: 1, inRegion: 1, outOfRegion: 1 } }
`;
    const a = await settleClaims(scenarioWith(rules), claims);
    const b = await settleClaims(scenarioWith(''), claims);
    expect(a.settlement).toEqual(b.settlement);
    expect(a.actuals.costSharing).toBeUndefined();
  });
});
