// Bilingual labels (GLOSSARY.md) for the codes that appear in the workbook and the CSV tables.
import type { Basis, Category, Fund, Method, OutlierClass, Tier } from '../../domain/types.js';

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
  const m = /^member:(.*):(claims|capitation|adjustment)$/.exec(account);
  if (m) return `成员单位 ${m[1]} ${{ claims: '医疗费用', capitation: '按人头付费', adjustment: '分配调整' }[m[2] as 'claims']}`;
  return account;
}
