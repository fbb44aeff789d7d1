// Builds typed scenarios and claims for tests, from the same YAML text a user writes.
import { parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';
import type { Claim, Scenario } from '../../src/domain/types.js';
import { arraySource } from '../../src/claims/source.js';
import { aggregateClaims } from '../../src/app/claims.js';
import { settle } from '../../src/domain/engine.js';
import type { SettlementResult } from '../../src/domain/result.js';

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
