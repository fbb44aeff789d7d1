// The 测算 workbook of `budget --xlsx FILE`: a summary, the total and one sheet per standard. Every step is a live
// formula over the cells above it (weights, spends, rates), with the exact result cached, so a reviewer who changes a
// weight in Excel sees the base, the total and the standard move. Written to a temporary file and renamed on success.
import ExcelJS from 'exceljs';
import type { BudgetEstimate, EstimateInputFile } from '../../budget/types.js';
import { writeAtomically } from '../../io/atomic.js';
import { type Cell, type Column, type Row, type SheetModel, addr, rowOf, sheetRef } from '../workbook/model.js';
import { renderSheet } from '../workbook/render.js';
import { L } from './labels.js';
import { type StepSheet, VALUE_COL, standardSheet, totalSheet } from './steps.js';

export const ESTIMATE_SHEET = { summary: '汇总 Summary', total: '总额 Total' } as const;

/** A worksheet name for the n-th standard (1-based): "n name", without []:*?/\ and at most 31 characters. */
export function standardSheetName(n: number, name: string): string {
  return `${n} ${name.replace(/[[\]:*?/\\']/g, '_')}`.slice(0, 31).trimEnd();
}

const COLUMNS: readonly Column[] = [
  { zh: L.key.zh, en: L.key.en, width: 8 },
  { zh: L.item.zh, en: `${L.item.en} (中文)` },
  { zh: `${L.item.zh}（英文）`, en: L.item.en, width: 28 },
  { zh: L.year.zh, en: L.year.en, width: 8 },
  { zh: L.value.zh, en: L.value.en, width: 20 },
  { zh: L.weight.zh, en: L.weight.en, width: 10 },
  { zh: L.weighted.zh, en: L.weighted.en, width: 20 },
  { zh: L.how.zh, en: L.how.en, width: 60 },
];

function stepsModel(name: string, year: number, s: StepSheet): SheetModel {
  const rows: Row[] = s.steps.map((st) => ({
    kind: st.kind,
    cells: [st.key, st.label.zh, st.label.en, st.year === undefined ? null : String(st.year), st.value, st.weight ?? null, st.weighted ?? null, st.how] as Cell[],
  }));
  return { name, csv: '', title: `${s.title.zh} ${s.title.en} — ${year} 年度测算 budget estimate`, columns: COLUMNS, rows, filterRows: 0 };
}

export interface EstimateSheets {
  readonly models: readonly SheetModel[];
  /** Sheet name → step sheet, for tests and the summary. */
  readonly steps: ReadonlyMap<string, StepSheet>;
}

export function estimateSheets(e: BudgetEstimate, inputs: readonly EstimateInputFile[], engineVersion: string): EstimateSheets {
  const named: Array<[string, StepSheet]> = [];
  if (e.total !== undefined) named.push([ESTIMATE_SHEET.total, totalSheet(e.total)]);
  e.standards.forEach((s, i) => named.push([standardSheetName(i + 1, s.input.name), standardSheet(s)]));
  const ref = (sheet: string, st: StepSheet, key: string): Cell | undefined => {
    const i = st.results[key];
    if (i === undefined) return undefined;
    const v = st.steps[i].value;
    if (v === null || typeof v !== 'object' || v.t !== 'money') return undefined;
    return { t: 'money', fen: v.fen, f: sheetRef(sheet, addr(VALUE_COL, rowOf(i))) };
  };
  const rows: Row[] = [];
  for (const [sheet, st] of named) {
    rows.push({ kind: 'section', cells: [sheet, st.title.zh, st.title.en] });
    if (sheet === ESTIMATE_SHEET.total) {
      rows.push({ cells: ['B', L.amount.zh, L.amount.en, null, ref(sheet, st, 'amount') ?? null] });
      const pc = ref(sheet, st, 'perCapita');
      if (pc !== undefined) rows.push({ cells: ['B/N', L.perCapita.zh, L.perCapita.en, null, pc] });
    } else {
      rows.push({ cells: ['M', L.m.zh, L.m.en, null, ref(sheet, st, 'm') ?? null] });
      rows.push({ cells: ['S', L.standard.zh, L.standard.en, null, ref(sheet, st, 'standard') ?? null] });
    }
  }
  rows.push({ kind: 'blank', cells: [] });
  rows.push({ kind: 'section', cells: ['', L.inputs.zh, L.inputs.en] });
  rows.push({ cells: ['engine', `yibao ${engineVersion}`, null, null, null, null, null, null] });
  for (const f of inputs) rows.push({ cells: [f.role, f.file, f.year === undefined ? null : String(f.year), null, null, null, null, f.sha256] });
  const summary: SheetModel = {
    name: ESTIMATE_SHEET.summary,
    csv: '',
    title: `${L.summary.zh} ${L.summary.en} — ${e.year} 年度总额与人头费测算 budget and per-capita standards`,
    columns: COLUMNS,
    rows,
    filterRows: 0,
  };
  return { models: [summary, ...named.map(([n, st]) => stepsModel(n, e.year, st))], steps: new Map(named) };
}

export async function writeEstimateWorkbook(path: string, e: BudgetEstimate, inputs: readonly EstimateInputFile[], engineVersion: string): Promise<void> {
  const { models } = estimateSheets(e, inputs, engineVersion);
  await writeAtomically(path, async (tmp) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    wb.creator = `yibao ${engineVersion}`;
    wb.lastModifiedBy = wb.creator;
    wb.created = new Date(Date.UTC(e.year, 0, 1)); // no clock
    wb.modified = wb.created;
    for (const m of models) renderSheet(wb, m);
    await wb.commit();
  });
}
