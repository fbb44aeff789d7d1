// `yibao validate FILES…`: check claims files with the settlement importer, print a summary and the first errors,
// and write the full error report (CSV, UTF-8 with BOM) when anything is wrong. Exit code 0 ok, 1 errors.
import { resolve } from 'node:path';
import { InputRejected } from '../domain/errors.js';
import type { InputError } from '../domain/types.js';
import { loadMapping, normalizeEncoding, openClaimFiles, writeErrorReport, type ColumnMapping } from '../claims/index.js';

export interface ValidateCliOptions {
  encoding?: string;
  sheet?: string;
  mapping?: string;
  report?: string;
  scenario?: string; // accepted for symmetry with settle; the claims checks do not need it
  progress?: boolean;
}

const SHOWN = 20;

function line(e: InputError): string {
  const where = [e.file, e.row !== undefined ? `第 ${e.row} 行 row ${e.row}` : undefined, e.column]
    .filter((x) => x !== undefined && x !== '')
    .join(' · ');
  return `  ${where}\n    ${e.zh}\n    ${e.en}`;
}

async function fail(errors: readonly InputError[], total: number, reportPath: string): Promise<number> {
  process.stderr.write(`发现 ${total} 个错误 / ${total} error(s) found:\n`);
  for (const e of errors.slice(0, SHOWN)) process.stderr.write(`${line(e)}\n`);
  if (total > SHOWN) process.stderr.write(`  … 另有 ${total - SHOWN} 个 / ${total - SHOWN} more\n`);
  if (total > errors.length) {
    process.stderr.write(`报告仅保留前 ${errors.length} 个 / the report keeps the first ${errors.length}\n`);
  }
  try {
    await writeErrorReport(errors, reportPath);
    process.stderr.write(`错误报告 Error report: ${reportPath}\n`);
  } catch (e) {
    process.stderr.write(`无法写入错误报告 cannot write the error report ${reportPath}: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  return 1;
}

export async function runValidate(files: string[], opts: ValidateCliOptions): Promise<number> {
  const reportPath = resolve(opts.report ?? 'validation-errors.csv');
  if (files.length === 0) {
    process.stderr.write('请指定结算明细文件 / give at least one claims file\n');
    return 1;
  }
  const encoding = normalizeEncoding(opts.encoding);
  if (encoding === undefined) {
    process.stderr.write(
      `不支持的编码 "${opts.encoding}"，应为 utf-8、gb18030 或 auto / unsupported encoding "${opts.encoding}"; use utf-8, gb18030 or auto\n`,
    );
    return 1;
  }
  let mapping: ColumnMapping | undefined;
  if (opts.mapping) {
    try {
      mapping = loadMapping(opts.mapping);
    } catch (e) {
      if (e instanceof InputRejected) return fail(e.errors, e.totalErrors, reportPath);
      throw e;
    }
  }
  const source = openClaimFiles(
    files.map((f) => ({ path: f, shown: f })),
    { encoding, sheet: opts.sheet, mapping, progress: opts.progress ?? true },
  );
  let valid = 0;
  let reversals = 0;
  const scan = await source.scan((claim) => {
    valid++;
    if (claim.reverses !== '') reversals++;
  });
  const summary =
    `已读取 ${scan.files.length}/${files.length} 个文件，${scan.rows} 行数据，有效 ${valid} 行（其中冲销 ${reversals} 行）\n` +
    `Read ${scan.files.length}/${files.length} file(s), ${scan.rows} data row(s), ${valid} valid (${reversals} reversal(s))\n`;
  process.stdout.write(summary);
  for (const n of scan.notices ?? []) process.stdout.write(`注意 Note: ${n.zh} / ${n.en}\n`);
  if (scan.errorCount > 0) return fail(scan.errors, scan.errorCount, reportPath);
  process.stdout.write('校验通过 / all rows are valid\n');
  return 0;
}
