// The inputs and results of a budget estimate from history (总额与人头费测算, DOMAIN.md §14), as exact numbers.
// Inputs keep the text the user wrote (for the table, the workbook and the scenario comment); results carry the
// exact value of every step and, once, the rounded figure.
import type { Category, Fund } from '../domain/types.js';
import type { Fen } from '../domain/money.js';
import type { Exact } from './exact.js';

/** A decimal input: its exact value and the text it was written as (or derived as, e.g. from claims). */
export interface Figure {
  readonly value: Exact;
  readonly text: string;
}

/** Growth (增长率): given, or from factors (参保人数增长 + GDP 增长)/2 + CPI. */
export type GrowthInput =
  | { readonly kind: 'given'; readonly growth: Figure }
  | { readonly kind: 'factors'; readonly enrolmentGrowth: Figure; readonly gdpGrowth: Figure; readonly cpi: Figure };

/** Where a past year's figures came from when they were summed from claims (`--claims YEAR=FILE`). */
export interface ClaimsOrigin {
  readonly file: string;
  readonly rows: number;
}

export interface SpendYear {
  readonly year: number;
  readonly spend: Figure; // 基金支出 (yuan)
  readonly fromClaims?: ClaimsOrigin;
}

export interface TotalInput {
  readonly years: readonly SpendYear[]; // oldest first
  readonly weights: readonly Figure[]; // one per year; default equal (1 each)
  readonly weightsGiven: boolean;
  readonly reimbursementRatio: Figure; // default 1
  readonly growth: GrowthInput;
  readonly enrolment?: number; // next year's insured (参保人数), for the per-capita figure
  readonly category: Category; // of the scenario budget line written (default resident)
  readonly fund: Fund; // of the scenario budget line written (default basic)
}

export interface AddOn {
  readonly name: string; // 公卫经费, 签约服务费, 检查费 …
  readonly amount: Fen; // yuan with at most two decimals, as integer fen
}

/** 签约机构: a contracted institution and its enrollees, written to the scenario's capitation contracts. */
export interface Contract {
  readonly institution: string;
  readonly enrollees: number;
}

export interface PerCapitaYear {
  readonly year: number;
  readonly perCapitaCost: Figure; // 人均医疗费用
  readonly perCapitaSelfPay: Figure; // 人均个人负担
  /** From claims: the sums and the persons the per-capita figures divide. */
  readonly fromClaims?: ClaimsOrigin & { readonly totalCost: Fen; readonly selfPay: Fen; readonly persons: number };
}

interface StandardCommon {
  readonly name: string; // contract type or disease (签约类型/病种)
  readonly addOns: readonly AddOn[];
  readonly contracted: readonly Contract[];
}

export interface BottomUpInput extends StandardCommon {
  readonly method: 'bottomUp';
  readonly years: readonly PerCapitaYear[];
  readonly weights: readonly Figure[];
  readonly weightsGiven: boolean;
}

export interface TopDownInput extends StandardCommon {
  readonly method: 'topDown';
  readonly totalCost: Figure; // 医疗总费用 of the disease (yuan)
  readonly reimbursementRatio: Figure;
  readonly growth: GrowthInput;
  readonly visits: number; // 就诊人次
  readonly visitsPerPerson: Figure; // 人均就诊次数
}

export type StandardInput = BottomUpInput | TopDownInput;

export interface History {
  readonly year: number; // the year being budgeted
  readonly total?: TotalInput;
  readonly standards: readonly StandardInput[];
}

/** A weighted mean Σ w·v / Σ w, with its two sums. */
export interface WeightedMean {
  readonly sumWeights: Exact;
  readonly weightedSum: Exact;
  readonly mean: Exact;
}

export interface TotalEstimate {
  readonly input: TotalInput;
  readonly base: WeightedMean; // 基数
  readonly growth: Exact;
  readonly amountExact: Exact; // base × ratio × (1 + growth)
  readonly amount: Fen;
  readonly perCapitaExact?: Exact; // amount ÷ enrolment
  readonly perCapita?: Fen;
}

interface StandardResultCommon {
  readonly mExact: Exact;
  readonly m: Fen;
  readonly addOnsTotal: Fen;
  readonly standard: Fen; // M + add-ons, rounded once
}

export interface BottomUpEstimate extends StandardResultCommon {
  readonly method: 'bottomUp';
  readonly input: BottomUpInput;
  readonly cost: WeightedMean;
  readonly selfPay: WeightedMean;
}

export interface TopDownEstimate extends StandardResultCommon {
  readonly method: 'topDown';
  readonly input: TopDownInput;
  readonly growth: Exact;
  readonly fundExact: Exact;
  readonly fund: Fen;
  readonly personsExact: Exact;
}

export type StandardEstimate = BottomUpEstimate | TopDownEstimate;

export interface BudgetEstimate {
  readonly year: number;
  readonly total?: TotalEstimate;
  readonly standards: readonly StandardEstimate[];
}

/** An input of the estimate with its SHA-256: the history file and each claims file (with the year it counts for). */
export interface EstimateInputFile {
  readonly role: 'history' | 'claims';
  readonly file: string;
  readonly sha256: string;
  readonly year?: number;
}
