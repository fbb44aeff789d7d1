// Where the what-if commands get their claims: the importer, through the same `claimSourceFor` as `yibao settle`.
import { claimSourceFor } from '../app/settle.js';
import type { ImportOptions } from '../claims/index.js';
import type { ClaimSource } from '../claims/source.js';
import type { Scenario } from '../domain/types.js';

export interface ImportCliOptions {
  encoding?: string;
  sheet?: string;
  mapping?: string;
  progress?: boolean;
}

export async function importOptions(o: ImportCliOptions): Promise<ImportOptions> {
  return {
    encoding: o.encoding,
    sheet: o.sheet,
    mapping: o.mapping ? (await import('../claims/index.js')).loadMapping(o.mapping) : undefined,
    progress: o.progress ?? true,
  };
}

/** The scenario's claims, or undefined in aggregate mode (`actuals:`). */
export function sourceOf(scenario: Scenario, options: ImportOptions): ClaimSource | undefined {
  return scenario.actuals !== undefined ? undefined : claimSourceFor(scenario, options);
}
