// 参数 Parameters: the scenario as settled (every key path → value), the input files with their SHA-256, and the
// engine version, so an auditor can prove which inputs produced the workbook.
import type { SettlementResult } from '../../domain/result.js';
import { runId } from '../../io/outputs.js';
import type { Row, SheetModel } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';

/** Every leaf of a JSON-like value as [key path, text], in the object's own key order. */
export function flatten(value: unknown, path = ''): Array<[string, string]> {
  if (Array.isArray(value)) {
    if (value.length === 0) return [[path, '[]']];
    return value.flatMap((v, i) => flatten(v, `${path}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [[path, '{}']];
    return entries.flatMap(([k, v]) => flatten(v, path === '' ? k : `${path}.${k}`));
  }
  return [[path, value === null || value === undefined ? '' : String(value)]];
}

const ROLE: Record<string, string> = { scenario: '情景文件 scenario', claims: '结算明细 claims', table: '参数表 table' };

export function parametersSheet(r: SettlementResult, scenarioObject: unknown, engineVersion: string): SheetModel {
  const rows: Row[] = [];
  rows.push({ kind: 'section', cells: ['引擎与输入文件', 'Engine and input files'] });
  rows.push({ cells: ['engine', `yibao ${engineVersion}`, '引擎版本 engine version'] });
  rows.push({ cells: ['run', runId(r.inputs), '运行标识：输入文件 SHA-256 的摘要（结算单、JSON 与各表相同即为同一次运行）run id: digest of the inputs\' SHA-256'] });
  for (const f of r.inputs) rows.push({ cells: [`input.${f.role}（${ROLE[f.role] ?? f.role}）`, f.file, f.sha256] });
  if (r.inputs.length === 0) rows.push({ kind: 'note', cells: ['（无输入文件记录 no input files recorded）'] });
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: ['情景（结算所用）', 'Scenario as settled'] });
  for (const [k, v] of flatten(scenarioObject)) rows.push({ cells: [k, v, null] });
  return {
    name: SHEET.parameters,
    csv: CSV.parameters,
    title: sheetTitle(SHEET.parameters, r.scenario),
    columns: [
      { zh: '键路径', en: 'Key path' },
      { zh: '值', en: 'Value' },
      { zh: '说明 / SHA-256', en: 'Note / SHA-256', width: 68 },
    ],
    rows,
    filterRows: 0,
  };
}
