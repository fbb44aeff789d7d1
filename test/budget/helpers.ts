// Builds budget histories for tests from the same YAML text a user writes.
import { historyFromObject } from '../../src/budget/build.js';
import type { ClaimsYear } from '../../src/budget/claims.js';
import { estimateBudget } from '../../src/budget/estimate.js';
import type { BudgetEstimate, History } from '../../src/budget/types.js';
import { formatInputError } from '../../src/cli/errors.js';
import { InputRejected } from '../../src/domain/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';

export function historyFromYaml(yaml: string, claims?: readonly ClaimsYear[]): History {
  return historyFromObject(parseScenarioText(yaml, 'h.yaml'), 'h.yaml', claims);
}

export function estimateYaml(yaml: string, claims?: readonly ClaimsYear[]): BudgetEstimate {
  return estimateBudget(historyFromYaml(yaml, claims));
}

/** Every error a history text (file name h.yaml) is rejected with, as the CLI prints it; [] if valid. */
export function historyErrors(yaml: string, claims?: readonly ClaimsYear[]): string[] {
  try {
    historyFromYaml(yaml, claims);
  } catch (e) {
    if (e instanceof InputRejected) return e.errors.map(formatInputError);
    throw e;
  }
  return [];
}
