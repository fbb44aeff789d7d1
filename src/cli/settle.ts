// `yibao settle SCENARIO`: print the statement, write the JSON contract, and the workbook / CSV tables when asked.
// Outputs are written only after the whole settlement succeeded, each atomically (temp file + rename).
import { pricedClaimScanner } from '../app/claims.js';
import { settleScenario } from '../app/settle.js';
import { loadMapping } from '../claims/index.js';
import { writeTextAtomically } from '../io/atomic.js';
import { resultToJsonText } from '../report/json.js';
import { renderStatement } from '../report/statement.js';
import { loadScenarioWithOverrides } from '../scenario/load.js';
import { ENGINE_VERSION } from '../version.js';

export interface SettleCliOptions {
  json?: string;
  xlsx?: string;
  csv?: string;
  set?: string[];
  encoding?: 'utf-8' | 'gb18030' | 'auto';
  sheet?: string;
  mapping?: string;
  quiet?: boolean;
  progress?: boolean;
}

export async function runSettle(scenarioPath: string, opts: SettleCliOptions): Promise<number> {
  const loaded = loadScenarioWithOverrides(scenarioPath, opts.set ?? []);
  const run = await settleScenario(loaded.scenario, loaded.inputs, {
    encoding: opts.encoding,
    sheet: opts.sheet,
    mapping: opts.mapping ? loadMapping(opts.mapping) : undefined,
    progress: opts.progress ?? true,
  });
  if (!opts.quiet) process.stdout.write(`${renderStatement(run.result)}\n`);
  if (opts.xlsx || opts.csv) {
    const input = {
      result: run.result,
      scenarioObject: loaded.effective ?? {},
      engineVersion: ENGINE_VERSION,
      scanPricedClaims: run.source ? pricedClaimScanner(run.scenario, run.source, run.result.actuals) : undefined,
    };
    // The table writers (and exceljs) are loaded only when asked for: a third of a second of start-up.
    if (opts.xlsx) await (await import('../report/workbook/index.js')).writeWorkbook(opts.xlsx, input);
    if (opts.csv) await (await import('../report/csv.js')).writeCsvTables(opts.csv, input);
  }
  if (opts.json) await writeTextAtomically(opts.json, resultToJsonText(run.result, ENGINE_VERSION));
  return 0;
}
