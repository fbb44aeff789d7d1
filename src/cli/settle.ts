// `yibao settle SCENARIO`: print the statement, write the JSON contract (and the workbook/CSV tables when asked).
import { settleScenario } from '../app/settle.js';
import { writeTextAtomically } from '../io/atomic.js';
import { resultToJsonText } from '../report/json.js';
import { renderStatement } from '../report/statement.js';
import { loadScenarioFile } from '../scenario/load.js';
import { ENGINE_VERSION } from '../version.js';

export interface SettleCliOptions {
  json?: string;
  xlsx?: string;
  csv?: string;
  encoding?: 'utf-8' | 'gb18030' | 'auto';
  sheet?: string;
  mapping?: string;
  quiet?: boolean;
  progress?: boolean;
}

export async function runSettle(scenarioPath: string, opts: SettleCliOptions): Promise<number> {
  const loaded = loadScenarioFile(scenarioPath);
  const run = await settleScenario(loaded.scenario, loaded.inputs, {
    encoding: opts.encoding,
    sheet: opts.sheet,
    mapping: opts.mapping ? (await import('../claims/index.js')).loadMapping(opts.mapping) : undefined,
    progress: opts.progress ?? true,
  });
  if (!opts.quiet) process.stdout.write(`${renderStatement(run.result)}\n`);
  if (opts.json) await writeTextAtomically(opts.json, resultToJsonText(run.result, ENGINE_VERSION));
  return 0;
}

