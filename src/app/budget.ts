// One budget estimate from files: read the history file (YAML or JSON, every scalar as text) and, with `--claims
// YEAR=FILE`, sum each year's claims through the importer (every row check of `settle`), then estimate. Writes nothing.
import { readFileSync } from 'node:fs';
import { ClaimsYearSummer, type ClaimsYear } from '../budget/claims.js';
import { historyFromObject } from '../budget/build.js';
import { estimateBudget } from '../budget/estimate.js';
import type { BudgetEstimate, EstimateInputFile, History } from '../budget/types.js';
import { openClaimFiles, type ImportOptions } from '../claims/index.js';
import { InputRejected } from '../domain/errors.js';
import type { InputError } from '../domain/types.js';
import { parseScenarioText, sha256 } from '../scenario/load.js';

export interface ClaimsYearFiles {
  readonly year: number;
  readonly files: readonly string[];
}

export interface BudgetRun {
  readonly history: History;
  readonly estimate: BudgetEstimate;
  readonly inputs: readonly EstimateInputFile[];
  /** Contract types found in the claims that no standard names (shown as a note). */
  readonly unmatchedContractTypes: readonly string[];
}

/** `--claims` values "YEAR=FILE" grouped by year in the order given (a year may be named more than once). */
export function parseClaimsOptions(values: readonly string[]): ClaimsYearFiles[] {
  const errors: InputError[] = [];
  const byYear = new Map<number, string[]>();
  for (const v of values) {
    const m = /^\s*(\d{4})\s*=\s*(.+)$/.exec(v);
    if (!m) {
      errors.push({ path: '--claims', value: v, rule: 'claims.option', zh: `--claims 应写作 年份=文件，如 2023=claims-2023.csv`, en: '--claims must be YEAR=FILE, such as 2023=claims-2023.csv' });
      continue;
    }
    const year = Number(m[1]);
    const list = byYear.get(year) ?? [];
    list.push(m[2].trim());
    byYear.set(year, list);
  }
  if (errors.length > 0) throw new InputRejected(errors);
  return [...byYear].map(([year, files]) => ({ year, files }));
}

function readHistoryFile(file: string): { obj: unknown; input: EstimateInputFile } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputRejected([{ file, rule: 'file.unreadable', zh: `无法读取测算文件：${(e as Error).message}`, en: `cannot read the history file: ${(e as Error).message}` }]);
  }
  try {
    return { obj: parseScenarioText(bytes.toString('utf8'), file), input: { role: 'history', file, sha256: sha256(bytes) } };
  } catch (e) {
    if (!(e instanceof InputRejected)) throw e;
    // The scenario parser's syntax errors, named for what this file is.
    throw new InputRejected(e.errors.map((x) => ({ ...x, zh: x.zh.replace('场景文件', '测算文件'), en: x.en.replace('scenario', 'history file') })));
  }
}

/** Sums each year's claims (fund spend; cost, self-pay and persons per contract type). */
export async function sumClaimsYears(years: readonly ClaimsYearFiles[], options: ImportOptions = {}): Promise<{ years: ClaimsYear[]; inputs: EstimateInputFile[] }> {
  const errors: InputError[] = [];
  let errorCount = 0;
  const out: ClaimsYear[] = [];
  const inputs: EstimateInputFile[] = [];
  for (const y of years) {
    const summer = new ClaimsYearSummer(y.year, y.files.join(', '));
    const source = openClaimFiles(
      y.files.map((f) => ({ path: f, shown: f })),
      options,
    );
    const scan = await source.scan((claim, at) => summer.add(claim, at));
    // The importer's row errors and the year check, together in file and row order.
    const order = new Map(y.files.map((f, i) => [f, i]));
    const rank = (e: InputError) => order.get(e.file ?? '') ?? -1;
    errors.push(...[...scan.errors, ...summer.errors].sort((a, b) => rank(a) - rank(b) || (a.row ?? 0) - (b.row ?? 0)));
    errorCount += scan.errorCount + summer.errors.length;
    if (scan.errorCount === 0 && scan.rows === 0) {
      errors.push({ file: summer.file, rule: 'claims.empty', zh: `${y.year} 年的结算明细没有数据行`, en: `the ${y.year} claims have no data rows` });
      errorCount++;
    }
    out.push(summer.finish());
    inputs.push(...scan.files.map((f) => ({ role: 'claims' as const, year: y.year, file: f.file, sha256: f.sha256 })));
  }
  if (errorCount > 0) throw new InputRejected(errors, errorCount);
  return { years: out, inputs };
}

export async function runBudgetEstimate(historyFile: string, claims: readonly ClaimsYearFiles[] | undefined, options: ImportOptions = {}): Promise<BudgetRun> {
  const { obj, input } = readHistoryFile(historyFile);
  const summed = claims === undefined || claims.length === 0 ? undefined : await sumClaimsYears(claims, options);
  const history = historyFromObject(obj, historyFile, summed?.years);
  const named = new Set(history.standards.map((s) => s.name));
  const unmatched = new Set<string>();
  for (const y of summed?.years ?? []) for (const t of y.byType.keys()) if (!named.has(t)) unmatched.add(t);
  return { history, estimate: estimateBudget(history, historyFile), inputs: [input, ...(summed?.inputs ?? [])], unmatchedContractTypes: [...unmatched].sort() };
}
