// Scenarios with cost-sharing rules for tests, written as a user writes them.
import type { CostSharing, Scenario } from '../../src/domain/types.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

export const GROUP_YAML = `
name: cost sharing
year: 2024
group:
  id: G1
  lead: H01
  members:
    - { id: H01, name: 县医院, tier: county }
    - { id: T01, name: 镇卫生院, tier: township }
    - { id: V01, name: 村卫生室, tier: village }
enrollment: { resident: 1000 }
budget:
  lines: [ { category: resident, fund: basic, basis: fixed, amount: 1000000 } ]
claims: [ unused.csv ]
`;

/** A scenario: the small group above plus the given YAML (top-level keys). */
export function scenarioWith(extra: string): Scenario {
  return scenarioFromYaml(`${GROUP_YAML}\n${extra}`);
}

export function costSharingFromYaml(extra: string): CostSharing {
  const cs = scenarioWith(extra).costSharing;
  if (cs === undefined) throw new Error('no costSharing in the YAML');
  return cs;
}
