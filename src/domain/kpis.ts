// 考核指标: the performance indicators of the group, counted from the claims, each against its target, and the
// assessment score that follows from them (`assessment.fromKpis`). Pure: counts in, exact Decimals out.
//
// Definitions (claims are counted net: a reversal row counts −1):
//   visits = outpatient claims; stays = inpatient claims; "in region" = at a member, or at a non-member with
//   out_of_region false.
//   inRegionVisitRate   = in-region visits / all visits                       (区域内就诊率, by visits)
//   inRegionStayRate    = in-region stays / all stays                         (区域内就诊率, by inpatient stays)
//   primaryCareShare    = visits at township and village members / in-region visits   (基层诊疗量占比)
//   referralsUp/Down    = claims with referral up / down                     (上转 / 下转人次)
//   referrals…Growth    = (this year − prior year) / prior year, when `kpis.priorYear` gives the prior count
//   outOfGroupSpendPerEnrollee = D (out-of-group fund paid, yuan) / Σ enrollment   (lower is better)
// A rate whose denominator is 0 has no value. The score from indicators is Σ weight × achievement, achievement =
// min(1, max(0, actual / target)) for higher-is-better indicators and min(1, target / actual) for lower-is-better
// ones (1 when actual ≤ target, including actual 0); an indicator without a value achieves 0; target 0 of a
// higher-is-better indicator is always achieved. The score is rounded half-up to two decimals.
import { type Dec, Decimal, ONE, ZERO, fenDec } from './money.js';
import type { ActualsResult } from './result.js';
import { KPI_IDS, type KpiId, type Scenario } from './types.js';

/** Net claim counts behind the indicators (cheap integer counters of the claim stream). */
export interface KpiCounts {
  readonly visits: number;
  readonly inRegionVisits: number;
  readonly primaryCareVisits: number;
  readonly stays: number;
  readonly inRegionStays: number;
  readonly referralsUp: number;
  readonly referralsDown: number;
}

export type KpiDirection = 'higher' | 'lower';
export type KpiUnit = 'rate' | 'count' | 'yuan';

export const KPI_INFO: Readonly<Record<KpiId, { readonly zh: string; readonly en: string; readonly direction: KpiDirection; readonly unit: KpiUnit }>> = {
  inRegionVisitRate: { zh: '区域内就诊率（门诊人次）', en: 'In-region visit rate (outpatient visits)', direction: 'higher', unit: 'rate' },
  inRegionStayRate: { zh: '区域内就诊率（住院人次）', en: 'In-region visit rate (inpatient stays)', direction: 'higher', unit: 'rate' },
  primaryCareShare: { zh: '基层诊疗量占比', en: 'Primary-care share of in-region visits', direction: 'higher', unit: 'rate' },
  referralsUp: { zh: '上转人次', en: 'Upward referrals', direction: 'higher', unit: 'count' },
  referralsDown: { zh: '下转人次', en: 'Downward referrals', direction: 'higher', unit: 'count' },
  referralsUpGrowth: { zh: '上转人次增长率', en: 'Growth of upward referrals', direction: 'higher', unit: 'rate' },
  referralsDownGrowth: { zh: '下转人次增长率', en: 'Growth of downward referrals', direction: 'higher', unit: 'rate' },
  referralsGrowth: { zh: '转诊人次增长率（上转+下转）', en: 'Growth of referrals (up + down)', direction: 'higher', unit: 'rate' },
  outOfGroupSpendPerEnrollee: { zh: '医共体外就医人均统筹支出（元）', en: 'Out-of-group fund spend per enrollee (yuan)', direction: 'lower', unit: 'yuan' },
};

export interface KpiValue {
  readonly id: KpiId;
  readonly direction: KpiDirection;
  readonly unit: KpiUnit;
  /** Undefined when it cannot be computed (no visits, no prior-year count, aggregate mode without a value). */
  readonly value?: Dec;
  readonly target?: Dec;
  /** Whether the value meets the target (≥ for higher-is-better, ≤ for lower-is-better); undefined without both. */
  readonly met?: boolean;
}

export interface KpiContribution {
  readonly id: KpiId;
  readonly weight: Dec;
  readonly target: Dec;
  readonly value?: Dec;
  readonly achievement: Dec; // 0–1
  readonly points: Dec; // weight × achievement, full precision
}

export interface KpiAssessment {
  readonly score: Dec; // Σ points, rounded half-up to two decimals
  readonly contributions: readonly KpiContribution[];
}

export interface KpiResult {
  /** 'claims': counted from the claims; 'scenario': aggregate mode, values from `kpis.actuals` (and D). */
  readonly source: 'claims' | 'scenario';
  readonly counts?: KpiCounts;
  readonly priorYear?: { readonly referralsUp?: number; readonly referralsDown?: number };
  readonly indicators: readonly KpiValue[]; // in KPI_IDS order, only those with a value or a target
  readonly assessment?: KpiAssessment; // when `assessment.fromKpis` is given
  /** Where the score used by the settlement came from. */
  readonly scoreSource: 'given' | 'kpis' | 'default';
  readonly score: Dec;
}

const ratio = (num: number, den: number): Dec | undefined => (den === 0 ? undefined : new Decimal(num).dividedBy(den));
const growth = (now: number, prior: number | undefined): Dec | undefined =>
  prior === undefined || prior === 0 ? undefined : new Decimal(now - prior).dividedBy(prior);

/** Indicator values from the counts (claims mode) or the scenario's `kpis.actuals` (aggregate mode). */
export function kpiValues(scenario: Scenario, actuals: ActualsResult): Map<KpiId, Dec> {
  const out = new Map<KpiId, Dec>();
  const set = (id: KpiId, v: Dec | undefined) => {
    if (v !== undefined) out.set(id, v);
  };
  const c = actuals.kpiCounts;
  const prior = scenario.kpis?.priorYear;
  if (c !== undefined) {
    set('inRegionVisitRate', ratio(c.inRegionVisits, c.visits));
    set('inRegionStayRate', ratio(c.inRegionStays, c.stays));
    set('primaryCareShare', ratio(c.primaryCareVisits, c.inRegionVisits));
    set('referralsUp', new Decimal(c.referralsUp));
    set('referralsDown', new Decimal(c.referralsDown));
    set('referralsUpGrowth', growth(c.referralsUp, prior?.referralsUp));
    set('referralsDownGrowth', growth(c.referralsDown, prior?.referralsDown));
    if (prior?.referralsUp !== undefined && prior.referralsDown !== undefined) {
      set('referralsGrowth', growth(c.referralsUp + c.referralsDown, prior.referralsUp + prior.referralsDown));
    }
  } else {
    for (const [id, v] of Object.entries(scenario.kpis?.actuals ?? {}) as Array<[KpiId, Dec | undefined]>) set(id, v);
  }
  const enrolled = scenario.enrollment.employee + scenario.enrollment.resident + scenario.enrollment.poverty;
  if (!out.has('outOfGroupSpendPerEnrollee') && enrolled > 0) {
    out.set('outOfGroupSpendPerEnrollee', fenDec(actuals.outOfGroupDeductions).dividedBy(100).dividedBy(enrolled));
  }
  return out;
}

function meets(direction: KpiDirection, value: Dec, target: Dec): boolean {
  return direction === 'higher' ? value.greaterThanOrEqualTo(target) : value.lessThanOrEqualTo(target);
}

/** Achievement of one indicator, 0–1 (see the file comment). */
export function achievement(direction: KpiDirection, value: Dec | undefined, target: Dec): Dec {
  if (value === undefined) return ZERO;
  let a: Dec;
  if (direction === 'higher') {
    if (target.lessThanOrEqualTo(0)) return ONE;
    a = value.dividedBy(target);
  } else {
    if (value.lessThanOrEqualTo(target)) return ONE;
    a = target.dividedBy(value); // value > target ≥ 0
  }
  if (a.isNegative()) return ZERO;
  return a.greaterThan(ONE) ? ONE : a;
}

/** The assessment score from indicator values and `assessment.fromKpis` weights. */
export function scoreFromKpis(weights: ReadonlyMap<KpiId, { weight: Dec; target: Dec }>, values: ReadonlyMap<KpiId, Dec>): KpiAssessment {
  let total = ZERO;
  const contributions: KpiContribution[] = [];
  for (const id of KPI_IDS) {
    const w = weights.get(id);
    if (w === undefined) continue;
    const value = values.get(id);
    const a = achievement(KPI_INFO[id].direction, value, w.target);
    const points = w.weight.times(a);
    total = total.plus(points);
    contributions.push({ id, weight: w.weight, target: w.target, value, achievement: a, points });
  }
  return { score: total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP), contributions };
}

/** 'kpis' when `fromKpis` is given and `assessment.score` is not; else 'default' (no score written) or 'given'. */
export function scoreSourceOf(scenario: Scenario): 'given' | 'kpis' | 'default' {
  const a = scenario.assessment;
  if (a.fromKpis !== undefined && a.scoreGiven !== true) return 'kpis';
  return a.scoreGiven === false ? 'default' : 'given';
}

/**
 * The indicators of a run and the score the settlement uses: an explicit `assessment.score` wins; else
 * `assessment.fromKpis` computes it; else the default (100). Returns undefined in aggregate mode when the scenario
 * mentions no indicators at all (nothing to show).
 */
export function computeKpis(scenario: Scenario, actuals: ActualsResult): KpiResult | undefined {
  // A what-if sweep settles the same actuals many times with the same kpis/assessment/enrollment sections: reuse
  // the last result for them (the inputs are immutable, so identity means the same figures).
  const last = lastKpis.get(actuals);
  if (last !== undefined && last.kpis === scenario.kpis && last.assessment === scenario.assessment && last.enrollment === scenario.enrollment) {
    return last.result;
  }
  const result = kpisOf(scenario, actuals);
  lastKpis.set(actuals, { kpis: scenario.kpis, assessment: scenario.assessment, enrollment: scenario.enrollment, result });
  return result;
}

const lastKpis = new WeakMap<
  ActualsResult,
  { kpis: Scenario['kpis']; assessment: Scenario['assessment']; enrollment: Scenario['enrollment']; result: KpiResult | undefined }
>();

function kpisOf(scenario: Scenario, actuals: ActualsResult): KpiResult | undefined {
  const a = scenario.assessment;
  if (actuals.kpiCounts === undefined && scenario.kpis === undefined && a.fromKpis === undefined) return undefined;
  const values = kpiValues(scenario, actuals);
  const targets = scenario.kpis?.targets ?? {};
  const indicators: KpiValue[] = [];
  for (const id of KPI_IDS) {
    const value = values.get(id);
    const target = targets[id] ?? a.fromKpis?.get(id)?.target;
    if (value === undefined && target === undefined) continue;
    const info = KPI_INFO[id];
    indicators.push({
      id,
      direction: info.direction,
      unit: info.unit,
      value,
      target,
      met: value !== undefined && target !== undefined ? meets(info.direction, value, target) : undefined,
    });
  }
  const assessment = a.fromKpis === undefined ? undefined : scoreFromKpis(a.fromKpis, values);
  const scoreSource = scoreSourceOf(scenario);
  return {
    source: actuals.kpiCounts !== undefined ? 'claims' : 'scenario',
    counts: actuals.kpiCounts,
    priorYear: scenario.kpis?.priorYear,
    indicators,
    assessment,
    scoreSource,
    score: scoreSource === 'kpis' ? assessment!.score : a.score,
  };
}
