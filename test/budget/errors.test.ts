// Golden tests of budget history validation: every problem at once, each with its key path, 中文 and English, in the
// scenario's wording (DOMAIN.md §14; test/scenario/errors.test.ts for scenarios).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClaimsYear } from '../../src/budget/claims.js';
import { historyErrors } from './helpers.js';

const OK_TOTAL = `total:
  years: [ { year: 2023, spend: 100 }, { year: 2024, spend: 200 } ]
  growth: "0.05"
`;

describe('budget history validation', () => {
  it('reports every shape error of the bad fixture at once, in a stable golden form', () => {
    expect(historyErrors(readFileSync('test/budget/fixtures/bad-history.yaml', 'utf8'))).toEqual([
      'h.yaml, key year [25]: year 的值 "25" 应为四位年份 / year is "25": must be a four-digit year (year)',
      'h.yaml, key total.years[0].spend [abc]: total.years[0].spend 的值 "abc" 应为数字（如 "700" 或 "0.05"） / total.years[0].spend is "abc": must be a number (such as "700" or "0.05") (number)',
      'h.yaml, key total.years[1].spend [-5]: total.years[1].spend 的值 "-5" 不能为负数 / total.years[1].spend is "-5": must not be negative (nonNegative)',
      'h.yaml, key total.reimbursementRatio [1.2]: total.reimbursementRatio 的值 "1.2" 应为 0 到 1 之间的比例 / total.reimbursementRatio is "1.2": must be a rate between 0 and 1 (fraction)',
      'h.yaml, key total.growht: total 中有未知的键：growht（拼写错误？） / total has an unknown key: growht (a typo?) (unknownKey)',
      'h.yaml, key standards[0].method [bottomup]: standards[0].method 的值 "bottomup" 无效，应为 bottomUp / topDown 之一 / standards[0].method is "bottomup", which is not one of bottomUp / topDown (enum)',
      'h.yaml, key standards[1].visits [0]: standards[1].visits 的值 "0" 应为大于 0 的整数 / standards[1].visits is "0": must be a whole number above 0 (positiveCount)',
      'h.yaml, key standards[1].visitsPerPerson [0]: standards[1].visitsPerPerson 的值 "0" 应为大于 0 的数 / standards[1].visitsPerPerson is "0": must be a number above 0 (positive)',
      'h.yaml, key standards[1].addOns.检查费 [12.345]: standards[1].addOns.检查费 的值 "12.345" 应为不为负、最多两位小数的金额（元） / standards[1].addOns.检查费 is "12.345": must be an amount in yuan, not negative, with at most two decimals (yuan)',
    ]);
  });

  it('reports the cross-key rules together once the shape is right', () => {
    const yaml = `year: 2024
total:
  years: [ { year: 2023, spend: 100 }, { year: 2022, spend: 200 }, { year: 2024, spend: 300 } ]
  weights: [0, 0]
  growth: "0.05"
  growthFactors: { enrolmentGrowth: 0, gdpGrowth: 0, cpi: 0 }
standards:
  - { name: 高血压, method: bottomUp, years: [ { year: 2023, perCapitaCost: 100, perCapitaSelfPay: "100.01" } ], contracted: [ { institution: V01, enrollees: 10 } ] }
  - { name: 高血压, method: topDown, totalCost: 100, visits: 10, visitsPerPerson: 2, growth: "-1", contracted: [ { institution: V01, enrollees: 5 } ] }
  - { name: 糖尿病, method: topDown, totalCost: 100, visits: 10, visitsPerPerson: 2 }
  - { name: 慢阻肺, method: bottomUp }
`;
    expect(historyErrors(yaml)).toEqual([
      'h.yaml, key total.years[1].year [2022]: 年份须从早到晚递增：2022 不晚于上一年 2023 / years must increase, oldest first: 2022 is not after 2023 (years.order)',
      'h.yaml, key total.years[2].year [2024]: 历史年份 2024 不早于测算年度 2024 / history year 2024 is not before the budget year 2024 (years.notPast)',
      'h.yaml, key total.weights [0, 0]: 权重个数 2 与年份个数 3 不一致 / 2 weights for 3 years: give one weight per year (weights.length)',
      'h.yaml, key total.weights [0, 0]: 权重不能全为 0 / the weights must not all be 0 (weights.zero)',
      'h.yaml, key total.growthFactors: total.growth 与 total.growthFactors 只能给出一个 / give either total.growth or total.growthFactors, not both (growth.both)',
      'h.yaml, key standards[0].years[0].perCapitaSelfPay [100.01]: 人均个人负担 100.01 大于人均费用 100 / per-capita self-pay 100.01 exceeds per-capita cost 100 (selfPay.exceedsCost)',
      'h.yaml, key standards[1].growth [-1]: 增长率 -1 不能小于等于 -1（预算将为 0 或负数） / growth -1 must be above -1 (the budget would be zero or negative) (growth.range)',
      'h.yaml, key standards[2].growth: 缺少增长率：请给出 standards[2].growth 或 standards[2].growthFactors（不增长请写 growth: 0） / growth is missing: give standards[2].growth or standards[2].growthFactors (write growth: 0 for none) (growth.missing)',
      'h.yaml, key standards[3].years: 缺少必填项 standards[3].years（或用 --claims 从结算明细汇总） / standards[3].years is required (or sum them from claims with --claims) (required)',
      'h.yaml, key standards[1].name [高血压]: 标准名称“高血压”与 standards[0] 重复 / standard name "高血压" repeats standards[0] (standard.duplicate)',
      'h.yaml, key standards[1].contracted[0].institution [V01]: 签约机构 V01 已在 standards[0].contracted[0].institution 中出现：一个机构只能有一个按人头签约 / institution V01 already appears at standards[0].contracted[0].institution: one capitation contract per institution (contracted.duplicate)',
    ]);
  });

  it('a standard without a method', () => {
    expect(historyErrors('year: 2025\nstandards: [ { name: x } ]\n')).toEqual([
      'h.yaml, key standards[0].method: 缺少必填项 standards[0].method / standards[0].method is required (required)',
    ]);
  });

  it('an empty history, and a total without years', () => {
    expect(historyErrors('year: 2025\n')).toEqual([
      'h.yaml, key (root): 测算文件中既没有 total 也没有 standards，无可测算 / the history has neither total nor standards: nothing to estimate (history.empty)',
    ]);
    expect(historyErrors('year: 2025\ntotal: { growth: 0 }\n')).toEqual([
      'h.yaml, key total.years: 缺少必填项 total.years（或用 --claims 从结算明细汇总） / total.years is required (or sum them from claims with --claims) (required)',
    ]);
  });

  it('with --claims: years come from the claims, not from the file; every bottom-up standard needs its contract type', () => {
    const claims: ClaimsYear[] = [
      { year: 2023, file: 'c23.csv', rows: 3, fundSpend: 10_000, byType: new Map([['高血压', { totalCost: 30_000, selfPay: 6_000, persons: 2 }]]) },
      { year: 2025, file: 'c25.csv', rows: 1, fundSpend: 5_000, byType: new Map() },
    ];
    const yaml = `year: 2025\n${OK_TOTAL}standards:\n  - { name: 高血压, method: bottomUp }\n`;
    expect(historyErrors(yaml, claims)).toEqual([
      'c25.csv, key --claims [2025]: --claims 的年份 2025 不早于测算年度 2025 / --claims year 2025 is not before the budget year 2025 (years.notPast)',
      'h.yaml, key total.years: 已用 --claims 从结算明细汇总历年支出，测算文件中不应再给出 total.years / the years come from --claims: remove total.years from the history file (years.both)',
      'c25.csv, key standards[0].name [高血压]: 2025 年的结算明细中没有签约类型（contract_type / 签约类型）为“高血压”的签约人员，无法计算人均费用 / the 2025 claims have no contracted person with contract_type (签约类型) "高血压": no per-capita cost (claims.noContractType)',
    ]);
  });
});
