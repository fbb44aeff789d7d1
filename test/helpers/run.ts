// Settles a typed scenario the way `settle` does from files: aggregate actuals when the scenario gives them,
// otherwise the in-memory claims through the streaming aggregator.
import { actualsFromAggregates, settle } from '../../src/domain/engine.js';
import type { SettlementResult } from '../../src/domain/result.js';
import type { Claim, Scenario } from '../../src/domain/types.js';
import { settleClaims } from './scenario.js';

export async function runScenario(scenario: Scenario, claims: readonly Claim[]): Promise<SettlementResult> {
  if (scenario.actuals !== undefined) return settle(scenario, actualsFromAggregates(scenario), []);
  return settleClaims(scenario, claims);
}

/** Deterministic Fisher–Yates with a small LCG (the permutation is driven by a generated integer). */
export function permute<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let state = (seed >>> 0) || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
