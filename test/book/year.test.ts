// DOMAIN.md §12 figure by figure on a small year computed by hand (the arithmetic is in the comments).
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../src/domain/money.js';
import { amendInstallments, prepaymentsByMonth } from '../../src/book/installments.js';
import { accountBalances } from '../../src/book/postings.js';
import { claim } from '../helpers/scenario.js';
import { MemoryBook } from './driver.js';
import { SMALL_YEAR } from './fixtures.js';

const y = (yuan: number) => Math.round(yuan * 100); // test amounts are whole yuan: exact
const f = (fen: number | null) => (fen === null ? null : formatFen(fen));

describe('a small book, by hand (§12.2–§12.5)', () => {
  it('pre-settles each month, clears, locks and supplements to the fen', async () => {
    const book = new MemoryBook(SMALL_YEAR);
    expect(book.state.installments.map(formatFen)).toEqual(Array(12).fill('93100.00'));
    // January: H01 50,000, T01 20,000 in group; X01 10,000 out of group.
    book.import([
      claim({ institutionId: 'H01', fundPaid: y(50_000), serviceDate: '2024-01-10' }),
      claim({ institutionId: 'T01', fundPaid: y(20_000), serviceDate: '2024-01-11' }),
      claim({ institutionId: 'X01', fundPaid: y(10_000), serviceDate: '2024-01-12' }),
    ]);
    await book.close();
    const jan = book.state.months[0];
    // W1 = 70,000 + 100 = 70,100; due = 70,100 × 0.9 = 63,090; K1 = 93,100 − 10,000 = 83,100; paid = 63,090.
    expect([jan.workload, jan.due, jan.room, jan.paid, jan.withheld].map(f)).toEqual(['70100.00', '63090.00', '83100.00', '63090.00', '7010.00']);
    // Split by workload 50,000 : 20,000 : 100 → 45,000 / 18,000 / 90 (exactly 0.9 of each).
    expect(jan.members.map((m) => formatFen(m.paid))).toEqual(['45000.00', '18000.00', '90.00']);
    // February: H01 100,000; X01 5,000. W2 = 100,100; due 90,090; K2 = 83,100 + 88,100 − 63,090 = 108,110.
    book.import([
      claim({ institutionId: 'H01', fundPaid: y(100_000), serviceDate: '2024-02-03' }),
      claim({ institutionId: 'X01', fundPaid: y(5_000), serviceDate: '2024-02-04' }),
    ]);
    await book.close();
    const feb = book.state.months[1];
    expect([feb.workload, feb.due, feb.room, feb.paid].map(f)).toEqual(['100100.00', '90090.00', '108110.00', '90090.00']);
    // March to December: capitation only, W = 100, due = paid = 90 (all to V01).
    await book.closeAll();
    expect(book.state.months.slice(2).map((m) => formatFen(m.paid))).toEqual(Array(10).fill('90.00'));
    // Σ paid = 63,090 + 90,090 + 10 × 90 = 154,080.
    await book.clear();
    await book.lock();
    const locked = book.state.locked!.figures;
    // D 15,000; A 1,125,000; L 170,000; C 1,200; X = 953,800 → S = cap 57,000; T = 171,200 + 57,000 = 228,200;
    // Y = 228,200 − 154,080 = 74,120.
    expect(formatFen(locked.settlement.paid)).toBe('154080.00');
    expect(formatFen(locked.settlement.groupTotal)).toBe('228200.00');
    expect(formatFen(locked.settlement.yearEndPayment)).toBe('74120.00');
    expect(formatFen(locked.settlement.fundRetained)).toBe('956800.00'); // R 60,000 + (X − S) 896,800
    // Members: H01 150,000 + Δ 57,000 = 207,000, paid 135,000 → 72,000; T01 20,000 − 18,000 = 2,000;
    // V01 1,200 − 12 × 90 = 120. Σ = 74,120 = Y.
    expect(locked.members.map((m) => [m.id, formatFen(m.total), formatFen(m.paid), formatFen(m.clearing)])).toEqual([
      ['H01', '207000.00', '135000.00', '72000.00'],
      ['T01', '20000.00', '18000.00', '2000.00'],
      ['V01', '1200.00', '1080.00', '120.00'],
    ]);
    // After the lock: a late claim of February at T01 (5,000) and the reversal of January's H01 claim (−50,000).
    const janH01 = book.claims.rows[0].claim;
    book.import([
      claim({ institutionId: 'T01', fundPaid: y(5_000), serviceDate: '2024-02-20' }),
      { ...janH01, claimId: 'R1', reverses: janH01.claimId, totalCost: -janH01.totalCost, fundPaid: -janH01.fundPaid, patientPaid: -janH01.patientPaid },
    ]);
    expect(book.state.batches[2].late).toBe(2);
    await book.supplement();
    const d = book.state.supplements[0].difference;
    // New L = 125,000; X = 998,800; S still 57,000; T = 183,200; Y = 29,120: ΔY = −45,000; ΔT = −45,000.
    expect(formatFen(d.settlement.yearEndPayment)).toBe('-45000.00');
    expect(formatFen(d.settlement.groupTotal)).toBe('-45000.00');
    expect(formatFen(d.settlement.paid)).toBe('0.00');
    expect(d.members.map((m) => [m.id, formatFen(m.total), formatFen(m.clearing)])).toEqual([
      ['H01', '-50000.00', '-50000.00'],
      ['T01', '5000.00', '5000.00'],
      ['V01', '0.00', '0.00'],
    ]);
    // The journal: every transaction balances; at the end the package, the deposit and the reserve are empty, the
    // fund kept R + (X − S), and each member received its total.
    const b = accountBalances(book.journal);
    expect(b.get('package')).toBe(0);
    expect(b.get('qualityDeposit')).toBe(0);
    expect(b.get('riskReserve')).toBe(0);
    expect(formatFen(b.get('fundRetained')!)).toBe(formatFen(y(60_000) + y(998_800) - y(57_000)));
    expect(formatFen(b.get('member:H01:paid')! + b.get('member:H01:clearing')!)).toBe('157000.00');
    expect(b.get('fund')! + b.get('outOfGroup')! + b.get('fundRetained')!).toBe(-(b.get('member:H01:paid')! + b.get('member:H01:clearing')! + b.get('member:T01:paid')! + b.get('member:T01:clearing')! + b.get('member:V01:paid')! + b.get('member:V01:clearing')! + b.get('carryForward')! + b.get('carryForward:opening')!));
  });

  it('pays installments in installments mode; a month with no room pays nothing', async () => {
    const book = new MemoryBook(SMALL_YEAR.replace('mode: claims, withholdRate: "0.1"', 'mode: installments'));
    // January: out-of-group 100,000 > I1 93,100: K1 = −6,900, paid 0, withheld = W1 − 0 = 100 (capitation).
    book.import([claim({ institutionId: 'X01', fundPaid: y(100_000), serviceDate: '2024-01-05' })]);
    await book.close();
    expect([book.state.months[0].room, book.state.months[0].paid, book.state.months[0].due].map(f)).toEqual(['-6900.00', '0.00', null]);
    // February: K2 = −6,900 + 93,100 − 0 = 86,200: paid 86,200, all to V01 (the only workload: 100 of capitation).
    await book.close();
    expect(formatFen(book.state.months[1].paid)).toBe('86200.00');
    expect(book.state.months[1].members.map((m) => formatFen(m.paid))).toEqual(['0.00', '0.00', '86200.00']);
  });

  it('a month with no workload pays the lead (§12.3)', async () => {
    const book = new MemoryBook(SMALL_YEAR.replace('mode: claims, withholdRate: "0.1"', 'mode: installments').replace(/payments:\n  capitation:.*\n/, ''));
    await book.close();
    expect(book.state.months[0].members.map((m) => formatFen(m.paid))).toEqual(['93100.00', '0.00', '0.00']);
  });
});

describe('installments after an amendment (§12.2)', () => {
  it('keeps the months before and re-splits the rest by the new version', async () => {
    const book = new MemoryBook(SMALL_YEAR);
    for (let i = 0; i < 6; i++) await book.close();
    // Version 2 from July: 1,260,000 → R 63,000, P 1,197,000, Q 23,940, P − Q = 1,173,060. Paid before July:
    // 6 × 93,100 = 558,600; the remaining 614,460 over July–December by v2's own equal prepayments: 102,410 each.
    book.amend(`${SMALL_YEAR.replace('amount: "1200000"', 'amount: "1260000"')}effectiveFrom: "2024-07"\n`);
    expect(book.state.installments.map(formatFen)).toEqual([...Array(6).fill('93100.00'), ...Array(6).fill('102410.00')]);
    // The amendment posts the budget difference: B +60,000, R +3,000, Q +1,140.
    const t = book.journal.at(-1)!;
    expect(t.kind).toBe('amendment');
    expect(t.postings.map((p) => [p.account, formatFen(p.amount)])).toEqual([
      ['fund', '-60000.00'],
      ['package', '55860.00'],
      ['riskReserve', '3000.00'],
      ['qualityDeposit', '1140.00'],
    ]);
  });

  it('gives 0 to every later month when less than nothing is left, and weights by the new prepayments', () => {
    const budget = (pq: number, weights: number[]) => ({
      lines: [],
      total: pq,
      riskReserve: 0,
      package: pq,
      qualityDeposit: 0,
      prepayments: weights.map((amount, i) => ({ index: i + 1, date: `2024-${String(i + 1).padStart(2, '0')}-01`, amount })),
    });
    const before = Array(12).fill(100);
    expect(amendInstallments(before, budget(500, Array(12).fill(0)), 7)).toEqual([...Array(6).fill(100), ...Array(6).fill(0)]);
    // 1,000 left over months 11 and 12 weighted 1 : 3 by the new version's own prepayments → 250 / 750.
    const w = [...Array(10).fill(0), 1, 3];
    expect(amendInstallments(before, budget(2000, w), 11)).toEqual([...Array(10).fill(100), 250, 750]);
    expect(prepaymentsByMonth(budget(12, [1, 2, 3]))).toEqual([1, 2, 3, ...Array(9).fill(0)]);
  });
});
