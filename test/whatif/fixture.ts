// A small scenario with every payment method, and seeded claims for it (in memory; no importer needed).
import { arraySource } from '../../src/claims/source.js';
import type { Claim } from '../../src/domain/types.js';
import { generateClaims } from '../../src/generate/claims.js';
import { type ScenarioObject, loadedFromObject, parseScenarioTextRaw } from '../../src/scenario/load.js';

export const BASE_YAML = `
name: what-if fixture
year: 2024
group:
  id: G1
  lead: H01
  members:
    - { id: H01, name: 县医院, tier: county }
    - { id: T01, name: 甲镇, tier: township }
    - { id: T02, name: 乙镇, tier: township }
    - { id: V01, name: 一村, tier: village }
    - { id: V02, name: 二村, tier: village }
enrollment: { employee: 3000, resident: 20000, poverty: 500 }
budget:
  lines:
    - { category: resident, fund: basic, basis: perCapita, rate: "180" }
    - { category: employee, fund: basic, basis: baseYear, baseSpend: "900000", growth: "0.06" }
  riskReserveRate: "0.05"
  qualityDepositRate: "0.03"
payments:
  rules:
    - { when: { setting: inpatient, losAtLeast: 60 }, method: perDiem }
    - { when: { setting: inpatient, tiers: [county], hasCode: drg }, method: drg }
    - { when: { setting: inpatient, tiers: [township], hasCode: dip }, method: dip }
    - { when: { setting: outpatient, tiers: [village] }, method: capitation }
  drg: { baseRate: "9000", weights: { ES23: "0.8", GD25: "0.9", BR23: "1.1", FR23: "1.0", RE13: "0.7" }, highExcessRate: "0.9" }
  dip: { groups: { J18.9: { score: "400", avgCost: "4000" }, I63.9: { score: "800", avgCost: "8000" }, J44.9: { score: "500", avgCost: "5000" }, I10.x: { score: "300" } },
         coefficients: { township: "0.85" }, pool: { amount: "400000", reimbursementRatio: "0.78" } }
  perDiem: { rates: { default: "230", county: "330" }, maxDays: 90 }
  capitation: { rate: "75", contracted: [ { institution: V01, enrollees: 800 }, { institution: V02, enrollees: 600 } ] }
settlement:
  surplus: { mode: marginal, bands: [ { upTo: "0.05", share: "1" }, { upTo: "0.10", share: "0.5" }, { share: "0" } ], scaleByScore: true, cap: "0.08" }
  overrun: { mode: marginal, bands: [ { upTo: "0.05", fundShare: "0.6" }, { upTo: "0.10", fundShare: "0.4" }, { fundShare: "0" } ], capToReserve: true, bearer: lead }
assessment: { score: 92, depositReturn: [ { score: 60, fraction: "0" }, { score: 95, fraction: "1" } ] }
distribution: { tierShares: { county: "0.5", township: "0.3", village: "0.2" }, within: workload, incentiveRate: "0.5" }
carryForward: { opening: "30000", retainShare: "0.2" }
claims: [ claims.csv ]
`;

export function baseObject(yaml = BASE_YAML): ScenarioObject {
  return { file: 'fixture.yaml', topDir: '/tmp', obj: parseScenarioTextRaw(yaml, 'fixture.yaml'), display: new Map(), inputs: [] };
}

export const baseLoaded = (yaml = BASE_YAML) => loadedFromObject(baseObject(yaml));

let cached: Claim[] | undefined;
export function fixtureClaims(): Claim[] {
  cached ??= [...generateClaims(baseLoaded().scenario, { claims: 4000, seed: 11 })].map((c) => ({ ...c }));
  return cached;
}

export const fixtureSource = () => arraySource(fixtureClaims());
