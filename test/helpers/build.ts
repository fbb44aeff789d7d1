// Small builders for formula tests: a base scenario object (YAML-level, every scalar a string) that a test
// overrides key by key, settled with in-memory claims.
import { formatFen } from '../../src/domain/money.js';
import type { SettlementResult } from '../../src/domain/result.js';
import type { Claim } from '../../src/domain/types.js';
import { scenarioFromRaw } from './figures.js';
import { runScenario } from './run.js';

export const BASE = {
  name: 'formula test',
  year: '2024',
  group: {
    id: 'G1',
    lead: 'H01',
    members: [
      { id: 'H01', name: '县医院', tier: 'county' },
      { id: 'T01', name: '镇卫生院', tier: 'township' },
      { id: 'V01', name: '村卫生室', tier: 'village' },
    ],
  },
  budget: { lines: [{ category: 'resident', fund: 'basic', basis: 'fixed', amount: '1000000' }] },
  claims: ['unused.csv'],
} as const;

/** The base scenario with top-level keys replaced. */
export function scen(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...BASE, ...over };
}

export async function run(over: Record<string, unknown>, claims: readonly Claim[] = []): Promise<SettlementResult> {
  const s = scenarioFromRaw(scen(over));
  return runScenario(s, claims);
}

export const m = formatFen;
