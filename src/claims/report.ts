// The error report: CSV, UTF-8 with BOM (so Excel shows the Chinese), one line per error, bilingual.
import { rename, unlink, writeFile } from 'node:fs/promises';
import type { InputError } from '../domain/types.js';

export const REPORT_HEADER = ['文件 File', '行 Row', '列 Column', '值 Value', '规则 Rule', '说明 Message (中文)', 'Message (English)'];

function csvCell(v: string): string {
  if (/^[=+@]/.test(v)) v = `'${v}`; // never let a cell of the input become a formula in Excel
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The report's text (with BOM, CRLF line ends as Excel writes them). */
export function errorReportText(errors: readonly InputError[]): string {
  const lines = [REPORT_HEADER.map(csvCell).join(',')];
  for (const e of errors) {
    lines.push(
      [e.file ?? '', e.row === undefined ? '' : String(e.row), e.column ?? e.path ?? '', e.value ?? '', e.rule, e.zh, e.en]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Writes the report to `path` via a temporary file and a rename, so a reader never sees half a report. */
export async function writeErrorReport(errors: readonly InputError[], path: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, errorReportText(errors), 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
