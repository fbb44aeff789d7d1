// DRG weight and DIP group tables given as CSV files (UTF-8, header row). Columns, canonical or Chinese:
//   DRG: code (DRG分组编码), weight (相对权重)
//   DIP: code (病种编码), score (分值), avgCost (次均费用, optional)
import { createHash } from 'node:crypto';
import { InputRejected } from '../domain/errors.js';
import { readInputText } from '../io/input.js';
import Papa from 'papaparse';
import { normalizeCode } from '../domain/codes.js';
import { type Dec, dec, isDecimalText } from '../domain/money.js';
import type { DipGroup, InputError } from '../domain/types.js';

interface TableResult<V> {
  table: Map<string, V>;
  errors: InputError[];
  sha256?: string;
}

const ALIASES: Record<string, string> = {
  code: 'code', 'drg分组编码': 'code', '病种编码': 'code', 'dip病种编码': 'code', drg_code: 'code', dip_code: 'code',
  weight: 'weight', '相对权重': 'weight', rw: 'weight',
  score: 'score', '分值': 'score', '病种分值': 'score',
  avgcost: 'avgCost', avg_cost: 'avgCost', '次均费用': 'avgCost',
};

function readTable(path: string, shown: string, needed: string[], optional: string[]) {
  const errors: InputError[] = [];
  let text: string;
  let sha: string | undefined;
  try {
    const input = readInputText(path, shown, 'table'); // regular file, size limit, UTF-8 or GB18030
    sha = createHash('sha256').update(input.bytes).digest('hex');
    text = input.text;
  } catch (e) {
    if (!(e instanceof InputRejected)) throw e;
    errors.push(...e.errors);
    return { rows: [] as Record<string, string>[], errors, sha };
  }
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  const [header = [], ...body] = parsed.data;
  const index: Record<string, number> = {};
  header.forEach((h, i) => {
    const key = ALIASES[h.trim().toLowerCase()] ?? ALIASES[h.trim()];
    if (key && index[key] === undefined) index[key] = i;
  });
  for (const col of needed) {
    if (index[col] === undefined) {
      errors.push({ file: shown, row: 1, column: col, rule: 'table.missingColumn', zh: `缺少列 ${col}`, en: `column ${col} is missing` });
    }
  }
  if (errors.length > 0) return { rows: [], errors, sha };
  const rows = body.map((cells) => {
    const row: Record<string, string> = {};
    for (const col of [...needed, ...optional]) if (index[col] !== undefined) row[col] = (cells[index[col]] ?? '').trim();
    if (row.code !== undefined) row.code = normalizeCode(row.code); // compared with the claims' codes, normalised alike
    return row;
  });
  return { rows, errors, sha };
}

/** Weights, scores and average costs stay far inside exact fen arithmetic once multiplied by a base rate. */
const TABLE_MAX = 1_000_000;

function number(row: Record<string, string>, col: string, at: { file: string; row: number }, errors: InputError[]): Dec | undefined {
  const v = row[col];
  if (!isDecimalText(v) || dec(v).isNegative()) {
    errors.push({ ...at, column: col, value: v, rule: 'table.number', zh: `${col} 应为非负数`, en: `${col} must be a number ≥ 0` });
    return undefined;
  }
  if (dec(v).greaterThan(TABLE_MAX)) {
    errors.push({ ...at, column: col, value: v, rule: 'table.range', zh: `${col} 超出允许范围（不超过 1,000,000）`, en: `${col} is out of range (at most 1,000,000)` });
    return undefined;
  }
  return dec(v);
}

function addUnique<V>(table: Map<string, V>, code: string, value: V, at: { file: string; row: number }, errors: InputError[]) {
  if (code === '') {
    errors.push({ ...at, column: 'code', rule: 'table.emptyCode', zh: '编码为空', en: 'the code is empty' });
  } else if (table.has(code)) {
    errors.push({ ...at, column: 'code', value: code, rule: 'table.duplicateCode', zh: `编码 ${code} 重复`, en: `code ${code} appears twice` });
  } else {
    table.set(code, value);
  }
}

export function readDrgWeightsFile(path: string, shown: string): TableResult<Dec> {
  const { rows, errors, sha } = readTable(path, shown, ['code', 'weight'], []);
  const table = new Map<string, Dec>();
  rows.forEach((r, i) => {
    const at = { file: shown, row: i + 2 };
    const w = number(r, 'weight', at, errors);
    if (w) addUnique(table, r.code, w, at, errors);
  });
  return { table: new Map([...table].sort((a, b) => (a[0] < b[0] ? -1 : 1))), errors, sha256: sha };
}

export function readDipGroupsFile(path: string, shown: string): TableResult<DipGroup> {
  const { rows, errors, sha } = readTable(path, shown, ['code', 'score'], ['avgCost']);
  const table = new Map<string, DipGroup>();
  rows.forEach((r, i) => {
    const at = { file: shown, row: i + 2 };
    const score = number(r, 'score', at, errors);
    const avgCost = r.avgCost === undefined || r.avgCost === '' ? undefined : number(r, 'avgCost', at, errors);
    if (score) addUnique(table, r.code, { score, avgCost }, at, errors);
  });
  return { table: new Map([...table].sort((a, b) => (a[0] < b[0] ? -1 : 1))), errors, sha256: sha };
}
