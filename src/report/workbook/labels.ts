// Bilingual labels (GLOSSARY.md) for the codes that appear in the workbook and the CSV tables.
import type { CarryForwardFigure, SettlementFigure } from '../../book/clearing.js';
import type { TransactionKind } from '../../book/postings.js';
import type { Basis, Category, Fund, Method, OutlierClass, PackageFund, Tier } from '../../domain/types.js';

export const TIER_LABEL: Record<Tier, string> = {
  county: '县级 county',
  township: '乡镇（社区） township',
  village: '村（站） village',
};

/** The Chinese part of TIER_LABEL, where a table has room for one language only (the terminal statement). */
export const TIER_ZH = Object.fromEntries(Object.entries(TIER_LABEL).map(([k, v]) => [k, v.slice(0, v.lastIndexOf(' '))])) as Record<Tier, string>;

export const CATEGORY_LABEL: Record<Category, string> = {
  employee: '城镇职工 employee',
  resident: '城乡居民 resident',
  poverty: '建档立卡（特困） poverty',
};

export const FUND_LABEL: Record<Fund, string> = {
  basic: '基本医保 basic',
  critical: '大病保险 critical illness',
  assistance: '医疗救助 medical assistance',
  safetyNet: '兜底保障 safety net',
  familyDoctor: '家庭医生签约服务费 family-doctor fee',
};

/** §13.1 the claim's fund columns. */
export const PACKAGE_FUND_LABEL: Record<PackageFund, string> = {
  basic: '统筹基金 basic (fund_paid)',
  critical: '大病保险 critical illness',
  assistance: '医疗救助 medical assistance',
  other: '其他补助（兜底） other',
};

export const REFERRAL_STATUS_LABEL: Record<'up' | 'down' | 'none' | 'unknown', string> = {
  up: '上转 referred up',
  down: '下转 referred down',
  none: '未转诊 not referred',
  unknown: '未知 unknown',
};

export const BASIS_LABEL: Record<Basis, string> = {
  fixed: '固定额 fixed',
  perCapita: '按人头定额 per capita',
  baseYear: '上年支出×增长 base year',
  revenue: '基金收入×比例 revenue',
};

export const METHOD_LABEL: Record<Method, string> = {
  ffs: '按项目 fee-for-service',
  drg: '按疾病诊断相关分组 DRG',
  dip: '按病种分值 DIP',
  perDiem: '按床日 per bed-day',
  singleDisease: '按单病种 single disease',
  capitation: '按人头 capitation',
};

export const OUTLIER_LABEL: Record<OutlierClass, string> = {
  none: '正常 none',
  high: '高倍率 high',
  low: '低倍率 low',
};

export const REGION_LABEL = (outOfRegion: boolean): string => (outOfRegion ? '异地 out of region' : '区域内 in region');

export const SETTING_LABEL: Record<string, string> = { inpatient: '住院 inpatient', outpatient: '门诊 outpatient' };

/** Journal accounts (src/domain/journal.ts) with their Chinese names. */
export function accountLabel(account: string): string {
  const fixed: Record<string, string> = {
    fund: '医保基金',
    outOfGroup: '医共体外就医',
    riskReserve: '风险金',
    package: '打包资金',
    qualityDeposit: '质量保证金',
    groupClearing: '医共体往来',
    carryForward: '结转储备金',
    'carryForward:opening': '上年结转',
    fundRetained: '基金留存',
  };
  if (fixed[account] !== undefined) return fixed[account];
  const og = /^outOfGroup:(inRegion|outOfRegion):(.*)$/.exec(account);
  if (og) return `医共体外机构（${og[1] === 'inRegion' ? '区域内' : '异地'}） ${og[2]}`;
  const m = /^member:(.*):(claims|capitation|adjustment|paid|clearing)$/.exec(account);
  if (m) return `成员单位 ${m[1]} ${{ claims: '医疗费用', capitation: '按人头付费', adjustment: '分配调整', paid: '月度预结算拨付', clearing: '年终清算拨付' }[m[2] as 'claims']}`;
  return account;
}

/** A book's transaction kinds (src/book/postings.ts). */
export const TRANSACTION_KIND_LABEL: Record<TransactionKind, string> = {
  opening: '年初预算 opening',
  amendment: '政策调整 amendment',
  monthly: '月度预结算 monthly',
  clearing: '年终清算 clearing',
  supplement: '补充清算 supplement',
  openingAdjustment: '结转调整 opening adjustment',
};

/** A closed month's figures (§12.3, §12.8 `months[]`), as [中文, English], GLOSSARY terms. */
export const MONTH_FIGURE_LABEL = {
  installment: ['预拨额度 I', 'Installment I'],
  inGroupLiability: ['医共体内统筹支付 L', 'In-group liability L'],
  capitation: ['按人头付费 C', 'Capitation C'],
  workload: ['工作量 W', 'Workload W'],
  outOfGroupDeductions: ['医共体外就医扣减 D', 'Out-of-group D'],
  due: ['应付', 'Due'],
  room: ['预算空间 K', 'Room K'],
  paid: ['拨付', 'Paid'],
  withheld: ['暂扣', 'Withheld'],
} as const satisfies Record<string, readonly [string, string]>;

/** The money figures a book's clearing posts (§8 `settlement` with `paid`, and `carryForward`), as [中文, English]. */
export const SETTLEMENT_FIGURE_LABEL: Record<SettlementFigure, readonly [string, string]> = {
  available: ['可用资金 A', 'Available A'],
  balance: ['结余（超支）额 X', 'Balance X'],
  retainedSurplus: ['结余留用 S', 'Retained surplus S'],
  surplusReturnedToFund: ['结余返还基金', 'Surplus returned to the fund'],
  fundOverrunShare: ['医保基金分担 F', 'Fund overrun share F'],
  groupOverrunLiability: ['医共体自付 G', 'Group overrun liability G'],
  depositReturned: ['保证金返还', 'Deposit returned'],
  depositForfeited: ['保证金扣除 Qf', 'Deposit forfeited Qf'],
  groupTotal: ['医共体应得总额 T', 'Group total T'],
  yearEndPayment: ['年终清算拨付 Y', 'Year-end payment Y'],
  fundRetained: ['基金留存', 'Fund kept'],
  paid: ['已按月预结算拨付 Σ paid', 'Paid monthly Σ paid'],
};

export const CARRY_FORWARD_LABEL: Record<CarryForwardFigure, readonly [string, string]> = {
  opening: ['结转储备金期初', 'Carry-forward opening'],
  added: ['结转储备金本年提取', 'Carry-forward added'],
  used: ['结转储备金本年使用', 'Carry-forward used'],
  closing: ['结转储备金期末', 'Carry-forward closing'],
};
