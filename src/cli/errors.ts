// How input errors read on a terminal: place first (file:row, column or key path), then 中文 and English.
import type { InputError } from '../domain/types.js';

export function formatInputError(e: InputError): string {
  const place = [e.file, e.row !== undefined ? `row ${e.row}` : undefined, e.column ? `column ${e.column}` : undefined, e.path ? `key ${e.path}` : undefined]
    .filter((x) => x !== undefined && x !== '')
    .join(', ');
  const value = e.value !== undefined && e.value !== '' ? ` [${e.value}]` : '';
  return `${place}${value}: ${e.zh} / ${e.en} (${e.rule})`;
}

export function formatInputErrors(errors: readonly InputError[], total: number, limit = 50): string {
  const lines = [`输入有误，未进行结算 / Input rejected, nothing was settled: ${total} error(s)`];
  for (const e of errors.slice(0, limit)) lines.push(`  - ${formatInputError(e)}`);
  if (total > Math.min(limit, errors.length)) lines.push(`  … 另有 ${total - Math.min(limit, errors.length)} 个错误 / ${total - Math.min(limit, errors.length)} more`);
  return lines.join('\n');
}
