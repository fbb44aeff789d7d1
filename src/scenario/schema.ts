// The shape of a scenario file (DOMAIN.md §9), checked with zod. Scenario files are parsed with every scalar as
// text (YAML failsafe schema), so "0.1" and 0.1 both reach this schema as the string "0.1" and are read as exact
// decimals. Cross-key rules (a lead that is a member, increasing bands…) live in `rules.ts`.
import { z } from 'zod';
import { BASES, CATEGORIES, FUNDS, METHODS, PACKAGE_FUNDS, SETTINGS, TIERS } from '../domain/types.js';
import { dec, isDecimalText } from '../domain/money.js';

const text = z.string().min(1);
export const MAX_SCENARIO_NUMBER = 100_000_000_000;
export const decimalText = z
  .string()
  .refine((s) => isDecimalText(s), { params: { rule: 'number' } })
  // Every amount, rate and count stays far inside exact fen arithmetic (issue 11): at most 1,000亿 in magnitude.
  .refine((s) => !isDecimalText(s) || dec(s).abs().lessThanOrEqualTo(MAX_SCENARIO_NUMBER), { params: { rule: 'range' } });
export const nonNegative = decimalText.refine((s) => !isDecimalText(s) || !dec(s).isNegative() || dec(s).isZero(), {
  params: { rule: 'nonNegative' },
});
export const fraction = decimalText.refine(
  (s) => {
    if (!isDecimalText(s)) return true; // reported by decimalText
    const n = dec(s);
    return n.greaterThanOrEqualTo(0) && n.lessThanOrEqualTo(1);
  },
  { params: { rule: 'fraction' } },
);
export const count = z.string().refine((s) => /^\s*\d{1,10}\s*$/.test(s), { params: { rule: 'count' } });
const boolText = z.enum(['true', 'false']);
const tier = z.enum(TIERS);

const member = z.strictObject({ id: text, name: z.string().optional(), tier });

const budgetLine = z.strictObject({
  category: z.enum(CATEGORIES),
  fund: z.enum(FUNDS),
  basis: z.enum(BASES),
  amount: nonNegative.optional(),
  rate: nonNegative.optional(),
  baseSpend: nonNegative.optional(),
  growth: decimalText.optional(),
  revenue: nonNegative.optional(),
  ratio: fraction.optional(),
});

const rule = z.strictObject({
  when: z
    .strictObject({
      setting: z.enum(SETTINGS).optional(),
      tiers: z.array(tier).optional(),
      hasCode: z.enum(['drg', 'dip']).optional(),
      losAtLeast: count.optional(),
    })
    .optional(),
  method: z.enum(METHODS),
});

const tierCoefficients = z.strictObject({ county: nonNegative.optional(), township: nonNegative.optional(), village: nonNegative.optional() });

const drg = z.strictObject({
  baseRate: nonNegative,
  weights: z.record(z.string(), nonNegative).optional(),
  weightsFile: text.optional(),
  coefficients: tierCoefficients.optional(),
  highMultiple: nonNegative.optional(),
  lowMultiple: nonNegative.optional(),
  highExcessRate: nonNegative.optional(),
});

const dipGroup = z.strictObject({ score: nonNegative, avgCost: nonNegative.optional() });
const dip = z.strictObject({
  groups: z.record(z.string(), dipGroup).optional(),
  groupsFile: text.optional(),
  coefficients: tierCoefficients.optional(),
  lowMultiple: nonNegative.optional(),
  highMultiple: nonNegative.optional(),
  pointValue: nonNegative.optional(),
  pool: z.strictObject({ amount: nonNegative, reimbursementRatio: fraction }).optional(),
});

const perDiem = z.strictObject({
  rates: z.strictObject({
    default: nonNegative.optional(),
    county: nonNegative.optional(),
    township: nonNegative.optional(),
    village: nonNegative.optional(),
  }),
  maxDays: count.optional(),
});

const capitation = z.strictObject({
  rate: nonNegative,
  contracted: z.array(z.strictObject({ institution: text, enrollees: count, rate: nonNegative.optional() })),
});

const bandMode = z.enum(['marginal', 'firstDollar']);
const surplus = z.strictObject({
  mode: bandMode.optional(),
  bands: z.array(z.strictObject({ upTo: nonNegative.optional(), share: fraction })).min(1),
  scaleByScore: boolText.optional(),
  cap: nonNegative.optional(),
  payoutFactor: nonNegative.optional(),
});
const overrun = z.strictObject({
  mode: bandMode.optional(),
  bands: z.array(z.strictObject({ upTo: nonNegative.optional(), fundShare: fraction })).min(1),
  capToReserve: boolText.optional(),
  bearer: z.enum(['lead', 'proRata']).optional(),
});

// 待遇政策 (cost sharing): deductible / ratio by where care happened, per setting, with per-category overrides.
const byLocation = <T extends z.ZodType>(v: T) =>
  z.strictObject({ county: v.optional(), township: v.optional(), village: v.optional(), inRegion: v.optional(), outOfRegion: v.optional() });
const settingCostSharing = z.strictObject({
  deductible: byLocation(nonNegative).optional(), // 起付线 (yuan): per admission (inpatient) / per year (outpatient)
  ratio: byLocation(fraction).optional(), // 支付比例
  annualCap: nonNegative.optional(), // 年度最高支付限额 of this setting (yuan)
});
const categoryCostSharing = z.strictObject({
  inpatient: settingCostSharing.optional(),
  outpatient: settingCostSharing.optional(),
  annualCap: nonNegative.optional(),
});
const costSharing = z.strictObject({
  mode: z.enum(['recorded', 'recompute']).optional(),
  inpatient: settingCostSharing.optional(),
  outpatient: settingCostSharing.optional(),
  annualCap: nonNegative.optional(),
  categories: z
    .strictObject({ employee: categoryCostSharing.optional(), resident: categoryCostSharing.optional(), poverty: categoryCostSharing.optional() })
    .optional(),
  continuousDeductible: boolText.optional(), // 转诊起付线连续计算 (default true)
  unreferredPenalty: nonNegative.optional(), // ratio points (0–100) off for out-of-group care without referral
});

// 考核指标: one optional value per indicator id (KPI_IDS in domain/types.ts).
const byKpi = <T extends z.ZodType>(v: T) =>
  z.strictObject({
    inRegionVisitRate: v.optional(),
    inRegionStayRate: v.optional(),
    primaryCareShare: v.optional(),
    referralsUp: v.optional(),
    referralsDown: v.optional(),
    referralsUpGrowth: v.optional(),
    referralsDownGrowth: v.optional(),
    referralsGrowth: v.optional(),
    outOfGroupSpendPerEnrollee: v.optional(),
  });
const kpis = z.strictObject({
  targets: byKpi(decimalText).optional(),
  priorYear: z.strictObject({ referralsUp: count.optional(), referralsDown: count.optional() }).optional(),
  actuals: byKpi(decimalText).optional(), // aggregate mode only
});

// 月度预结算 (DOMAIN.md §12.3): how a book pays each month before the year-end clearing.
const monthly = z.strictObject({
  mode: z.enum(['installments', 'claims']).optional(),
  withholdRate: fraction.optional(), // w 预留比例
  deductOutOfGroup: boolText.optional(), // δ 按月扣减医共体外费用 (default true)
  capToBudget: boolText.optional(), // 不超过预算空间 (default true)
  dipPointValue: nonNegative.optional(), // 预结算点值
});

export const scenarioSchema = z.strictObject({
  name: z.string(),
  effectiveFrom: z.string().refine((s) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s.trim()), { params: { rule: 'month' } }).optional(), // a book's later policy version (§12.2)
  year: z.string().refine((s) => /^\d{4}$/.test(s.trim()), { params: { rule: 'year' } }),
  group: z.strictObject({ id: text, lead: text, members: z.array(member).min(1) }),
  enrollment: z
    .strictObject({ employee: count.optional(), resident: count.optional(), poverty: count.optional() })
    .optional(),
  budget: z.strictObject({
    lines: z.array(budgetLine).min(1),
    riskReserveRate: fraction.optional(),
    qualityDepositRate: fraction.optional(),
    prepayment: z
      .strictObject({ installments: count.optional(), weights: z.array(nonNegative).optional() })
      .optional(),
  }),
  payments: z
    .strictObject({
      rules: z.array(rule).optional(),
      drg: drg.optional(),
      dip: dip.optional(),
      perDiem: perDiem.optional(),
      singleDisease: z.strictObject({ prices: z.record(z.string(), nonNegative) }).optional(),
      capitation: capitation.optional(),
    })
    .optional(),
  settlement: z.strictObject({ surplus: surplus.optional(), overrun: overrun.optional() }).optional(),
  assessment: z
    .strictObject({
      score: decimalText.optional(),
      depositReturn: z.array(z.strictObject({ score: decimalText, fraction })).optional(),
      fromKpis: byKpi(z.strictObject({ weight: nonNegative, target: decimalText.optional() })).optional(),
    })
    .optional(),
  distribution: z
    .strictObject({
      tierShares: z
        .strictObject({ county: nonNegative.optional(), township: nonNegative.optional(), village: nonNegative.optional() })
        .optional(),
      within: z.enum(['workload', 'equal']).optional(),
      incentiveRate: fraction.optional(),
      memberScores: z.record(z.string(), decimalText).optional(), // 成员单位考核 (§13.3): member id → 0–100
    })
    .optional(),
  carryForward: z.strictObject({ opening: nonNegative.optional(), retainShare: fraction.optional() }).optional(),
  claims: z.union([text, z.array(text)]).optional(),
  actuals: z
    .strictObject({
      inGroupLiability: nonNegative,
      outOfGroupDeductions: nonNegative,
      outOfGroupOutOfRegion: nonNegative.optional(),
    })
    .optional(),
  costSharing: costSharing.optional(),
  kpis: kpis.optional(),
  monthly: monthly.optional(),
  // 打包基金 (§13.1): which of the claim's fund columns the package pays (default [basic]).
  package: z.strictObject({ funds: z.array(z.enum(PACKAGE_FUNDS)).min(1) }).optional(),
  // 特例单议 (§13.2): the list of claims paid an agreed amount, and the quota per method.
  specialCases: z
    .strictObject({
      file: text,
      quota: z.strictObject({ drg: fraction.optional(), dip: fraction.optional() }).optional(),
    })
    .optional(),
});

export type RawScenario = z.infer<typeof scenarioSchema>;
