// `yibao risk BASE --runs N --seed S [--volume-cv V] [--cost-cv C] [--method-cv METHOD=V:C …] [--set …]
//  [--json F] [--svg F] [--png F] [--xlsx F]`: Monte Carlo of the year end under uncertain claim volume and cost
// per case, on the per-member aggregates. Deterministic for a seed.
import { InputRejected } from '../domain/errors.js';
import { loadScenarioWithOverrides } from '../scenario/load.js';
import { loadClaimsOnce } from '../whatif/claims.js';
import { histogramPng, histogramSvg } from '../whatif/histogram.js';
import { renderRisk, writeRiskXlsx, writeText } from '../whatif/output.js';
import { RISK_LINES, type RiskLine, riskToJson, simulateRisk } from '../whatif/risk.js';
import { type ImportCliOptions, importOptions, sourceOf } from '../whatif/sources.js';
import { writeAtomically } from '../io/atomic.js';
import { writeFileSync } from 'node:fs';

export interface RiskCliOptions extends ImportCliOptions {
  runs: string | number;
  seed: string | number;
  volumeCv?: string | number;
  costCv?: string | number;
  methodCv?: string[];
  set?: string[];
  json?: string;
  svg?: string;
  png?: string;
  xlsx?: string;
  quiet?: boolean;
}

function usage(zh: string, en: string): InputRejected {
  return new InputRejected([{ rule: 'risk.option', zh, en }]);
}

function num(v: string | number | undefined, name: string, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isSafeInteger(n))) throw usage(`${name} 应为${integer ? '非负整数' : '非负数'}：${v}`, `${name} must be ${integer ? 'a whole number' : 'a number'} ≥ 0: ${v}`);
  return n;
}

export function parseMethodCv(items: readonly string[] = []): Partial<Record<RiskLine, { volume?: number; cost?: number }>> {
  const out: Partial<Record<RiskLine, { volume?: number; cost?: number }>> = {};
  for (const item of items) {
    const m = /^([A-Za-z]+)=([^:]*)(?::(.*))?$/.exec(item.trim());
    if (!m || !RISK_LINES.includes(m[1] as RiskLine)) {
      throw usage(`--method-cv 应写作 METHOD=VOLUME_CV[:COST_CV]，METHOD 为 ${RISK_LINES.join('/')}：${item}`, `--method-cv must be METHOD=VOLUME_CV[:COST_CV] with METHOD one of ${RISK_LINES.join('/')}: ${item}`);
    }
    out[m[1] as RiskLine] = {
      volume: m[2] === '' ? undefined : num(m[2], `--method-cv ${m[1]}`, 0),
      cost: m[3] === undefined || m[3] === '' ? undefined : num(m[3], `--method-cv ${m[1]}`, 0),
    };
  }
  return out;
}

export async function runRisk(basePath: string, opts: RiskCliOptions): Promise<number> {
  const runs = num(opts.runs, '--runs', 1000, true);
  const seed = num(opts.seed, '--seed', 1, true);
  if (runs < 1) throw usage('--runs 至少为 1', '--runs must be at least 1');
  const loaded = loadScenarioWithOverrides(basePath, opts.set ?? []);
  const claims = await loadClaimsOnce(loaded.scenario, sourceOf(loaded.scenario, await importOptions(opts)), false);
  const t0 = performance.now();
  const result = simulateRisk(loaded.scenario, claims.actuals, {
    runs,
    seed,
    volumeCv: num(opts.volumeCv, '--volume-cv', 0.05),
    costCv: num(opts.costCv, '--cost-cv', 0.05),
    perLine: parseMethodCv(opts.methodCv),
  });
  const ms = performance.now() - t0;
  if (!opts.quiet) process.stdout.write(`${renderRisk(result)}\n`);
  process.stderr.write(`${runs} 次模拟用时 ${ms.toFixed(0)} ms / ${runs} runs in ${ms.toFixed(0)} ms\n`);
  if (opts.json) await writeText(opts.json, `${JSON.stringify(riskToJson(result), null, 2)}\n`);
  if (opts.svg) await writeText(opts.svg, histogramSvg(result));
  const png = opts.png || opts.xlsx ? histogramPng(result) : undefined;
  if (opts.png) await writeAtomically(opts.png, (tmp) => writeFileSync(tmp, png!));
  if (opts.xlsx) await writeRiskXlsx(opts.xlsx, result, png!);
  return 0;
}
