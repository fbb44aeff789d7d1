// What one settlement run produces, in engine units: money as integer fen, rates and point values as exact Decimals.
// `report/json.ts` renders it as the DOMAIN.md §8 contract (money as two-decimal strings).
import type { Dec, Fen } from './money.js';
import type { Basis, Category, Fund, Method, PackageFund, Tier } from './types.js';

export interface BudgetLineResult {
  readonly category: Category;
  readonly fund: Fund;
  readonly basis: Basis;
  /** The inputs of the line as exact decimals, e.g. { rate: "700", enrollment: "80000" }. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly amount: Fen;
}

export interface Prepayment {
  readonly index: number; // 1-based
  readonly date: string; // YYYY-MM-DD
  readonly amount: Fen;
}

export interface BudgetResult {
  readonly lines: readonly BudgetLineResult[];
  readonly total: Fen; // B
  readonly riskReserve: Fen; // R
  readonly package: Fen; // P
  readonly qualityDeposit: Fen; // Q
  readonly prepayments: readonly Prepayment[];
}

/** Totals of one member's claims under one payment method. */
export interface MethodTotals {
  readonly method: Method;
  readonly claims: number; // net count (a reversal counts −1)
  readonly totalCost: Fen;
  readonly fundPaid: Fen;
  readonly patientPaid: Fen;
  readonly standard: Fen; // Σ payment standards, each rounded to the fen (0 for ffs/capitation)
  readonly liability: Fen;
  readonly highOutliers: number;
  readonly lowOutliers: number;
}

export interface MemberActuals {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  readonly claimsLiability: Fen;
  readonly capitation: Fen;
  readonly methods: readonly MethodTotals[]; // in METHODS order, only methods with claims
}

/** Out-of-group spend by destination institution × region × insured category. */
export interface OutOfGroupLine {
  readonly institutionId: string;
  readonly outOfRegion: boolean;
  readonly category: Category;
  readonly claims: number;
  /** The deduction: Σ of the packaged fund columns (§13.1; fund_paid alone by default). */
  readonly fundPaid: Fen;
}

/** 外转分析: out-of-group claims by institution × region × category × referral status, every fund column. */
export interface OutOfGroupAnalysisLine {
  readonly institutionId: string;
  readonly outOfRegion: boolean;
  readonly category: Category;
  /** 上转 / 下转 / 未转诊; 'unknown' when the claims file has no referral column. */
  readonly referral: 'up' | 'down' | 'none' | 'unknown';
  readonly claims: number;
  readonly funds: Readonly<Record<PackageFund, Fen>>; // recorded, signed sums
  readonly deduction: Fen; // Σ of the packaged columns
}

/** §13.1 D and L per fund. D_f = the fund's out-of-group column if packaged; L_f = its in-group column if packaged;
 * L − Σ L_f is the payment-standard adjustment (formula methods and capitation pay other than the recorded amounts). */
export interface FundLine {
  readonly fund: PackageFund;
  readonly packaged: boolean;
  readonly outOfGroup: Fen; // recorded out of group
  readonly deduction: Fen; // D_f
  readonly inGroup: Fen; // recorded in group
  readonly liability: Fen; // L_f
}

export interface FundsResult {
  readonly packaged: readonly PackageFund[];
  readonly lines: readonly FundLine[]; // in PACKAGE_FUNDS order
  readonly paymentAdjustment: Fen; // L − Σ L_f
}

/** One row priced as a special case (an original, or a reversal of one: amounts negative). */
export interface SpecialCaseLine {
  readonly claimId: string;
  readonly reverses: string;
  readonly memberId: string;
  readonly method: Method;
  readonly totalCost: Fen;
  readonly patientPaid: Fen;
  readonly unpackaged: Fen; // U
  readonly formulaStandard: Fen; // what the formula would have paid (DIP: its points at the run's point value)
  readonly agreed: Fen; // 核定金额, signed
  readonly liability: Fen;
  readonly reason: string;
}

export interface SpecialCaseQuota {
  readonly method: 'drg' | 'dip';
  readonly quota: Dec;
  readonly claims: number;
  readonly allowed: number;
  readonly cases: number;
}

export interface SpecialCasesResult {
  readonly file: string;
  readonly quota: readonly SpecialCaseQuota[];
  /** By method counts of every method with cases (perDiem/singleDisease have no quota). */
  readonly casesByMethod: Readonly<Partial<Record<Method, number>>>;
  readonly lines: readonly SpecialCaseLine[]; // sorted by original claim id, the original first
}

export interface DipPointValue {
  readonly mode: 'budget' | 'settlement'; // 预算点值 / 结算点值
  readonly pointValue: Dec; // yuan per point, full precision
  readonly totalPoints: Dec; // Σ points of all in-group DIP claims
  readonly poolAmount?: Dec;
  readonly reimbursementRatio?: Dec;
}

export interface ActualsResult {
  readonly source: 'claims' | 'actuals';
  readonly claimRows: number; // rows read (including reversals)
  readonly outOfGroupDeductions: Fen; // D
  readonly outOfGroupInRegion: Fen;
  readonly outOfGroupOutOfRegion: Fen;
  readonly inGroupLiability: Fen; // L
  readonly capitation: Fen; // C
  readonly members: readonly MemberActuals[]; // sorted by member id
  readonly outOfGroup: readonly OutOfGroupLine[]; // sorted by institution, region, category
  readonly dip?: DipPointValue;
  readonly drgBaseRate?: Dec;
  /** Claim counts behind the indicators (claims mode only). */
  readonly kpiCounts?: import('./kpis.js').KpiCounts;
  /** Recompute mode: the recorded figures beside the recomputed ones this result carries. */
  readonly costSharing?: CostSharingComparison;
  /** §13.1 D and L per fund: when `package` is given or the claims carry fund columns beside fund_paid. */
  readonly funds?: FundsResult;
  /** 外转分析 (claims mode): sorted by institution, region, category, referral. */
  readonly outOfGroupAnalysis?: readonly OutOfGroupAnalysisLine[];
  /** §13.2, when the scenario lists special cases. */
  readonly specialCases?: SpecialCasesResult;
}

/** `costSharing.mode: recompute`: what the platform recorded vs what the rules give, per member and method. */
export interface CostSharingComparison {
  readonly mode: 'recompute';
  readonly patients: number;
  readonly recorded: CostSharingFigures;
  readonly recomputed: CostSharingFigures;
}

export interface CostSharingFigures {
  readonly inGroupFundPaid: Fen; // Σ fund_paid of in-group claims
  readonly inGroupPatientPaid: Fen;
  readonly outOfGroupDeductions: Fen; // D
  readonly inGroupLiability: Fen; // L
  readonly members: ReadonlyArray<{ readonly id: string; readonly claimsLiability: Fen; readonly methods: readonly MethodTotals[] }>;
}

export interface BandApplied {
  readonly index: number; // 0-based band index
  readonly upTo?: Dec;
  readonly share: Dec; // share (surplus) or fundShare (overrun)
  readonly portion: Dec; // fen of X (or O) this band's share was applied to
}

export interface SettlementFigures {
  readonly available: Fen; // A = P − D
  readonly balance: Fen; // X = A − L − C
  readonly rate: Dec; // s = X / P or o = O / P (0 when P = 0)
  readonly bands: readonly BandApplied[]; // the bands that applied (marginal: each with a portion; firstDollar: one)
  readonly scoreFactor: Dec; // score / 100 when scaleByScore, else 1
  readonly capApplied: boolean;
  readonly retainedSurplus: Fen; // S
  readonly surplusReturnedToFund: Fen; // X − S
  readonly fundOverrunShare: Fen; // F
  readonly groupOverrunLiability: Fen; // G
  readonly score: Dec;
  readonly depositReturnFraction: Dec;
  readonly depositReturned: Fen;
  readonly depositForfeited: Fen;
  readonly groupTotal: Fen; // T
  readonly yearEndPayment: Fen; // Y
  readonly fundRetained: Fen;
}

export interface CarryForwardResult {
  readonly opening: Fen;
  readonly added: Fen;
  readonly used: Fen;
  readonly closing: Fen;
}

export interface MemberResult {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
  readonly claims: Fen;
  readonly capitation: Fen;
  readonly adjustment: Fen;
  readonly total: Fen;
  readonly incentivePool: Fen;
  /** §13.3, when `distribution.memberScores` is given: the member's score and what it changed in its adjustment. */
  readonly score?: Dec;
  readonly scoreEffect?: Fen;
}

export interface Posting {
  readonly account: string;
  readonly amount: Fen; // positive: into the account
}

export interface Transaction {
  readonly id: number;
  readonly date: string;
  readonly zh: string;
  readonly en: string;
  readonly postings: readonly Posting[];
}

export interface Check {
  readonly id: string;
  readonly zh: string;
  readonly en: string;
  readonly left: string;
  readonly right: string;
  readonly ok: boolean;
}

export interface InputFile {
  readonly role: 'scenario' | 'claims' | 'table';
  readonly file: string; // as written (relative to the scenario file for claims and tables)
  readonly sha256: string;
}

export interface SettlementResult {
  readonly scenario: { readonly name: string; readonly year: number; readonly groupId: string; readonly lead: string };
  readonly inputs: readonly InputFile[];
  readonly budget: BudgetResult;
  readonly actuals: ActualsResult;
  readonly settlement: SettlementFigures;
  readonly carryForward: CarryForwardResult;
  readonly members: readonly MemberResult[]; // sorted by member id
  readonly journal: readonly Transaction[];
  readonly checks: readonly Check[];
  /** Indicators (考核指标) and where the assessment score came from; undefined in aggregate mode without any. */
  readonly kpis?: import('./kpis.js').KpiResult;
}

/** One in-group claim as the engine priced it (for the claim-detail sheet and audits). */
export interface PricedClaim {
  readonly claim: import('./types.js').Claim;
  readonly memberId: string;
  readonly tier: Tier;
  readonly method: Method;
  /** The payment standard, rounded to the fen (DRG/DIP/perDiem/singleDisease); undefined for ffs and capitation. */
  readonly standard?: Fen;
  /** DIP points of the claim (full precision), when the method is dip. */
  readonly points?: Dec;
  readonly outlier: import('./types.js').OutlierClass;
  readonly liability: Fen; // negative for a reversal row
  /** §13.2: priced at its agreed amount (a special case, or a reversal of one); `standard` is then that amount. */
  readonly special?: boolean;
}
