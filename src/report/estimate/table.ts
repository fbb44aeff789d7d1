// The terminal table of a budget estimate: every input and step of each sheet (the total, each standard), 中文 and
// English, from the same rows the workbook writes.
import type { EstimateInputFile } from '../../budget/types.js';
import { table } from '../text.js';
import { L } from './labels.js';
import type { StepSheet } from './steps.js';

const HOW_MARK = '↳';
const both = (l: { zh: string; en: string }) => `${l.zh} ${l.en}`;

/** One sheet: a table of the figures, each step's computation on an indented line below its row (fits 120 columns). */
function sheetText(s: StepSheet): string {
  const header = [L.key, L.item, L.year, L.value, L.weight, L.weighted].map(both);
  const rows = s.steps.map((st) => [
    st.key,
    both(st.label),
    st.year === undefined ? '' : String(st.year),
    st.shown,
    st.weightShown ?? '',
    st.weightedShown ?? '',
  ]);
  // Columns empty in every row (no year block) are left out.
  const keep = header.map((_, c) => c < 2 || c === 3 || rows.some((r) => r[c] !== ''));
  const pick = (r: string[]) => r.filter((_, c) => keep[c]);
  const kept = keep.map((k, c) => (k ? c : -1)).filter((c) => c >= 0);
  const right = new Set(kept.map((c, i) => (c >= 2 ? i : -1)).filter((i) => i >= 0));
  const lines = table([pick(header), ...rows.map(pick)], right).split('\n');
  const out = [`== ${both(s.title)} ==`, lines[0], lines[1]];
  s.steps.forEach((st, i) => {
    out.push(lines[i + 2]);
    if (st.how !== '') out.push(`          ${HOW_MARK} ${st.how}`);
  });
  return out.join('\n');
}

export function renderEstimateTables(year: number, sheets: readonly StepSheet[], inputs: readonly EstimateInputFile[]): string {
  const head = `${year} 年度总额与人头费测算 Budget and per-capita standards for ${year}`;
  const files = inputs.map((f) => `  ${f.role}${f.year === undefined ? '' : ` ${f.year}`} ${f.file}  sha256 ${f.sha256.slice(0, 16)}…`);
  return [head, ...files, '', ...sheets.map(sheetText).flatMap((t) => [t, ''])].join('\n').trimEnd();
}
