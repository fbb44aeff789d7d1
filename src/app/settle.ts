// One settlement run from files: load the scenario, stream its claims (or take its aggregate actuals), settle.
// Returns everything the reports need; writes nothing.
import { openClaimFiles, type ImportOptions } from '../claims/index.js';
import type { ClaimSource, ReadNotice } from '../claims/source.js';
import { actualsFromAggregates, settle } from '../domain/engine.js';
import type { ActualsResult, InputFile, SettlementResult } from '../domain/result.js';
import type { Scenario } from '../domain/types.js';
import { aggregateClaims } from './claims.js';

export interface SettleRun {
  readonly scenario: Scenario;
  readonly result: SettlementResult;
  /** The claims, for a second pass (claim detail); undefined in aggregate mode. */
  readonly source?: ClaimSource;
  /** How claims files were read when not the plain way (another sheet, title rows skipped). */
  readonly notices?: readonly ReadNotice[];
}

/**
 * The scenario's claims files. Rows dated outside the scenario's year are row errors (DOMAIN.md §12.1), and so are
 * institution codes that only look like a member's.
 */
export function claimSourceFor(scenario: Scenario, options: ImportOptions = {}): ClaimSource {
  return openClaimFiles(
    scenario.claims.map((path, i) => ({ path, shown: scenario.claimsAsWritten[i] })),
    { ...options, year: options.year ?? scenario.year, members: options.members ?? scenario.group.members.map((m) => m.id) },
  );
}

/** Settles a loaded scenario; `inputs` are the scenario's own files (scenario and tables) with their hashes. */
export async function settleScenario(scenario: Scenario, inputs: readonly InputFile[], options: ImportOptions = {}): Promise<SettleRun> {
  if (scenario.actuals !== undefined) {
    const actuals: ActualsResult = actualsFromAggregates(scenario);
    return { scenario, result: settle(scenario, actuals, inputs) };
  }
  const source = claimSourceFor(scenario, options);
  const { scenario: settledScenario, actuals, files, source: settled, notices } = await aggregateClaims(scenario, source);
  // In recompute mode the claims as settled carry the recomputed fund_paid / patient_paid; the scenario as settled
  // carries its special-case list (the claim detail prices with it).
  return { scenario: settledScenario, result: settle(settledScenario, actuals, [...inputs, ...files]), source: settled ?? source, notices };
}
