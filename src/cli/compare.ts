// `yibao compare A.yaml B.yaml [C.yaml …] [--set KEY=VALUE …] [--xlsx F] [--csv F] [--json F]`: every statement
// figure and every member's total side by side, with absolute and percentage deltas against the first scenario.
import { basename } from 'node:path';
import { loadScenarioWithOverrides } from '../scenario/load.js';
import { compareResults, comparisonToJson, settleAll } from '../whatif/compare.js';
import { compareRows, csvText, renderComparison, writeCompareXlsx, writeText } from '../whatif/output.js';
import { type ImportCliOptions, importOptions, sourceOf } from '../whatif/sources.js';

export interface CompareCliOptions extends ImportCliOptions {
  set?: string[];
  xlsx?: string;
  csv?: string;
  json?: string;
  quiet?: boolean;
}

export async function runCompare(scenarioPaths: string[], opts: CompareCliOptions): Promise<number> {
  if (scenarioPaths.length < 2) {
    process.stderr.write('对比至少需要两个场景文件 / compare needs at least two scenario files\n');
    return 2;
  }
  const loaded = scenarioPaths.map((p) => loadScenarioWithOverrides(p, opts.set ?? []));
  const io = await importOptions(opts);
  const results = await settleAll(loaded, (l) => sourceOf(l.scenario, io)!);
  const labels = scenarioPaths.map((p) => basename(p));
  const comparison = compareResults(labels, results);
  if (!opts.quiet) process.stdout.write(`${renderComparison(comparison)}\n`);
  if (opts.xlsx) await writeCompareXlsx(opts.xlsx, comparison);
  if (opts.csv) await writeText(opts.csv, csvText(compareRows(comparison)));
  if (opts.json) await writeText(opts.json, `${JSON.stringify(comparisonToJson(comparison), null, 2)}\n`);
  return 0;
}
