// Hand-computed cases for each formula of DOMAIN.md §14 (the arithmetic in the comments), through the history
// schema as a user writes it. Nothing is rounded before the result.
import { describe, expect, it } from 'vitest';
import { Exact } from '../../src/budget/exact.js';
import type { BottomUpEstimate, TopDownEstimate } from '../../src/budget/types.js';
import { formatFen } from '../../src/domain/money.js';
import { estimateYaml } from './helpers.js';

const total = (body: string) => estimateYaml(`year: 2025\ntotal:\n${body}`).total!;
const standard = <T>(body: string) => estimateYaml(`year: 2025\nstandards:\n  - ${body}`).standards[0] as T;

describe('weighted base and total (总额)', () => {
  it('equal weights by default: the plain mean, not rounded before the result', () => {
    // base = (100.00 + 100.00 + 100.01) / 3 = 300.01 / 3 = 100.00333…
    // total = 100.00333… × 1 × (1 + 0.5) = 150.005 exactly → 150.01 (half-up, once).
    // Rounding the base first would give 100.00 × 1.5 = 150.00.
    const t = total(`  years: [ { year: 2022, spend: "100.00" }, { year: 2023, spend: "100.00" }, { year: 2024, spend: "100.01" } ]\n  growth: "0.5"\n`);
    expect(t.base.mean.equals(Exact.ratio(30001n, 300n))).toBe(true);
    expect(t.amountExact.equals(Exact.of('150.005'))).toBe(true);
    expect(formatFen(t.amount)).toBe('150.01');
    expect(t.input.weights.map((w) => w.text)).toEqual(['1', '1', '1']);
  });

  it('unequal weights 1:2:7 with growth from factors (DOMAIN.md §14 example)', () => {
    // base = (1×61,000,000 + 2×64,500,000 + 7×70,200,000) / 10 = 681,400,000 / 10 = 68,140,000
    // growth = (0.01 + 0.06) / 2 + 0.02 = 0.055
    // total = 68,140,000 × 1 × 1.055 = 71,887,700.00; per capita = 71,887,700 / 223,000 = 322.3663… → 322.37
    const t = total(`  years: [ { year: 2022, spend: "61000000" }, { year: 2023, spend: "64500000" }, { year: 2024, spend: "70200000" } ]
  weights: [1, 2, 7]
  growthFactors: { enrolmentGrowth: "0.01", gdpGrowth: "0.06", cpi: "0.02" }
  enrolment: 223000
`);
    expect(t.base.sumWeights.equals(Exact.of(10))).toBe(true);
    expect(t.base.weightedSum.equals(Exact.of(681_400_000))).toBe(true);
    expect(t.growth.toExactText()).toBe('0.055');
    expect(formatFen(t.amount)).toBe('71887700.00');
    expect(formatFen(t.perCapita!)).toBe('322.37');
  });

  it('reimbursement ratio and a given growth; per capita from the unrounded total', () => {
    // base = (1×1,000.01 + 3×1,000.02) / 4 = 4,000.07 / 4 = 1,000.0175
    // total = 1,000.0175 × 0.9 × 1.03 = 900.01575 × 1.03 = 927.0162225 → 927.02
    // per capita = 927.0162225 / 7 = 132.43088… → 132.43
    const t = total(`  years: [ { year: 2023, spend: "1000.01" }, { year: 2024, spend: "1000.02" } ]
  weights: [1, 3]
  reimbursementRatio: "0.9"
  growth: "0.03"
  enrolment: 7
`);
    expect(t.base.mean.equals(Exact.of('1000.0175'))).toBe(true);
    expect(t.amountExact.equals(Exact.of('927.0162225'))).toBe(true);
    expect(formatFen(t.amount)).toBe('927.02');
    expect(t.perCapitaExact!.equals(Exact.of('927.0162225').div(Exact.of(7)))).toBe(true);
    expect(formatFen(t.perCapita!)).toBe('132.43');
  });

  it('per capita rounds from the exact total, not from the rounded one', () => {
    // total = 0.005 × 1 × (1 + 0) → exact 0.005 → 0.01 (half-up); per capita 0.005 / 2 = 0.0025 → 0.00
    // (from the rounded total it would be 0.01 / 2 = 0.005 → 0.01).
    const t = total(`  years: [ { year: 2024, spend: "0.005" } ]\n  growth: 0\n  enrolment: 2\n`);
    expect(formatFen(t.amount)).toBe('0.01');
    expect(formatFen(t.perCapita!)).toBe('0.00');
  });

  it('a zero weight leaves a year out', () => {
    // base = (0×999 + 1×100 + 1×200) / 2 = 150; total = 150 × 1.1 = 165.00
    const t = total(`  years: [ { year: 2022, spend: 999 }, { year: 2023, spend: 100 }, { year: 2024, spend: 200 } ]\n  weights: [0, 1, 1]\n  growth: "0.1"\n`);
    expect(formatFen(t.amount)).toBe('165.00');
  });
});

describe('per-capita standards (人头费标准)', () => {
  it('bottom-up: mean cost − mean self-pay, plus add-ons', () => {
    // cost = (2,800.10 + 2,950.40 + 3,105.75) / 3 = 8,856.25 / 3 = 2,952.08333…
    // self-pay = (560.20 + 590.10 + 611.30) / 3 = 1,761.60 / 3 = 587.20
    // M = 2,364.88333… → 2,364.88; standard = 2,364.88333… + 79 + 70 = 2,513.88333… → 2,513.88
    const s = standard<BottomUpEstimate>(`{ name: 高血压, method: bottomUp,
      years: [ { year: 2022, perCapitaCost: "2800.10", perCapitaSelfPay: "560.20" },
               { year: 2023, perCapitaCost: "2950.40", perCapitaSelfPay: "590.10" },
               { year: 2024, perCapitaCost: "3105.75", perCapitaSelfPay: "611.30" } ],
      addOns: { 公卫经费: "79", 签约服务费: "70" } }`);
    expect(s.cost.mean.equals(Exact.ratio(885625n, 300n))).toBe(true);
    expect(s.selfPay.mean.equals(Exact.of('587.2'))).toBe(true);
    expect(formatFen(s.m)).toBe('2364.88');
    expect(formatFen(s.addOnsTotal)).toBe('149.00');
    expect(formatFen(s.standard)).toBe('2513.88');
  });

  it('bottom-up with unequal weights, half a fen rounds up once', () => {
    // cost = (1×100.00 + 3×100.02) / 4 = 400.06 / 4 = 100.015; self-pay = (1×10 + 3×10) / 4 = 10
    // M = 90.015 → 90.02 (half-up); with add-on 5.55: 95.565 → 95.57 = 90.02 + 5.55
    const s = standard<BottomUpEstimate>(`{ name: x, method: bottomUp, weights: [1, 3],
      years: [ { year: 2023, perCapitaCost: "100.00", perCapitaSelfPay: "10" }, { year: 2024, perCapitaCost: "100.02", perCapitaSelfPay: "10" } ],
      addOns: { 检查费: "5.55" } }`);
    expect(s.mExact.equals(Exact.of('90.015'))).toBe(true);
    expect(formatFen(s.m)).toBe('90.02');
    expect(formatFen(s.standard)).toBe('95.57');
  });

  it('top-down: persons from visits, M from the unrounded fund and persons', () => {
    // fund = 9,600,000 × 0.9 × 1.08 = 9,331,200.00; persons = 16,900 / 7 = 2,414.2857…
    // M = 9,331,200 × 7 / 16,900 = 65,318,400 / 16,900 = 3,864.99408… → 3,864.99
    // (with persons rounded first to 2,414.29: 9,331,200 / 2,414.29 = 3,864.9975… → 3,865.00, one fen off)
    // standard = 3,864.99408… + 2,584 = 6,448.99408… → 6,448.99
    const s = standard<TopDownEstimate>(`{ name: 糖尿病, method: topDown, totalCost: "9600000", reimbursementRatio: "0.9", growth: "0.08",
      visits: 16900, visitsPerPerson: 7, addOns: { 检查费: "2584" } }`);
    expect(formatFen(s.fund)).toBe('9331200.00');
    expect(s.personsExact.equals(Exact.ratio(16900n, 7n))).toBe(true);
    expect(s.personsExact.toFixed(2)).toBe('2414.29');
    expect(s.mExact.equals(Exact.ratio(65_318_400n, 16_900n))).toBe(true);
    expect(formatFen(s.m)).toBe('3864.99');
    expect(formatFen(s.standard)).toBe('6448.99');
  });

  it('top-down with growth from factors and fractional visits per person', () => {
    // growth = (0.02 + 0.04) / 2 + 0.01 = 0.04; fund = 1,000,000 × 1 × 1.04 = 1,040,000
    // persons = 3,000 / 2.5 = 1,200; M = 1,040,000 / 1,200 = 866.666… → 866.67; no add-ons: standard 866.67
    const s = standard<TopDownEstimate>(`{ name: 慢阻肺, method: topDown, totalCost: 1000000,
      growthFactors: { enrolmentGrowth: "0.02", gdpGrowth: "0.04", cpi: "0.01" }, visits: 3000, visitsPerPerson: "2.5" }`);
    expect(s.growth.toExactText()).toBe('0.04');
    expect(s.personsExact.equals(Exact.of(1200))).toBe(true);
    expect(formatFen(s.m)).toBe('866.67');
    expect(formatFen(s.standard)).toBe('866.67');
    expect(s.addOnsTotal).toBe(0);
  });
});
