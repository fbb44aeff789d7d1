// How input errors read on a terminal: place first (file:row, column or key path), then 中文 and English.
import type { InputError } from '../domain/types.js';

export function formatInputError(e: InputError): string {
  const place = [e.file, e.row !== undefined ? `row ${e.row}` : undefined, e.column ? `column ${e.column}` : undefined, e.path ? `key ${e.path}` : undefined]
    .filter((x) => x !== undefined && x !== '')
    .join(', ');
  const value = e.value !== undefined && e.value !== '' ? `[${e.value}]` : '';
  const where = [place, value].filter((x) => x !== '').join(' ');
  return `${where === '' ? '' : `${where}: `}${e.zh} / ${e.en} (${e.rule})`;
}

/** The line above a rejected command's errors: what it did not do. */
export function rejectedHeading(command: string | undefined): string {
  switch (command) {
    case 'book':
    case 'users':
      return '输入有误，账簿未做任何更改 / Input rejected, the book is unchanged';
    case 'settle':
    case 'compare':
    case 'sweep':
    case 'risk':
    case 'monitor':
    case undefined:
      return '输入有误，未进行结算 / Input rejected, nothing was settled';
    default:
      return '输入有误，未写出任何结果 / Input rejected, nothing was written';
  }
}

export function formatInputErrors(errors: readonly InputError[], total: number, limit = 50, heading = rejectedHeading(undefined)): string {
  const lines = [`${heading}: ${total} error(s)`];
  for (const e of errors.slice(0, limit)) lines.push(`  - ${formatInputError(e)}`);
  if (total > Math.min(limit, errors.length)) lines.push(`  … 另有 ${total - Math.min(limit, errors.length)} 个错误 / ${total - Math.min(limit, errors.length)} more`);
  return lines.join('\n');
}
