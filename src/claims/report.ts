// The error report: CSV, UTF-8 with BOM (so Excel shows the Chinese), one line per error, bilingual.
import { open, rename, unlink, writeFile } from 'node:fs/promises';
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

/** The first `n` bytes of a file, or undefined when there is none (or it cannot be read: the rename will say). */
async function firstBytes(path: string, n: number): Promise<Buffer | undefined> {
  try {
    const fh = await open(path, 'r');
    try {
      const b = Buffer.alloc(n);
      const { bytesRead } = await fh.read(b, 0, n, 0);
      return b.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Writes the report to `path` via a temporary file and a rename, so a reader never sees half a report. It replaces
 * only an earlier error report: a file there that does not start as one (a claims export named by mistake) is left
 * alone, and the write fails saying so.
 */
export async function writeErrorReport(errors: readonly InputError[], path: string): Promise<void> {
  const head = await firstBytes(path, 64);
  const ours = Buffer.from(errorReportText([]).slice(0, 12), 'utf8');
  if (head !== undefined && head.length > 0 && !head.subarray(0, ours.length).equals(ours)) {
    throw new Error(`${path} 已存在且不是错误报告，未覆盖 / exists and is not an error report: not overwritten`);
  }
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, errorReportText(errors), 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
