// `yibao sweep BASE --vary KEY=FROM:TO:STEP [--vary …] [--set KEY=VALUE …] [--csv F] [--xlsx F] [--json F]`:
// the grid of results over every combination of the varied keys. Claims are read once.
import { readScenarioObject, loadedFromObject } from '../scenario/load.js';
import { ENGINE_VERSION } from '../version.js';
import { loadClaimsOnce } from '../whatif/claims.js';
import { csvText, renderSweep, sweepRows, writeSweepXlsx, writeText } from '../whatif/output.js';
import { type ImportCliOptions, importOptions, sourceOf } from '../whatif/sources.js';
import { keyKind, parseVary, runSweep } from '../whatif/sweep.js';

export interface SweepCliOptions extends ImportCliOptions {
  vary: string[];
  set?: string[];
  csv?: string;
  xlsx?: string;
  json?: string;
  quiet?: boolean;
}

export async function runSweepCommand(basePath: string, opts: SweepCliOptions): Promise<number> {
  if (!opts.vary || opts.vary.length === 0) {
    process.stderr.write('需要至少一个 --vary KEY=FROM:TO:STEP / at least one --vary KEY=FROM:TO:STEP is required\n');
    return 2;
  }
  const specs = opts.vary.map(parseVary);
  const base = readScenarioObject(basePath, opts.set ?? []);
  const loaded = loadedFromObject(base);
  const reprice = specs.some((s) => keyKind(s.path) === 'reprice');
  const claims = await loadClaimsOnce(loaded.scenario, sourceOf(loaded.scenario, await importOptions(opts)), reprice);
  const t0 = performance.now();
  const result = await runSweep(base, specs, claims, loaded.scenario, { json: opts.json !== undefined, engineVersion: ENGINE_VERSION });
  const ms = performance.now() - t0;
  if (!opts.quiet) process.stdout.write(`${renderSweep(result)}\n`);
  process.stderr.write(
    `${result.rows.length} 个变体，用时 ${ms.toFixed(0)} ms（${result.settleOnly ? '按汇总重算' : '按明细重新计价'}）/ ${result.rows.length} variants in ${ms.toFixed(0)} ms (${result.settleOnly ? 're-settled from the aggregates' : 're-priced from the in-memory claim table'})\n`,
  );
  if (opts.csv) await writeText(opts.csv, csvText(sweepRows(result)));
  if (opts.xlsx) await writeSweepXlsx(opts.xlsx, result);
  if (opts.json) {
    const items = result.rows.map((r) => r.json ?? { set: r.set, errors: r.errors });
    await writeText(opts.json, `${JSON.stringify(items, null, 2)}\n`);
  }
  return 0;
}
