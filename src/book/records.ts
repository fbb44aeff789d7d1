// The book's records in the §12.8 form (money as two-decimal strings): what transactions carry in their figures
// and what `book status --json` prints. One place, so the hash covers exactly what people read.
import { formatFen } from '../domain/money.js';
import { CARRY_FORWARD_FIGURES, type ClearingFigures, SETTLEMENT_FIGURES } from './clearing.js';
import type { MonthRecord } from './monthly.js';

const money = formatFen;

export function monthJson(r: MonthRecord) {
  return {
    month: r.month,
    closed: true,
    version: r.version,
    claimRows: r.claimRows,
    installment: money(r.installment),
    inGroupLiability: money(r.inGroupLiability),
    capitation: money(r.capitation),
    outOfGroupDeductions: money(r.outOfGroupDeductions),
    workload: money(r.workload),
    due: r.due === null ? null : money(r.due),
    room: money(r.room),
    paid: money(r.paid),
    withheld: money(r.withheld),
    dipPointValue: r.dipPointValue ?? null,
    members: r.members.map((m) => ({
      id: m.id,
      liability: money(m.liability),
      capitation: money(m.capitation),
      workload: money(m.workload),
      paid: money(m.paid),
    })),
  };
}

export function clearingFiguresJson(f: ClearingFigures, memberKeys: 'all' | 'difference' = 'all') {
  const settlement: Record<string, string> = {};
  for (const k of SETTLEMENT_FIGURES) settlement[k] = money(f.settlement[k]);
  const carryForward: Record<string, string> = {};
  for (const k of CARRY_FORWARD_FIGURES) carryForward[k] = money(f.carryForward[k]);
  return {
    settlement,
    carryForward,
    members: f.members.map((m) =>
      memberKeys === 'all'
        ? { id: m.id, total: money(m.total), paid: money(m.paid), clearing: money(m.clearing) }
        : { id: m.id, total: money(m.total), clearing: money(m.clearing) },
    ),
  };
}

export function supplementJson(index: number, batches: readonly string[], difference: ClearingFigures) {
  return { index, batches: [...batches], differences: clearingFiguresJson(difference, 'difference') };
}
