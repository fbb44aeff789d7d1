// Builds typed scenarios and claims for tests, from the same YAML text a user writes.
import { parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';
import type { Claim, Scenario } from '../../src/domain/types.js';
import { arraySource } from '../../src/claims/source.js';
import { aggregateClaims } from '../../src/app/claims.js';
import { settle } from '../../src/domain/engine.js';
import type { SettlementResult } from '../../src/domain/result.js';
import { formatInputError } from '../../src/cli/errors.js';
import { InputRejected } from '../../src/domain/errors.js';

export function scenarioFromYaml(yaml: string): Scenario {
  return scenarioFromObject(parseScenarioText(yaml, 'test.yaml'), 'test.yaml', '/tmp').scenario;
}

let seq = 0;
export function claim(partial: Partial<Claim> & { institutionId: string }): Claim {
  seq += 1;
  const totalCost = partial.totalCost ?? partial.fundPaid ?? 0;
  const fundPaid = partial.fundPaid ?? totalCost;
  return {
    claimId: `C${seq}`,
    patientId: 'P1',
    category: 'resident',
    outOfRegion: false,
    setting: 'outpatient',
    serviceDate: '2024-06-01',
    losDays: 0,
    drgCode: '',
    dipCode: '',
    reverses: '',
    ...partial,
    totalCost,
    fundPaid,
    patientPaid: partial.patientPaid ?? totalCost - fundPaid,
  };
}

export async function settleClaims(scenario: Scenario, claims: readonly Claim[]): Promise<SettlementResult> {
  const { actuals } = await aggregateClaims(scenario, arraySource(claims));
  return settle(scenario, actuals, []);
}

/** The scenario of DOMAIN.md §11 (claims: H01 600,000.00, T01 200,000.00, X01 out of group 100,000.00, all ffs). */
export const WORKED_EXAMPLE_YAML = `
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

/** Every error a scenario text (file name s.yaml) is rejected with, formatted as the CLI prints it; [] if valid. */
export function scenarioErrors(yaml: string): string[] {
  try {
    scenarioFromObject(parseScenarioText(yaml, 's.yaml'), 's.yaml', '/tmp');
  } catch (e) {
    if (e instanceof InputRejected) return e.errors.map(formatInputError);
    throw e;
  }
  return [];
}
