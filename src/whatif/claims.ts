// Reads the claims of a scenario once: per-member aggregates for re-settling budget/settlement variants, and (when
// asked) the compact claim table for variants that re-price claims. Aggregate-mode scenarios (`actuals:`) need no
// claims at all.
import type { ClaimSource } from '../claims/source.js';
import { ClaimAggregator } from '../domain/aggregate.js';
import { actualsFromAggregates } from '../domain/engine.js';
import { InputRejected } from '../domain/errors.js';
import type { ActualsResult, InputFile } from '../domain/result.js';
import type { Scenario } from '../domain/types.js';
import { aggregateClaims, withSpecialCases } from '../app/claims.js';
import { ClaimTable, both } from './claimtable.js';

export interface LoadedClaims {
  readonly actuals: ActualsResult;
  readonly files: readonly InputFile[];
  /** The claim table, when it was asked for (and the scenario has claims). */
  readonly table?: ClaimTable;
}

/** One scan of `source` (ignored in aggregate mode): aggregates for `scenario`, and the claim table if `keepTable`. */
export async function loadClaimsOnce(scenario: Scenario, source: ClaimSource | undefined, keepTable: boolean): Promise<LoadedClaims> {
  if (scenario.actuals !== undefined || source === undefined) {
    if (scenario.actuals === undefined) throw new Error('loadClaimsOnce: a claims scenario needs a claim source');
    return { actuals: actualsFromAggregates(scenario), files: [] };
  }
  const recompute = scenario.costSharing?.mode === 'recompute';
  if (recompute && !keepTable) {
    const { actuals, files } = await aggregateClaims(scenario, source); // two passes: recorded, then recomputed
    return { actuals, files };
  }
  const { scenario: settled, file: listFile } = await withSpecialCases(scenario); // §13.2 list read once
  const agg = new ClaimAggregator(settled);
  const table = keepTable ? new ClaimTable() : undefined;
  const add = agg.add.bind(agg);
  const scan = await source.scan(table ? both(add, table.visitor) : add);
  agg.closeScan();
  if (scan.errorCount > 0 || agg.problemCount > 0) {
    throw new InputRejected([...scan.errors, ...agg.problems], scan.errorCount + agg.problemCount);
  }
  // Recompute mode needs each patient's whole year before any claim is priced: the second pass replays the table.
  const actuals = recompute && table ? await table.aggregate(settled) : agg.finish();
  return { actuals, files: listFile === undefined ? scan.files : [...scan.files, listFile], table };
}
