import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BookContext } from '../../src/app/book.js';
// A small book's policy, shared by the hand-computed tests and the on-disk tests.
// Three members; one fixed line of 1,200,000.00; R 5% = 60,000.00; P = 1,140,000.00; Q 2% = 22,800.00;
// P − Q = 1,117,200.00 in 12 equal installments of 93,100.00. Capitation: V01 120 enrollees × 10.00 = 1,200.00 a
// year, 100.00 a month. Monthly: claims mode, 10% withheld, out-of-group deducted, capped at the room.
// Surplus: everything retained up to a cap of 5% of P (57,000.00).
export const SMALL_YEAR = `
name: 小账簿
year: 2024
group:
  id: G1
  lead: H01
  members:
    - { id: H01, name: 县医院, tier: county }
    - { id: T01, name: 镇卫生院, tier: township }
    - { id: V01, name: 村卫生室, tier: village }
budget:
  lines: [ { category: resident, fund: basic, basis: fixed, amount: "1200000" } ]
  riskReserveRate: "0.05"
  qualityDepositRate: "0.02"
payments:
  capitation: { rate: "10", contracted: [ { institution: V01, enrollees: 120 } ] }
settlement:
  surplus: { bands: [ { share: "1" } ], cap: "0.05" }
monthly: { mode: claims, withholdRate: "0.1" }
`;


/** Writing small claims files for on-disk book tests. */
export const HEADER = 'claim_id,patient_id,category,institution_id,out_of_region,setting,service_date,los_days,drg_code,dip_code,total_cost,fund_paid,patient_paid,reverses';
export const row = (id: string, inst: string, date: string, fund: string, reverses = '') => `${id},P1,resident,${inst},false,outpatient,${date},0,,,${fund},${fund},0,${reverses}`;
export const claimsFile = (dir: string, name: string, rows: readonly string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, `${HEADER}\n${rows.join('\n')}\n`);
  return p;
};
/** The clock of every test command: one fixed instant (the clock is data). */
export const ctx: BookContext = { now: () => '2025-01-15T08:00:00.000Z', actor: 'test' };
