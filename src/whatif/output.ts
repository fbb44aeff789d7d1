// Outputs of the what-if tools: terminal tables, CSV (UTF-8 with BOM, for Excel), XLSX (bilingual headers, money
// as numbers formatted '#,##0.00', frozen header) and JSON. Money reaches files as fen → yuan exactly.
import ExcelJS from 'exceljs';
import { writeAtomically, writeTextAtomically } from '../io/atomic.js';
import { formatFen, formatFenGrouped, parseYuanToFen } from '../domain/money.js';
import { table } from '../report/text.js';
import { type Comparison, formatPct, relativeDelta } from './compare.js';
import { FIGURES, KEY_FIGURES, figureLabel } from './figures.js';
import type { MonitorResult } from './monitor.js';
import type { RiskResult } from './risk.js';
import type { SweepResult } from './sweep.js';

const MONEY = '#,##0.00';
/** Fen as a yuan number for a spreadsheet cell (exact for every amount below 2^53 fen). */
const yuanNumber = (fen: number) => Number(formatFen(fen));

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────────────────────────
const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
export const csvText = (rows: readonly (readonly string[])[]) => `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

// ── Sweep ───────────────────────────────────────────────────────────────────────────────────────────────────────
export function sweepRows(s: SweepResult): string[][] {
  const header = ['#', ...s.keys, ...FIGURES.map(figureLabel), ...s.members.map((id) => `${id} 合计 total`), '错误 errors'];
  const rows = s.rows.map((r) => [
    String(r.index + 1),
    ...s.keys.map((k) => r.set[k]),
    ...(r.figures ? r.figures.map(formatFen) : FIGURES.map(() => '')),
    ...(r.memberTotals ? r.memberTotals.map(formatFen) : s.members.map(() => '')),
    r.errors ? r.errors.map((e) => `${e.path ?? ''}: ${e.zh} / ${e.en}`).join('; ') : '',
  ]);
  return [header, ...rows];
}

export function renderSweep(s: SweepResult, limit = 30): string {
  const idx = KEY_FIGURES.map((k) => FIGURES.findIndex((f) => f.key === k));
  const header = ['#', ...s.keys, ...idx.map((i) => `${FIGURES[i].symbol || FIGURES[i].en} ${FIGURES[i].zh}`)];
  const shown = s.rows.slice(0, limit).map((r) => [
    String(r.index + 1),
    ...s.keys.map((k) => r.set[k]),
    ...idx.map((i) => (r.figures ? formatFenGrouped(r.figures[i]) : '—')),
  ]);
  const right = new Set(idx.map((_, j) => 1 + s.keys.length + j));
  const lines = [table([header, ...shown], right)];
  if (s.rows.length > limit) lines.push(`… 共 ${s.rows.length} 个变体，完整结果见 --csv/--xlsx/--json / ${s.rows.length} variants in all; see --csv/--xlsx/--json for the full grid`);
  if (s.rejected > 0) lines.push(`${s.rejected} 个变体无效（见错误列）/ ${s.rejected} variant(s) rejected (see the errors column)`);
  return lines.join('\n');
}

// ── Compare ─────────────────────────────────────────────────────────────────────────────────────────────────────
export function compareRows(c: Comparison): string[][] {
  const header = ['项目 Item', ...c.labels.flatMap((l, i) => (i === 0 ? [l] : [l, `Δ ${l}`, `Δ% ${l}`]))];
  const rows = c.rows.map((r) => [
    r.label,
    ...r.values.flatMap((v, i) => {
      const shown = v === undefined ? '' : formatFen(v);
      if (i === 0) return [shown];
      const base = r.values[0];
      return [shown, v === undefined || base === undefined ? '' : formatFen(v - base), formatPct(relativeDelta(v, base))];
    }),
  ]);
  return [header, ...rows];
}

export function renderComparison(c: Comparison): string {
  const rows = compareRows(c).map((r, i) => (i === 0 ? r : r.map((cell, j) => (j > 0 && /^-?\d+\.\d\d$/.test(cell) ? formatFenGrouped(Math.round(Number(cell) * 100)) : cell))));
  const right = new Set(rows[0].map((_, j) => j).filter((j) => j > 0));
  return table(rows, right);
}

// ── Monitor ─────────────────────────────────────────────────────────────────────────────────────────────────────
export function monitorRows(m: MonitorResult): string[][] {
  const prior = m.months.some((x) => x.priorProjectedBalance !== undefined);
  const header = [
    '月份 Month',
    '当月统筹支付 L in month',
    '当月外部扣减 D in month',
    '累计统筹支付 L to date',
    '累计外部扣减 D to date',
    '累计按人头 C to date',
    '累计预拨 Prepaid to date',
    '头寸 Position',
    '推算结余 Projected X (run-rate)',
    ...(prior ? ['推算结余 Projected X (prior year)'] : []),
    '推算年终拨付 Projected Y',
    '预警 Flag',
  ];
  const rows = m.months.map((x) => [
    x.month,
    formatFen(x.liabilityInMonth),
    formatFen(x.deductionsInMonth),
    formatFen(x.liabilityToDate),
    formatFen(x.deductionsToDate),
    formatFen(x.capitationToDate),
    formatFen(x.prepaidToDate),
    formatFen(x.position),
    formatFen(x.projectedBalance),
    ...(prior ? [x.priorProjectedBalance === undefined ? '' : formatFen(x.priorProjectedBalance)] : []),
    formatFen(x.projectedYearEndPayment),
    x.overrun ? '超支预警 OVERRUN' : '',
  ]);
  return [header, ...rows];
}

export function renderMonitor(m: MonitorResult): string {
  const rows = monitorRows(m).map((r, i) => (i === 0 ? r : r.map((cell) => (/^-?\d+\.\d\d$/.test(cell) ? formatFenGrouped(Math.round(Number(cell) * 100)) : cell))));
  const right = new Set(rows[0].map((_, j) => j).filter((j) => j > 0 && j < rows[0].length - 1));
  return [table(rows, right), ...m.warnings.map((w) => `\n⚠ ${w.zh}\n  ${w.en}`)].join('\n');
}

// ── Risk ────────────────────────────────────────────────────────────────────────────────────────────────────────
export function riskRows(r: RiskResult): string[][] {
  const header = ['项目 Item', '均值 Mean', 'P5', 'P50', 'P95', '最小 Min', '最大 Max'];
  const row = (label: string, p: RiskResult['balance']) => [label, ...[p.mean, p.p5, p.p50, p.p95, p.min, p.max].map(formatFen)];
  return [
    header,
    row('X 结余（超支）额 Balance', r.balance),
    row('T 医共体应得总额 Group total', r.groupTotal),
    row('Y 年终清算拨付 Year-end payment', r.yearEndPayment),
    row('F 医保基金分担 Fund overrun share', r.fundOverrunShare),
    ...r.members.map((m) => row(`${m.id} ${m.name} 合计 total`, m.total)),
  ];
}

export function renderRisk(r: RiskResult): string {
  const rows = riskRows(r).map((x, i) => (i === 0 ? x : x.map((c, j) => (j > 0 ? formatFenGrouped(Math.round(Number(c) * 100)) : c))));
  return [
    `${r.runs} 次模拟 runs · 种子 seed ${r.seed}`,
    `P(超支 overrun) = ${(r.pOverrun * 100).toFixed(2)}%   P(基金分担超过风险金 fund share exceeds the reserve) = ${(r.pReserveExceeded * 100).toFixed(2)}%`,
    `确定性结果 deterministic: X ${formatFenGrouped(r.deterministic.balance)} · T ${formatFenGrouped(r.deterministic.groupTotal)} · Y ${formatFenGrouped(r.deterministic.yearEndPayment)}`,
    '',
    table(rows, new Set([1, 2, 3, 4, 5, 6])),
  ].join('\n');
}

// ── XLSX ────────────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * A sheet from text rows: from column `moneyFrom` on, cells that are two-decimal money become numbers in '#,##0.00'
 * and whole numbers become numbers in '#,##0' (so an auditor can add them up); frozen bold header with a filter.
 */
function addSheet(wb: ExcelJS.Workbook, name: string, rows: readonly (readonly string[])[], moneyFrom = 1): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  rows.forEach((r, i) => {
    const formats: Array<string | undefined> = [];
    const values = r.map((c, j): string | number => {
      if (i === 0 || j < moneyFrom) return c;
      const fen = /^-?\d+\.\d\d$/.test(c) ? parseYuanToFen(c) : undefined;
      if (fen !== undefined) {
        formats[j] = MONEY;
        return yuanNumber(fen);
      }
      if (/^-?\d{1,15}$/.test(c)) {
        formats[j] = '#,##0';
        return Number(c);
      }
      return c;
    });
    const row = ws.addRow(values);
    if (i === 0) row.font = { bold: true };
    formats.forEach((f, j) => {
      if (f !== undefined) row.getCell(j + 1).numFmt = f;
    });
  });
  ws.columns.forEach((col, j) => {
    col.width = Math.min(40, Math.max(10, ...rows.map((r) => (r[j] ?? '').length + 2)));
  });
  if (rows.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: rows[0].length } };
  return ws;
}

export async function writeXlsx(path: string, build: (wb: ExcelJS.Workbook) => void): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'yibao';
  build(wb);
  await writeAtomically(path, (tmp) => wb.xlsx.writeFile(tmp));
}

export const writeSweepXlsx = (path: string, s: SweepResult) => writeXlsx(path, (wb) => addSheet(wb, '参数扫描 Sweep', sweepRows(s), 1 + s.keys.length));
export const writeCompareXlsx = (path: string, c: Comparison) => writeXlsx(path, (wb) => addSheet(wb, '方案对比 Compare', compareRows(c)));
export const writeMonitorXlsx = (path: string, m: MonitorResult) => writeXlsx(path, (wb) => addSheet(wb, '月度监测 Monitor', monitorRows(m)));

export function writeRiskXlsx(path: string, r: RiskResult, png: Buffer): Promise<void> {
  return writeXlsx(path, (wb) => {
    addSheet(wb, '风险模拟 Risk', [
      ['项目 Item', '值 Value'],
      ['模拟次数 Runs', String(r.runs)],
      ['种子 Seed', String(r.seed)],
      ['P(超支) P(overrun)', `${(r.pOverrun * 100).toFixed(2)}%`],
      ['P(基金分担超过风险金) P(fund share > reserve)', `${(r.pReserveExceeded * 100).toFixed(2)}%`],
      ['确定性结余 Deterministic X', formatFen(r.deterministic.balance)],
      ['打包资金 Package P', formatFen(r.package)],
      ['风险金 Risk reserve R', formatFen(r.riskReserve)],
    ]);
    addSheet(wb, '分位数 Percentiles', riskRows(r));
    const hs = addSheet(
      wb,
      '分布 Histogram',
      [
        ['下限 From', '上限 To', '次数 Runs'],
        ...r.histogram.map((b) => [formatFen(b.from), formatFen(b.to), String(b.count)]),
      ],
      0,
    );
    const id = wb.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: 'png' });
    hs.addImage(id, { tl: { col: 4, row: 1 }, ext: { width: 800, height: 420 } }); // the 1600×840 PNG shown at half size (sharp on high-DPI screens)
  });
}

export const writeText = writeTextAtomically;
