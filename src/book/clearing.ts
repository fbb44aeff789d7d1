// 年终清算与补充清算 (DOMAIN.md §12.4–§12.5). The clearing is §3–§6 over every claim of the year with the last policy
// version, except that the year-end payment is Y = T − Σ_m paid_m and each member is paid its §6 total less what it
// received month by month. A supplement posts the difference between a clearing from scratch and what was posted.
// Pure: the settlement result comes from the engine (domain/engine.ts) on the claims of every batch.
import { invariant } from '../domain/errors.js';
import type { Fen } from '../domain/money.js';
import type { SettlementResult } from '../domain/result.js';
import type { MonthRecord } from './monthly.js';

/** The money figures of §8 `settlement` that a clearing posts (and a supplement differences), in this order. */
export const SETTLEMENT_FIGURES = [
  'available',
  'balance',
  'retainedSurplus',
  'surplusReturnedToFund',
  'fundOverrunShare',
  'groupOverrunLiability',
  'depositReturned',
  'depositForfeited',
  'groupTotal',
  'yearEndPayment',
  'fundRetained',
  'paid',
] as const;
export type SettlementFigure = (typeof SETTLEMENT_FIGURES)[number];

export const CARRY_FORWARD_FIGURES = ['opening', 'added', 'used', 'closing'] as const;
export type CarryForwardFigure = (typeof CARRY_FORWARD_FIGURES)[number];

export interface MemberClearing {
  readonly id: string;
  readonly total: Fen; // its §6 total
  readonly paid: Fen; // Σ_m its monthly shares
  readonly clearing: Fen; // total − paid
}

/** The figures a clearing posts, in fen: what supplements difference and what the postings are made of. */
export interface ClearingFigures {
  readonly settlement: Readonly<Record<SettlementFigure, Fen>>;
  readonly carryForward: Readonly<Record<CarryForwardFigure, Fen>>;
  readonly members: readonly MemberClearing[]; // every member, sorted by id
}

/** A clearing: its figures and the full engine result they came from. */
export interface Clearing {
  readonly figures: ClearingFigures;
  readonly result: SettlementResult; // §3–§6 of the year with the last version (its yearEndPayment is T − (P − Q))
}

/** Y = T − Σ paid_m; member clearing = total − Σ its monthly shares (§12.4). Asserts Σ clearing = Y + used − added. */
export function clearingOf(result: SettlementResult, months: readonly MonthRecord[]): Clearing {
  invariant(months.length === 12, 'book.clearingNeedsTwelveMonths', () => `${months.length} months closed`);
  const paid = months.reduce((a, m) => a + m.paid, 0);
  const s = result.settlement;
  const Y = s.groupTotal - paid;
  const paidBy = new Map<string, Fen>();
  for (const m of months) for (const mm of m.members) paidBy.set(mm.id, (paidBy.get(mm.id) ?? 0) + mm.paid);
  const members: MemberClearing[] = result.members.map((m) => {
    const p = paidBy.get(m.id) ?? 0;
    return { id: m.id, total: m.total, paid: p, clearing: m.total - p };
  });
  const cf = result.carryForward;
  const sumClearing = members.reduce((a, m) => a + m.clearing, 0);
  invariant(
    sumClearing === Y + cf.used - cf.added,
    'book.memberClearing',
    () => `Σ member clearing payments ${sumClearing} ≠ Y ${Y} + reserve used ${cf.used} − reserve added ${cf.added}`,
  );
  const settlement = {} as Record<SettlementFigure, Fen>;
  for (const k of SETTLEMENT_FIGURES) settlement[k] = k === 'yearEndPayment' ? Y : k === 'paid' ? paid : s[k];
  return {
    result,
    figures: {
      settlement,
      carryForward: { opening: cf.opening, added: cf.added, used: cf.used, closing: cf.closing },
      members,
    },
  };
}

/** new − old, figure by figure and member by member (zeros included). */
export function figuresDifference(next: ClearingFigures, prev: ClearingFigures): ClearingFigures {
  return combine(next, prev, -1);
}

/** a + b, figure by figure (a supplement's difference added to what was posted). */
export function figuresSum(a: ClearingFigures, b: ClearingFigures): ClearingFigures {
  return combine(a, b, 1);
}

function combine(a: ClearingFigures, b: ClearingFigures, sign: 1 | -1): ClearingFigures {
  const settlement = {} as Record<SettlementFigure, Fen>;
  for (const k of SETTLEMENT_FIGURES) settlement[k] = a.settlement[k] + sign * b.settlement[k];
  const carryForward = {} as Record<CarryForwardFigure, Fen>;
  for (const k of CARRY_FORWARD_FIGURES) carryForward[k] = a.carryForward[k] + sign * b.carryForward[k];
  const bById = new Map(b.members.map((m) => [m.id, m]));
  invariant(
    a.members.length === b.members.length && a.members.every((m) => bById.has(m.id)),
    'book.sameMembers',
    () => 'a supplement compares clearings with different members',
  );
  const members = a.members.map((m) => {
    const o = bById.get(m.id)!;
    return { id: m.id, total: m.total + sign * o.total, paid: m.paid + sign * o.paid, clearing: m.clearing + sign * o.clearing };
  });
  return { settlement, carryForward, members };
}

export function isZeroDifference(d: ClearingFigures): boolean {
  return (
    SETTLEMENT_FIGURES.every((k) => d.settlement[k] === 0) &&
    CARRY_FORWARD_FIGURES.every((k) => d.carryForward[k] === 0) &&
    d.members.every((m) => m.total === 0 && m.paid === 0 && m.clearing === 0)
  );
}
