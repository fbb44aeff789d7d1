// `yibao budget HISTORY.yaml`: next year's total and per-capita standards from history (DOMAIN.md §14). Prints every
// input and step; writes the JSON, the 测算 workbook and a scenario fragment when asked, only after the estimate
// succeeded, each atomically.
import { parseClaimsOptions, runBudgetEstimate } from '../app/budget.js';
import { loadMapping } from '../claims/index.js';
import { writeTextAtomically } from '../io/atomic.js';
import { estimateToJsonText } from '../report/estimate/json.js';
import { estimateToScenarioYaml } from '../report/estimate/scenario.js';
import { standardSheet, totalSheet } from '../report/estimate/steps.js';
import { renderEstimateTables } from '../report/estimate/table.js';
import { writeEstimateWorkbook } from '../report/estimate/workbook.js';
import { ENGINE_VERSION } from '../version.js';

export interface BudgetCliOptions {
  json?: string;
  xlsx?: string;
  scenario?: string;
  claims?: string[];
  encoding?: string;
  sheet?: string;
  mapping?: string;
  quiet?: boolean;
  progress?: boolean;
}

export async function runBudget(historyFile: string, opts: BudgetCliOptions): Promise<number> {
  const claims = opts.claims && opts.claims.length > 0 ? parseClaimsOptions(opts.claims) : undefined;
  const run = await runBudgetEstimate(historyFile, claims, {
    encoding: opts.encoding,
    sheet: opts.sheet,
    mapping: opts.mapping ? loadMapping(opts.mapping) : undefined,
    progress: opts.progress ?? true,
  });
  const e = run.estimate;
  if (!opts.quiet) {
    const sheets = [...(e.total ? [totalSheet(e.total)] : []), ...e.standards.map(standardSheet)];
    let text = renderEstimateTables(e.year, sheets, run.inputs);
    if (run.unmatchedContractTypes.length > 0) {
      const list = run.unmatchedContractTypes.join('、');
      text += `\n注：结算明细中的签约类型 ${list} 没有对应的标准，未计入 / Note: contract types ${run.unmatchedContractTypes.join(', ')} in the claims match no standard and were not used`;
    }
    process.stdout.write(`${text}\n`);
  }
  if (opts.xlsx) await writeEstimateWorkbook(opts.xlsx, e, run.inputs, ENGINE_VERSION);
  if (opts.scenario) await writeTextAtomically(opts.scenario, estimateToScenarioYaml(e, run.inputs));
  if (opts.json) await writeTextAtomically(opts.json, estimateToJsonText(e, run.inputs, ENGINE_VERSION));
  return 0;
}
