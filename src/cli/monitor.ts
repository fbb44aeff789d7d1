// `yibao monitor SCENARIO --through YYYY-MM [--prior PRIOR.yaml] [--set …] [--json F] [--csv F] [--xlsx F]`:
// claims to date against prepayments to date, month by month, with the projected year end and an overrun flag.
import { loadScenarioWithOverrides } from '../scenario/load.js';
import { resultToJson } from '../report/json.js';
import { ENGINE_VERSION } from '../version.js';
import { loadClaimsOnce } from '../whatif/claims.js';
import { monitorClaims, type MonitorResult } from '../whatif/monitor.js';
import { csvText, monitorRows, renderMonitor, writeMonitorXlsx, writeText } from '../whatif/output.js';
import { type ImportCliOptions, importOptions, sourceOf } from '../whatif/sources.js';
import { InputRejected } from '../domain/errors.js';
import { formatFen } from '../domain/money.js';

export interface MonitorCliOptions extends ImportCliOptions {
  through: string;
  prior?: string;
  set?: string[];
  json?: string;
  csv?: string;
  xlsx?: string;
  quiet?: boolean;
}

export function monitorToJson(m: MonitorResult): unknown {
  return {
    through: m.through,
    months: m.months.map((x) => ({
      month: x.month,
      liabilityInMonth: formatFen(x.liabilityInMonth),
      deductionsInMonth: formatFen(x.deductionsInMonth),
      liabilityToDate: formatFen(x.liabilityToDate),
      deductionsToDate: formatFen(x.deductionsToDate),
      capitationToDate: formatFen(x.capitationToDate),
      prepaidToDate: formatFen(x.prepaidToDate),
      position: formatFen(x.position),
      projectedBalance: formatFen(x.projectedBalance),
      projectedGroupTotal: formatFen(x.projectedGroupTotal),
      projectedYearEndPayment: formatFen(x.projectedYearEndPayment),
      priorProjectedBalance: x.priorProjectedBalance === undefined ? undefined : formatFen(x.priorProjectedBalance),
      overrun: x.overrun,
    })),
    warnings: m.warnings,
    projection: resultToJson(m.projection, ENGINE_VERSION),
  };
}

export async function runMonitor(scenarioPath: string, opts: MonitorCliOptions): Promise<number> {
  const loaded = loadScenarioWithOverrides(scenarioPath, opts.set ?? []);
  const io = await importOptions(opts);
  const claims = await loadClaimsOnce(loaded.scenario, sourceOf(loaded.scenario, io), true);
  let prior;
  if (opts.prior) {
    const p = loadScenarioWithOverrides(opts.prior, []);
    const pc = await loadClaimsOnce(p.scenario, sourceOf(p.scenario, io), true);
    if (pc.table) prior = { scenario: p.scenario, table: pc.table };
  }
  if (claims.table === undefined) {
    throw new InputRejected([{ file: scenarioPath, path: 'actuals', rule: 'monitor.needsClaims', zh: '月度监测需要结算明细（claims），而非 actuals', en: 'monitoring needs claims, not aggregate actuals' }]);
  }
  const result = await monitorClaims(loaded.scenario, claims.table, [...loaded.inputs, ...claims.files], opts.through, prior);
  if (!opts.quiet) process.stdout.write(`${renderMonitor(result)}\n`);
  else for (const w of result.warnings) process.stderr.write(`⚠ ${w.zh}\n  ${w.en}\n`);
  if (opts.json) await writeText(opts.json, `${JSON.stringify(monitorToJson(result), null, 2)}\n`);
  if (opts.csv) await writeText(opts.csv, csvText(monitorRows(result)));
  if (opts.xlsx) await writeMonitorXlsx(opts.xlsx, result);
  return 0;
}
