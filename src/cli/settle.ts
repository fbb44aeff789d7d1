// `yibao settle SCENARIO`: print the statement, write the JSON contract, and the workbook / CSV tables when asked.
// The outputs are one set (io/outputs.ts): targets are checked and locked before anything is computed, every output
// is written to a temporary file, and all are renamed only when all are complete (the JSON last).
import { pricedClaimScanner } from '../app/claims.js';
import { settleScenario } from '../app/settle.js';
import { loadMapping, prestartReaderThread } from '../claims/index.js';
import { saveErrorReport } from './validate.js';
import { checkNotInputs, checkTargets, OutputSet, pauseAt, type OutputTarget } from '../io/outputs.js';
import { CSV } from '../report/workbook/names.js';
import { InputRejected } from '../domain/errors.js';
import { resultToJsonText } from '../report/json.js';
import { renderStatement } from '../report/statement.js';
import { loadScenarioWithOverrides } from '../scenario/load.js';
import { ENGINE_VERSION } from '../version.js';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface SettleCliOptions {
  json?: string;
  xlsx?: string;
  csv?: string;
  set?: string[];
  encoding?: string;
  sheet?: string;
  mapping?: string;
  quiet?: boolean;
  progress?: boolean;
  report?: string;
}

function targetsOf(opts: SettleCliOptions): OutputTarget[] {
  const t: OutputTarget[] = [];
  if (opts.xlsx) t.push({ path: opts.xlsx, kind: 'file', option: '--xlsx' });
  if (opts.csv) t.push({ path: opts.csv, kind: 'dir', option: '--csv' });
  if (opts.json) t.push({ path: opts.json, kind: 'file', option: '--json' });
  return t;
}

export async function runSettle(scenarioPath: string, opts: SettleCliOptions): Promise<number> {
  const targets = targetsOf(opts);
  const targetErrors = checkTargets(targets); // before the scenario is even read: a wrong --csv costs nothing
  if (targetErrors.length > 0) throw new InputRejected(targetErrors);
  const reportPath = resolve(opts.report ?? 'settle-errors.csv');
  prestartReaderThread(); // a big claims file is read on a second thread: it starts while the scenario is read
  const loaded = await reportingRejection(reportPath, async () => loadScenarioWithOverrides(scenarioPath, opts.set ?? []));
  // No output, the error report included, may overwrite a file the run reads.
  const sources = [...(loaded.sources ?? []), ...(opts.mapping ? [opts.mapping] : [])];
  const overwrites = checkNotInputs([...targets, { path: reportPath, kind: 'file', option: '--report' }], sources, () => Object.values(CSV));
  if (overwrites.length > 0) throw new InputRejected(overwrites);
  const set = targets.length > 0 ? OutputSet.open(targets) : undefined; // a lock held by another run: exit 1
  try {
    const run = await reportingRejection(reportPath, () =>
      settleScenario(loaded.scenario, loaded.inputs, {
        encoding: opts.encoding,
        sheet: opts.sheet,
        mapping: opts.mapping ? loadMapping(opts.mapping) : undefined,
        progress: opts.progress ?? true,
      }),
    );
    for (const n of run.notices ?? []) process.stderr.write(`注意 Note: ${n.zh} / ${n.en}\n`);
    if (!opts.quiet) process.stdout.write(`${renderStatement(run.result)}\n`);
    if (set) {
      const write = set.write.bind(set);
      const input = {
        result: run.result,
        scenarioObject: loaded.effective ?? {},
        engineVersion: ENGINE_VERSION,
        scanPricedClaims: run.source ? pricedClaimScanner(run.scenario, run.source, run.result.actuals) : undefined,
      };
      // The table writers (and exceljs) are loaded only when asked for: a third of a second of start-up.
      if (opts.xlsx) await (await import('../report/workbook/index.js')).writeWorkbook(opts.xlsx, input, { write });
      if (opts.csv) await (await import('../report/csv.js')).writeCsvTables(opts.csv, input, write);
      if (opts.json) await write(opts.json, (tmp) => writeFileSync(tmp, resultToJsonText(run.result, ENGINE_VERSION), 'utf8'));
      await pauseAt('staged');
      await set.commit();
    }
    return 0;
  } finally {
    set?.abort(); // after a commit: nothing left to remove
  }
}

/** Rejected inputs (scenario or claims) write every error to the report and say where; the terminal shows 50. */
async function reportingRejection<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof InputRejected) await saveErrorReport(e.errors, e.totalErrors, path);
    throw e;
  }
}
