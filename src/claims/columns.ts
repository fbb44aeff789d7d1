// The claims columns of DOMAIN.md §10: canonical names, the Chinese headers real exports use, and the values they
// write. A mapping file (mapping.ts) adds more headers and values; it never removes the built-in ones.
import type { Category, Referral, Setting } from '../domain/types.js';

export const COLUMNS = [
  'claim_id',
  'patient_id',
  'category',
  'institution_id',
  'out_of_region',
  'setting',
  'service_date',
  'los_days',
  'drg_code',
  'dip_code',
  'total_cost',
  'fund_paid',
  'patient_paid',
  'reverses',
  'referral',
  'referred_from',
  'contract_type',
  'critical_paid',
  'assistance_paid',
  'other_paid',
] as const;
export type Column = (typeof COLUMNS)[number];

export const COLUMN_INDEX: Readonly<Record<Column, number>> = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<
  Column,
  number
>;

/** Columns that must be present in the header (values may still be empty where the rules allow it). */
export const REQUIRED_COLUMNS: readonly Column[] = [
  'claim_id',
  'patient_id',
  'category',
  'institution_id',
  'out_of_region',
  'setting',
  'service_date',
  'total_cost',
  'fund_paid',
];

/** The Chinese name used in messages when a column is absent from the file. */
export const COLUMN_ZH: Readonly<Record<Column, string>> = {
  claim_id: '结算单据号',
  patient_id: '个人编号',
  category: '人员类别',
  institution_id: '定点机构编码',
  out_of_region: '异地就医标志',
  setting: '医疗类别',
  service_date: '结算日期',
  los_days: '住院天数',
  drg_code: 'DRG分组编码',
  dip_code: '病种编码',
  total_cost: '医疗总费用',
  fund_paid: '统筹基金支付',
  patient_paid: '个人负担',
  reverses: '原结算单据号',
  referral: '转诊类型',
  referred_from: '转出机构编码',
  contract_type: '签约类型',
  critical_paid: '大病保险支付',
  assistance_paid: '医疗救助支付',
  other_paid: '其他补助支付',
};

/** Headers accepted for each column, compared after `normalizeHeader`. */
const HEADER_ALIASES: Readonly<Record<Column, readonly string[]>> = {
  claim_id: ['结算单据号', '结算ID', '结算编号', '结算流水号', '就诊结算ID', '单据号'],
  patient_id: ['个人编号', '人员编号', '参保人编号'],
  category: ['人员类别', '参保人员类别', '人员类型'],
  institution_id: ['定点机构编码', '定点医药机构编码', '定点医疗机构编码', '医疗机构编码', '机构编码'],
  out_of_region: ['异地就医标志', '异地标志', '是否异地就医', '是否异地'],
  setting: ['医疗类别', '就诊类别', '就医类别'],
  service_date: ['结算日期', '结算时间'],
  los_days: ['住院天数', '实际住院天数'],
  drg_code: ['DRG分组编码', 'DRG编码', 'DRG组编码', 'DRG分组'],
  dip_code: ['病种编码', 'DIP病种编码', 'DIP编码', 'DIP病种'],
  total_cost: ['医疗总费用', '医疗费总额', '总费用'],
  fund_paid: ['统筹基金支付', '统筹基金支出', '基本统筹基金支付', '统筹支付'],
  patient_paid: ['个人负担', '个人负担总额', '个人负担金额'],
  reverses: ['原结算单据号', '原结算ID', '被冲销结算单据号'],
  referral: ['转诊类型', '转诊标志', '转诊方向'],
  referred_from: ['转出机构编码', '转出医疗机构编码', '转诊来源机构编码'],
  contract_type: ['签约类型', '签约病种', '家庭医生签约类型'], // optional: the contract type of a contracted patient (budget --claims)
  critical_paid: ['大病保险支付', '大病保险基金支付', '大病保险支出'],
  assistance_paid: ['医疗救助支付', '医疗救助基金支付', '医疗救助支出'],
  other_paid: ['其他补助支付', '兜底保障支付', '其他补助/兜底支付', '其他基金支付'],
};

const FULL_WIDTH: Readonly<Record<string, string>> = { '（': '(', '）': ')', '　': ' ', '＿': '_' };

/**
 * Header text as compared: BOM, quotes and spaces dropped, full-width brackets folded, ASCII lower-cased, and a
 * trailing unit such as "(元)" or "（天）" removed — "医疗总费用（元）" and "Total_Cost" both match.
 */
export function normalizeHeader(text: string): string {
  let s = text.replace(/^\uFEFF/, '').replace(/[（）　＿]/g, (ch) => FULL_WIDTH[ch] ?? ch);
  s = s.replace(/\s+/g, '').toLowerCase();
  s = s.replace(/\((元|天|日|yuan|days?)\)$/, '');
  return s;
}

/** The built-in header table: normalised header → column. */
export function builtInHeaders(): Map<string, Column> {
  const map = new Map<string, Column>();
  for (const col of COLUMNS) {
    map.set(normalizeHeader(col), col);
    for (const alias of HEADER_ALIASES[col]) map.set(normalizeHeader(alias), col);
  }
  return map;
}

export const BUILTIN_CATEGORY: ReadonlyArray<readonly [string, Category]> = [
  ['employee', 'employee'],
  ['职工', 'employee'],
  ['城镇职工', 'employee'],
  ['在职职工', 'employee'],
  ['在职', 'employee'],
  ['退休', 'employee'],
  ['退休人员', 'employee'],
  ['职工医保', 'employee'],
  ['职工基本医疗保险', 'employee'],
  ['resident', 'resident'],
  ['居民', 'resident'],
  ['城乡居民', 'resident'],
  ['城镇居民', 'resident'],
  ['居民医保', 'resident'],
  ['城乡居民基本医疗保险', 'resident'],
  ['poverty', 'poverty'],
  ['建档立卡', 'poverty'],
  ['建档立卡贫困人口', 'poverty'],
  ['贫困人口', 'poverty'],
  ['特困', 'poverty'],
  ['特困人员', 'poverty'],
  ['特困供养人员', 'poverty'],
];

export const BUILTIN_SETTING: ReadonlyArray<readonly [string, Setting]> = [
  ['inpatient', 'inpatient'],
  ['住院', 'inpatient'],
  ['普通住院', 'inpatient'],
  ['outpatient', 'outpatient'],
  ['门诊', 'outpatient'],
  ['普通门诊', 'outpatient'],
  ['门急诊', 'outpatient'],
  ['急诊', 'outpatient'],
];

export const BUILTIN_FLAG: ReadonlyArray<readonly [string, boolean]> = [
  ['true', true],
  ['false', false],
  ['是', true],
  ['否', false],
  ['1', true],
  ['0', false],
  ['y', true],
  ['n', false],
  ['yes', true],
  ['no', false],
];

/** 转诊类型 values; empty (or 无/none) means not referred. */
export const BUILTIN_REFERRAL: ReadonlyArray<readonly [string, Referral]> = [
  ['up', 'up'],
  ['上转', 'up'],
  ['向上转诊', 'up'],
  ['down', 'down'],
  ['下转', 'down'],
  ['向下转诊', 'down'],
  ['none', ''],
  ['无', ''],
];

/** Value text as compared: trimmed, ASCII lower-cased. */
export function normalizeValue(text: string): string {
  return text.trim().toLowerCase();
}

/** A mapping file, parsed: extra headers and extra values. Keys are matched after normalisation. */
export interface ColumnMapping {
  /** header in the export → canonical column */
  readonly columns: Readonly<Record<string, Column>>;
  readonly values: {
    readonly category?: Readonly<Record<string, Category>>;
    readonly setting?: Readonly<Record<string, Setting>>;
    readonly out_of_region?: Readonly<Record<string, boolean>>;
  };
}

export interface Vocabulary {
  readonly headers: ReadonlyMap<string, Column>;
  readonly category: ReadonlyMap<string, Category>;
  readonly setting: ReadonlyMap<string, Setting>;
  readonly flag: ReadonlyMap<string, boolean>;
  readonly referral: ReadonlyMap<string, Referral>;
}

/** The built-in vocabulary plus a mapping's additions (a mapping entry wins over a built-in one). */
export function vocabulary(mapping?: ColumnMapping): Vocabulary {
  const headers = builtInHeaders();
  const category = new Map<string, Category>(BUILTIN_CATEGORY.map(([k, v]) => [normalizeValue(k), v]));
  const setting = new Map<string, Setting>(BUILTIN_SETTING.map(([k, v]) => [normalizeValue(k), v]));
  const flag = new Map<string, boolean>(BUILTIN_FLAG.map(([k, v]) => [normalizeValue(k), v]));
  if (mapping) {
    for (const [h, col] of Object.entries(mapping.columns)) headers.set(normalizeHeader(h), col);
    for (const [k, v] of Object.entries(mapping.values.category ?? {})) category.set(normalizeValue(k), v);
    for (const [k, v] of Object.entries(mapping.values.setting ?? {})) setting.set(normalizeValue(k), v);
    for (const [k, v] of Object.entries(mapping.values.out_of_region ?? {})) flag.set(normalizeValue(k), v);
  }
  const referral = new Map<string, Referral>(BUILTIN_REFERRAL.map(([k, v]) => [normalizeValue(k), v]));
  return { headers, category, setting, flag, referral };
}
