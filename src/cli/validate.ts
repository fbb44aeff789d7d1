// `yibao validate [FILES…] [--scenario FILE]`: check claims files with the settlement importer, print a summary and
// the first errors, and write the full error report (CSV, UTF-8 with BOM) when anything is wrong. With --scenario
// the checks are the settlement's own: the scenario's year, its member codes and its DRG/DIP tables (files default
// to the scenario's claims). Exit code 0 ok, 1 errors.
import { resolve } from 'node:path';
import { claimSourceFor } from '../app/settle.js';
import { ClaimAggregator } from '../domain/aggregate.js';
import { InputRejected } from '../domain/errors.js';
import type { InputError } from '../domain/types.js';
import { loadMapping, normalizeEncoding, openClaimFiles, prestartReaderThread, writeErrorReport, type ColumnMapping } from '../claims/index.js';
import type { ClaimSource } from '../claims/source.js';
import { loadScenarioFile } from '../scenario/load.js';
import { checkNotInputs } from '../io/outputs.js';

export interface ValidateCliOptions {
  encoding?: string;
  sheet?: string;
  mapping?: string;
  report?: string;
  scenario?: string;
  progress?: boolean;
}

const SHOWN = 20;

function line(e: InputError): string {
  const where = [e.file, e.row !== undefined ? `第 ${e.row} 行 row ${e.row}` : undefined, e.column, e.path]
    .filter((x) => x !== undefined && x !== '')
    .join(' · ');
  return `  ${where}\n    ${e.zh}\n    ${e.en}`;
}

/** Prints the first errors and writes them all to `reportPath`, saying where (also used by a rejected `settle`). */
export async function reportErrors(errors: readonly InputError[], total: number, reportPath: string): Promise<void> {
  process.stderr.write(`发现 ${total} 个错误 / ${total} error(s) found:\n`);
  for (const e of errors.slice(0, SHOWN)) process.stderr.write(`${line(e)}\n`);
  if (total > SHOWN) process.stderr.write(`  … 另有 ${total - SHOWN} 个 / ${total - SHOWN} more\n`);
  if (total > errors.length) {
    process.stderr.write(`报告仅保留前 ${errors.length} 个 / the report keeps the first ${errors.length}\n`);
  }
  await saveErrorReport(errors, total, reportPath);
}

/** Writes every kept error to the report (CSV, UTF-8 with BOM) and says where; a failure to write is said too. */
export async function saveErrorReport(errors: readonly InputError[], total: number, path: string): Promise<void> {
  try {
    await writeErrorReport(errors, path);
    process.stderr.write(`完整错误报告 Full error report (${total} 个错误 error(s)): ${path}\n`);
  } catch (e) {
    process.stderr.write(`无法写入错误报告 cannot write the error report ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

async function fail(errors: readonly InputError[], total: number, reportPath: string): Promise<number> {
  await reportErrors(errors, total, reportPath);
  return 1;
}

export async function runValidate(files: string[], opts: ValidateCliOptions): Promise<number> {
  const reportPath = resolve(opts.report ?? 'validation-errors.csv');
  if (files.length === 0 && !opts.scenario) {
    process.stderr.write('请指定结算明细文件或 --scenario / give at least one claims file, or --scenario\n');
    return 1;
  }
  prestartReaderThread();
  const encoding = normalizeEncoding(opts.encoding);
  if (encoding === undefined) {
    process.stderr.write(
      `不支持的编码 "${opts.encoding}"，应为 utf-8、gb18030 或 auto / unsupported encoding "${opts.encoding}"; use utf-8, gb18030 or auto\n`,
    );
    return 1;
  }
  let mapping: ColumnMapping | undefined;
  let source: ClaimSource;
  let aggregator: ClaimAggregator | undefined;
  // The error report must never overwrite a file this run reads (`--report claims.csv`): refused, and no report.
  const overwrites = (inputs: readonly string[]) => checkNotInputs([{ path: reportPath, kind: 'file', option: '--report' }], inputs);
  const readFirst = overwrites([...files, ...(opts.mapping ? [opts.mapping] : []), ...(opts.scenario ? [opts.scenario] : [])]);
  if (readFirst.length > 0) throw new InputRejected(readFirst);
  try {
    if (opts.mapping) mapping = loadMapping(opts.mapping);
    const options = { encoding, sheet: opts.sheet, mapping, progress: opts.progress ?? true };
    if (opts.scenario) {
      const loaded = loadScenarioFile(opts.scenario);
      const read = overwrites(loaded.sources ?? []);
      if (read.length > 0) throw new InputRejected(read);
      const scenario = loaded.scenario;
      const named = files.length > 0 ? { ...scenario, claims: files.map((f) => resolve(f)), claimsAsWritten: files } : scenario;
      source = claimSourceFor(named, options); // the scenario's year and member codes
      if (scenario.actuals === undefined) aggregator = new ClaimAggregator(scenario); // its DRG/DIP tables
    } else {
      source = openClaimFiles(files.map((f) => ({ path: f, shown: f })), options);
    }
  } catch (e) {
    if (e instanceof InputRejected && e.errors.some((x) => x.rule === 'output.isInput')) throw e; // (no report)
    if (e instanceof InputRejected) return fail(e.errors, e.totalErrors, reportPath);
    throw e;
  }
  let valid = 0;
  let reversals = 0;
  const scan = await source.scan((claim, at) => {
    valid++;
    if (claim.reverses !== '') reversals++;
    aggregator?.add(claim, at);
  });
  const summary =
    `已读取 ${scan.files.length} 个文件，${scan.rows.toLocaleString('en-US')} 行数据，有效 ${valid.toLocaleString('en-US')} 行（其中冲销 ${reversals.toLocaleString('en-US')} 行）\n` +
    `Read ${scan.files.length} file(s), ${scan.rows.toLocaleString('en-US')} data row(s), ${valid.toLocaleString('en-US')} valid (${reversals.toLocaleString('en-US')} reversal(s))\n`;
  process.stdout.write(summary);
  for (const n of scan.notices ?? []) process.stdout.write(`注意 Note: ${n.zh} / ${n.en}\n`);
  const problems = aggregator?.problems ?? [];
  const total = scan.errorCount + (aggregator?.problemCount ?? 0);
  if (total > 0) return fail([...scan.errors, ...problems], total, reportPath);
  process.stdout.write('校验通过 / all rows are valid\n');
  return 0;
}
