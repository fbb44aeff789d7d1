// The engine's vocabulary (DOMAIN.md §1–§9). A `Scenario` is the validated, typed form of a scenario file: every
// money figure and rate is an exact Decimal, every list sorted into its key order where order carries no meaning.
import type { Dec, Fen } from './money.js';

export const TIERS = ['county', 'township', 'village'] as const; // 县级 / 乡镇（社区） / 村（站）
export type Tier = (typeof TIERS)[number];

export const CATEGORIES = ['employee', 'resident', 'poverty'] as const; // 城镇职工 / 城乡居民 / 建档立卡
export type Category = (typeof CATEGORIES)[number];

export const FUNDS = ['basic', 'critical', 'assistance', 'safetyNet', 'familyDoctor'] as const;
export type Fund = (typeof FUNDS)[number];

/** The claim's fund columns that may be packaged (DOMAIN.md §13.1): basic = fund_paid 统筹基金, critical = 大病保险,
 * assistance = 医疗救助, other = 其他补助/兜底. In key order. */
export const PACKAGE_FUNDS = ['basic', 'critical', 'assistance', 'other'] as const;
export type PackageFund = (typeof PACKAGE_FUNDS)[number];

export const BASES = ['fixed', 'perCapita', 'baseYear', 'revenue'] as const;
export type Basis = (typeof BASES)[number];

export const METHODS = ['ffs', 'drg', 'dip', 'perDiem', 'singleDisease', 'capitation'] as const;
export type Method = (typeof METHODS)[number];

export const SETTINGS = ['inpatient', 'outpatient'] as const; // 住院 / 门诊
export type Setting = (typeof SETTINGS)[number];

export type BandMode = 'marginal' | 'firstDollar';

export const REFERRALS = ['up', 'down'] as const; // 上转 / 下转
/** A claim's referral type (转诊类型): '' when the patient was not referred. */
export type Referral = '' | (typeof REFERRALS)[number];

/** Where care happened, for cost sharing (待遇): a member tier, in region outside the group, or out of region (异地). */
export const LOCATIONS = ['county', 'township', 'village', 'inRegion', 'outOfRegion'] as const;
export type Location = (typeof LOCATIONS)[number];

export interface Member {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
}

export interface BudgetLine {
  readonly category: Category;
  readonly fund: Fund;
  readonly basis: Basis;
  readonly amount?: Dec; // fixed
  readonly rate?: Dec; // perCapita
  readonly baseSpend?: Dec; // baseYear 上年支出
  readonly growth?: Dec; // baseYear 增长
  readonly revenue?: Dec; // revenue 基金收入
  readonly ratio?: Dec; // revenue
}

export interface PaymentRule {
  readonly when: {
    readonly setting?: Setting;
    readonly tiers?: readonly Tier[];
    readonly hasCode?: 'drg' | 'dip';
    readonly losAtLeast?: number;
  };
  readonly method: Method;
}

export interface DrgParams {
  readonly baseRate: Dec; // 基础费率
  readonly weights: ReadonlyMap<string, Dec>; // 相对权重 RW by DRG code
  readonly coefficients: Readonly<Record<Tier, Dec>>;
  readonly highMultiple: Dec;
  readonly lowMultiple: Dec;
  readonly highExcessRate: Dec;
}

export interface DipGroup {
  readonly score: Dec; // 分值
  readonly avgCost?: Dec; // 次均费用, yuan; without it no outlier classification
}

export interface DipParams {
  readonly groups: ReadonlyMap<string, DipGroup>;
  readonly coefficients: Readonly<Record<Tier, Dec>>;
  readonly lowMultiple: Dec;
  readonly highMultiple: Dec;
  readonly pointValue?: Dec; // 预算点值 (yuan per point); absent: settlement point value from the pool
  readonly pool?: { readonly amount: Dec; readonly reimbursementRatio: Dec };
}

export interface PerDiemParams {
  readonly rates: Readonly<Partial<Record<Tier | 'default', Dec>>>;
  readonly maxDays?: number;
}

export interface CapitationContract {
  readonly institution: string;
  readonly enrollees: number; // 签约人数
  readonly rate?: Dec; // overrides the scheme's rate for this contract
}

export interface CapitationParams {
  readonly rate: Dec;
  readonly contracted: readonly CapitationContract[];
}

export interface Payments {
  readonly rules: readonly PaymentRule[];
  readonly drg?: DrgParams;
  readonly dip?: DipParams;
  readonly perDiem?: PerDiemParams;
  readonly singleDisease?: { readonly prices: ReadonlyMap<string, Dec> };
  readonly capitation?: CapitationParams;
}

export interface SurplusBand {
  readonly upTo?: Dec; // fraction of P, upper-inclusive; absent on the last band
  readonly share: Dec;
}

export interface OverrunBand {
  readonly upTo?: Dec;
  readonly fundShare: Dec;
}

export interface SurplusRule {
  readonly mode: BandMode;
  readonly bands: readonly SurplusBand[];
  readonly scaleByScore: boolean;
  readonly payoutFactor: Dec;
  readonly cap?: Dec; // fraction of P
}

export interface OverrunRule {
  readonly mode: BandMode;
  readonly bands: readonly OverrunBand[];
  readonly capToReserve: boolean;
  readonly bearer: 'lead' | 'proRata';
}

export interface DepositPoint {
  readonly score: Dec;
  readonly fraction: Dec;
}

export interface Actuals {
  readonly inGroupLiability: Dec; // yuan
  readonly outOfGroupDeductions: Dec; // yuan (all in region unless split below)
  readonly outOfGroupOutOfRegion?: Dec; // the part of the deductions that was out of region (异地)
}

/** Cost-sharing rules of one setting (住院 / 门诊), by location; amounts in integer fen. */
export interface SettingCostSharing {
  readonly deductible: Readonly<Record<Location, Fen>>; // 起付线: per admission (inpatient) or per year (outpatient)
  readonly ratio: Readonly<Record<Location, Dec>>; // 支付比例, 0–1
  readonly annualCap?: Fen; // 年度最高支付限额 of this setting, per patient
}

/** The cost-sharing rules of one insured category (defaults merged with the category's overrides). */
export interface CategoryCostSharing {
  readonly inpatient: SettingCostSharing;
  readonly outpatient: SettingCostSharing;
  readonly annualCap?: Fen; // 年度最高支付限额 across both settings, per patient
}

/** 待遇政策 (DOMAIN/README "Cost sharing and indicators"): how fund_paid / patient_paid follow from total_cost. */
export interface CostSharing {
  readonly mode: 'recorded' | 'recompute';
  /** Undefined in `recorded` mode when no rules were written. */
  readonly rules?: Readonly<Record<Category, CategoryCostSharing>>;
  readonly continuousDeductible: boolean; // 转诊起付线连续计算
  readonly unreferredPenalty: Dec; // ratio points off for out-of-group care without referral (不按规定转诊)
}

export const KPI_IDS = [
  'inRegionVisitRate', // 区域内就诊率（门诊人次）
  'inRegionStayRate', // 区域内就诊率（住院人次）
  'primaryCareShare', // 基层诊疗量占比
  'referralsUp', // 上转人次
  'referralsDown', // 下转人次
  'referralsUpGrowth', // 上转人次增长率
  'referralsDownGrowth', // 下转人次增长率
  'referralsGrowth', // 双向转诊人次增长率
  'outOfGroupSpendPerEnrollee', // 医共体外就医人均统筹支出（元）
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiSettings {
  readonly targets: Readonly<Partial<Record<KpiId, Dec>>>;
  readonly priorYear?: { readonly referralsUp?: number; readonly referralsDown?: number };
  /** Aggregate mode only: the indicator values, since there are no claims to count. */
  readonly actuals: Readonly<Partial<Record<KpiId, Dec>>>;
}

export interface KpiWeight {
  readonly weight: Dec;
  readonly target: Dec;
}

/** 月度预结算 (DOMAIN.md §12.3): a book's monthly pre-settlement rule. */
export interface MonthlyRule {
  readonly mode: 'installments' | 'claims';
  readonly withholdRate: Dec; // w
  readonly deductOutOfGroup: boolean; // δ
  readonly capToBudget: boolean;
  readonly dipPointValue?: Dec; // 预结算点值
}

export interface Scenario {
  readonly name: string;
  /** A book's later policy version: in force from this month (YYYY-MM) on (§12.2). */
  readonly effectiveFrom?: string;
  readonly year: number;
  readonly group: { readonly id: string; readonly lead: string; readonly members: readonly Member[] }; // members sorted by id
  readonly enrollment: Readonly<Record<Category, number>>;
  readonly budget: {
    readonly lines: readonly BudgetLine[];
    readonly riskReserveRate: Dec;
    readonly qualityDepositRate: Dec;
    readonly prepayment: { readonly installments: number; readonly weights?: readonly Dec[] };
  };
  readonly payments: Payments;
  readonly settlement: { readonly surplus?: SurplusRule; readonly overrun?: OverrunRule };
  readonly assessment: {
    readonly score: Dec; // 100 when not written
    readonly depositReturn: readonly DepositPoint[];
    /** True when `assessment.score` was written: it then overrides `fromKpis`. */
    readonly scoreGiven?: boolean;
    /** The score from indicators: Σ weight × min(1, actual / target) (inverse for lower-is-better). */
    readonly fromKpis?: ReadonlyMap<KpiId, KpiWeight>;
  };
  readonly distribution: {
    readonly tierShares?: Readonly<Partial<Record<Tier, Dec>>>;
    readonly within: 'workload' | 'equal';
    readonly incentiveRate: Dec;
    /** 成员单位考核 (§13.3): member id → score 0–100; a member not listed scores 100. Absent: no scoring. */
    readonly memberScores?: ReadonlyMap<string, Dec>;
  };
  readonly carryForward: { readonly opening: Fen; readonly retainShare: Dec };
  /** Claims files, resolved against the scenario file's folder; `claimsAsWritten` keeps the text of the file. */
  readonly claims: readonly string[];
  readonly claimsAsWritten: readonly string[];
  readonly actuals?: Actuals;
  readonly costSharing?: CostSharing;
  readonly kpis?: KpiSettings;
  readonly monthly: MonthlyRule;
  /** 打包基金 (§13.1): which fund columns the package pays; absent: [basic] only. */
  readonly package?: { readonly funds: readonly PackageFund[] };
  /** 特例单议 (§13.2); `list` is attached once the file has been read (app/claims.ts). */
  readonly specialCases?: SpecialCaseSettings;
}

export interface SpecialCaseSettings {
  readonly file: string; // resolved against the scenario file's folder
  readonly fileAsWritten: string;
  readonly quota: { readonly drg: Dec; readonly dip: Dec };
  readonly list?: SpecialCaseList;
}

/** One row of the special-case list: a claim priced at the amount agreed by expert review. */
export interface SpecialCase {
  readonly claimId: string;
  readonly agreed: Fen; // 核定金额
  readonly reason: string; // 原因
  readonly row: number; // as a spreadsheet shows it
}

export interface SpecialCaseList {
  readonly file: string; // as shown in messages
  readonly sha256: string;
  readonly cases: ReadonlyMap<string, SpecialCase>; // by claim id
}

/** One row of a claims file (结算明细), amounts in integer fen. A reversal (冲销) names its original in `reverses`. */
export interface Claim {
  readonly claimId: string;
  readonly patientId: string;
  readonly category: Category;
  readonly institutionId: string;
  readonly outOfRegion: boolean;
  readonly setting: Setting;
  readonly serviceDate: string; // YYYY-MM-DD
  readonly losDays: number;
  readonly drgCode: string; // '' when absent
  readonly dipCode: string; // '' when absent
  readonly totalCost: Fen;
  readonly fundPaid: Fen;
  readonly patientPaid: Fen;
  readonly reverses: string; // '' when the row is not a reversal
  readonly referral?: Referral; // 转诊类型; '' or absent: not referred
  readonly referredFrom?: string; // 转出机构编码; '' or absent when unknown
  readonly contractType?: string; // 签约类型 (budget --claims); absent when the file has no such column
  /** §13.1 fund columns beside fund_paid; absent when the file has no such column (then 0). */
  readonly criticalPaid?: Fen; // 大病保险支付
  readonly assistancePaid?: Fen; // 医疗救助支付
  readonly otherPaid?: Fen; // 其他补助/兜底保障支付
}

/** A Claim whose fields a reader fills in, row after row (one object reused: ClaimSource lets it). */
export type ClaimToFill = { -readonly [K in keyof Claim]: Claim[K] };

/** A ClaimToFill with the required fields only, in RowChecker's key order (so JSON and copies keep that order). */
export function blankClaim(): ClaimToFill {
  return {
    claimId: '',
    patientId: '',
    category: 'resident',
    institutionId: '',
    outOfRegion: false,
    setting: 'outpatient',
    serviceDate: '',
    losDays: 0,
    drgCode: '',
    dipCode: '',
    totalCost: 0,
    fundPaid: 0,
    patientPaid: 0,
    reverses: '',
  };
}

/**
 * A claim's fields as a plain object of its own, in RowChecker's key order: for a visitor that keeps a claim, or
 * changes a field of a copy. Not { ...claim }: a reader's reused claim has getters for its ids, and V8 copies an
 * object with getters by its slow path (≈ 6 µs a claim).
 */
export function copyOfClaim(c: Claim): ClaimToFill {
  const out: ClaimToFill = {
    claimId: c.claimId,
    patientId: c.patientId,
    category: c.category,
    institutionId: c.institutionId,
    outOfRegion: c.outOfRegion,
    setting: c.setting,
    serviceDate: c.serviceDate,
    losDays: c.losDays,
    drgCode: c.drgCode,
    dipCode: c.dipCode,
    totalCost: c.totalCost,
    fundPaid: c.fundPaid,
    patientPaid: c.patientPaid,
    reverses: c.reverses,
  };
  if (c.criticalPaid !== undefined) out.criticalPaid = c.criticalPaid;
  if (c.assistancePaid !== undefined) out.assistancePaid = c.assistancePaid;
  if (c.otherPaid !== undefined) out.otherPaid = c.otherPaid;
  if (c.referral !== undefined) out.referral = c.referral;
  if (c.referredFrom !== undefined) out.referredFrom = c.referredFrom;
  if (c.contractType !== undefined) out.contractType = c.contractType;
  return out;
}

/** Where a problem was found. `path` is a scenario key path (`budget.lines[2].rate`); file/row/column for tables. */
export interface InputError {
  readonly file?: string;
  readonly row?: number; // as a spreadsheet shows it: the header is row 1
  readonly column?: string;
  readonly path?: string;
  readonly value?: string;
  readonly rule: string; // a stable rule id, e.g. `member.tier`
  readonly zh: string;
  readonly en: string;
}

export type OutlierClass = 'none' | 'high' | 'low';
