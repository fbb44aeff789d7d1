// Figures the pages derive from the book's state (pure): the waterfall B → T → Y of a clearing, the cumulative
// paid against the installments, the members × months table.
import type { ClearingFigures } from '../book/clearing.js';
import { type BookState, lastVersion } from '../book/state.js';
import { invariant } from '../domain/errors.js';
import { WATERFALL_LABELS } from './labels.js';

export interface WaterfallStep {
  readonly key: keyof typeof WATERFALL_LABELS;
  readonly amount: number; // fen: a total (kind 'total') or a change (kind 'step', signed)
  readonly kind: 'total' | 'step';
}

/** B − R − D − (X − S) + F − Qf = T; T − Σ paid = Y (§5, §12.4). Asserted. */
export function waterfall(state: BookState, f: ClearingFigures): WaterfallStep[] {
  const budget = lastVersion(state).budget;
  const s = f.settlement;
  const D = budget.package - s.available;
  const steps: WaterfallStep[] = [
    { key: 'budget', amount: budget.total, kind: 'total' },
    { key: 'riskReserve', amount: -budget.riskReserve, kind: 'step' },
    { key: 'outOfGroup', amount: -D, kind: 'step' },
    { key: 'returned', amount: -s.surplusReturnedToFund, kind: 'step' },
    { key: 'fundShare', amount: s.fundOverrunShare, kind: 'step' },
    { key: 'forfeited', amount: -s.depositForfeited, kind: 'step' },
    { key: 'groupTotal', amount: s.groupTotal, kind: 'total' },
    { key: 'paid', amount: -s.paid, kind: 'step' },
    { key: 'yearEnd', amount: s.yearEndPayment, kind: 'total' },
  ];
  const sum = (from: number, to: number) => steps.slice(from, to).reduce((a, x) => a + x.amount, 0);
  invariant(sum(0, 6) === s.groupTotal, 'web.waterfallT', () => `waterfall B … Qf adds to ${sum(0, 6)}, not T ${s.groupTotal}`);
  invariant(s.groupTotal - s.paid === s.yearEndPayment, 'web.waterfallY', () => `T − paid ≠ Y`);
  return steps;
}

export interface MemberMonths {
  readonly id: string;
  readonly paid: readonly (number | null)[]; // by month, null while open
  readonly total: number;
}

export function membersByMonth(state: BookState): MemberMonths[] {
  const ids = lastVersion(state).scenario.group.members.map((m) => m.id);
  return ids.map((id) => {
    const paid = Array.from({ length: 12 }, (_, i) => state.months[i]?.members.find((m) => m.id === id)?.paid ?? (state.months[i] ? 0 : null));
    return { id, paid, total: paid.reduce<number>((a, p) => a + (p ?? 0), 0) };
  });
}

/** Cumulative installments and cumulative paid by month (paid: closed months only). */
export function cumulative(state: BookState): Array<{ month: string; installments: number; paid: number | null; outOfGroup: number | null }> {
  let i = 0;
  let p = 0;
  return state.installments.map((inst, k) => {
    i += inst;
    const m = state.months[k];
    if (m) p += m.paid;
    return { month: `${state.year}-${String(k + 1).padStart(2, '0')}`, installments: i, paid: m ? p : null, outOfGroup: m ? m.outOfGroupDeductions : null };
  });
}
