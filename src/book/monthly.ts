// 月度预结算 (DOMAIN.md §12.3): what the fund pays the group for one month, and how it is split across members.
// Pure: the month's claims arrive already priced (a §4 aggregate of the month's rows under the version in force).
import { allocateByIntegers, allocateEqually } from '../domain/allocate.js';
import { type Fen, mulFen, ONE } from '../domain/money.js';
import type { ActualsResult } from '../domain/result.js';
import type { Scenario } from '../domain/types.js';
import { invariant } from '../domain/errors.js';

export interface MemberMonth {
  readonly id: string;
  readonly liability: Fen; // Σ liabilities of its claims dated in the month
  readonly capitation: Fen; // part m of the 12-way split of its annual capitation
  readonly workload: Fen; // W_m(i)
  readonly paid: Fen; // its share of paid_m
}

/** One closed month (§12.8 `months[]`). */
export interface MonthRecord {
  readonly month: string; // YYYY-MM
  readonly version: number; // the policy version in force (1-based)
  readonly claimRows: number;
  readonly installment: Fen; // I_m
  readonly inGroupLiability: Fen; // L_m
  readonly capitation: Fen; // C_m
  readonly outOfGroupDeductions: Fen; // D_m
  readonly workload: Fen; // W_m
  readonly due: Fen | null; // claims mode: round(W_m × (1 − w)); installments mode: null
  readonly room: Fen; // K_m
  readonly paid: Fen;
  readonly withheld: Fen; // W_m − paid_m
  readonly dipPointValue?: string; // the provisional point value used (预结算点值), exact
  readonly members: readonly MemberMonth[];
}

export interface MonthInputs {
  readonly year: number;
  readonly month: number; // 1–12
  readonly version: number;
  readonly scenario: Scenario; // the version in force in the month
  readonly installments: readonly Fen[]; // I_1…I_12 after every amendment so far
  readonly previous: readonly MonthRecord[]; // months 1…m−1, closed
  readonly actuals: ActualsResult; // the month's claims, priced
}

/** Each member's part m of the 12-way equal split of its annual capitation (§12.3). */
function monthlyCapitation(annual: Fen, month: number): Fen {
  return allocateEqually(annual, 12)[month - 1];
}

export function monthlyPreSettlement(x: MonthInputs): MonthRecord {
  const { scenario, month } = x;
  const rule = scenario.monthly;
  invariant(x.previous.length === month - 1, 'book.monthOrder', () => `month ${month} closed after ${x.previous.length} months`);
  const members = x.actuals.members.map((m) => {
    const capitation = monthlyCapitation(m.capitation, month);
    return { id: m.id, liability: m.claimsLiability, capitation, workload: m.claimsLiability + capitation };
  });
  const L = members.reduce((a, m) => a + m.liability, 0);
  const C = members.reduce((a, m) => a + m.capitation, 0);
  const W = L + C;
  const D = x.actuals.outOfGroupDeductions;
  // K_m = Σ_{k≤m} (I_k − δ·D_k) − Σ_{k<m} paid_k (预算空间)
  let room = 0;
  for (let k = 0; k < month; k++) {
    const Dk = k === month - 1 ? D : x.previous[k].outOfGroupDeductions;
    room += x.installments[k] - (rule.deductOutOfGroup ? Dk : 0);
  }
  for (const p of x.previous) room -= p.paid;

  let due: Fen | null = null;
  let paid: Fen;
  if (rule.mode === 'installments') {
    paid = Math.max(0, room);
  } else {
    due = mulFen(W, ONE.minus(rule.withholdRate));
    paid = rule.capToBudget ? Math.max(0, Math.min(due, room)) : Math.max(0, due);
  }
  const shares = splitPaid(paid, members, scenario.group.lead);
  const out: MemberMonth[] = members.map((m, i) => ({ ...m, paid: shares[i] }));
  invariant(
    out.reduce((a, m) => a + m.paid, 0) === paid,
    'book.monthlySplit',
    () => `members' monthly shares do not add up to paid ${paid}`,
  );
  return {
    month: `${x.year}-${String(month).padStart(2, '0')}`,
    version: x.version,
    claimRows: x.actuals.claimRows,
    installment: x.installments[month - 1],
    inGroupLiability: L,
    capitation: C,
    outOfGroupDeductions: D,
    workload: W,
    due,
    room,
    paid,
    withheld: W - paid,
    dipPointValue: x.actuals.dip?.pointValue.toFixed(),
    members: out,
  };
}

/** paid_m split by workload (below zero counts as zero); all zero: all to the lead (§12.3). */
function splitPaid(paid: Fen, members: ReadonlyArray<{ id: string; workload: Fen }>, lead: string): Fen[] {
  const weights = members.map((m) => BigInt(m.workload > 0 ? m.workload : 0));
  if (weights.every((w) => w === 0n)) return members.map((m) => (m.id === lead ? paid : 0));
  return allocateByIntegers(paid, weights);
}
