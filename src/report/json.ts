// The DOMAIN.md §8 JSON contract: money as strings with exactly two decimals, fixed key names and order, no clock.
import type { KpiResult } from '../domain/kpis.js';
import { formatFen, roundFen } from '../domain/money.js';
import { rateText } from './text.js';
import type { ActualsResult, CostSharingComparison, CostSharingFigures, MethodTotals, SettlementResult } from '../domain/result.js';

const money = formatFen;

const methodTotals = (t: MethodTotals) => ({
  method: t.method,
  claims: t.claims,
  totalCost: money(t.totalCost),
  fundPaid: money(t.fundPaid),
  patientPaid: money(t.patientPaid),
  standard: money(t.standard),
  liability: money(t.liability),
  highOutliers: t.highOutliers,
  lowOutliers: t.lowOutliers,
});

/** 考核指标: each indicator with value, target and whether it is met; the score and where it came from. */
function kpisJson(k: KpiResult) {
  return {
    source: k.source,
    counts: k.counts,
    priorYear: k.priorYear,
    indicators: k.indicators.map((i) => ({
      id: i.id,
      direction: i.direction,
      unit: i.unit,
      value: rateText(i.value),
      target: rateText(i.target),
      met: i.met,
    })),
    assessment: k.assessment && {
      score: rateText(k.assessment.score),
      contributions: k.assessment.contributions.map((c) => ({
        id: c.id,
        weight: c.weight.toFixed(),
        target: rateText(c.target),
        value: rateText(c.value),
        achievement: rateText(c.achievement),
        points: rateText(c.points),
      })),
    },
    scoreSource: k.scoreSource,
    score: rateText(k.score),
  };
}

function costSharingFigures(f: CostSharingFigures) {
  return {
    inGroupFundPaid: money(f.inGroupFundPaid),
    inGroupPatientPaid: money(f.inGroupPatientPaid),
    outOfGroupDeductions: money(f.outOfGroupDeductions),
    inGroupLiability: money(f.inGroupLiability),
    byMember: f.members.map((m) => ({ id: m.id, claimsLiability: money(m.claimsLiability), methods: m.methods.map(methodTotals) })),
  };
}

/** 待遇重算: the platform's recorded settlement beside the one the cost-sharing rules give. */
function costSharingJson(c: CostSharingComparison) {
  return { mode: c.mode, patients: c.patients, recorded: costSharingFigures(c.recorded), recomputed: costSharingFigures(c.recomputed) };
}

/** §13.1 D and L per fund, and the out-of-group analysis (only when the run has the funds view: byte-stable otherwise). */
function fundsJson(a: ActualsResult) {
  const f = a.funds;
  if (f === undefined) return {};
  return {
    funds: {
      packaged: f.packaged,
      lines: f.lines.map((l) => ({
        fund: l.fund,
        packaged: l.packaged,
        outOfGroup: money(l.outOfGroup),
        deduction: money(l.deduction),
        inGroup: money(l.inGroup),
        liability: money(l.liability),
      })),
      paymentAdjustment: money(f.paymentAdjustment),
    },
    outOfGroupAnalysis: (a.outOfGroupAnalysis ?? []).map((o) => ({
      institutionId: o.institutionId,
      outOfRegion: o.outOfRegion,
      category: o.category,
      referral: o.referral,
      claims: o.claims,
      funds: { basic: money(o.funds.basic), critical: money(o.funds.critical), assistance: money(o.funds.assistance), other: money(o.funds.other) },
      deduction: money(o.deduction),
    })),
  };
}

/** §13.2 special cases: the quota per method and every row priced at its agreed amount. */
function specialCasesJson(a: ActualsResult) {
  const sc = a.specialCases;
  if (sc === undefined) return undefined;
  return {
    file: sc.file,
    quota: sc.quota.map((q) => ({ method: q.method, quota: q.quota.toFixed(), claims: q.claims, allowed: q.allowed, cases: q.cases })),
    casesByMethod: sc.casesByMethod,
    cases: sc.lines.map((l) => ({
      claimId: l.claimId,
      reverses: l.reverses,
      memberId: l.memberId,
      method: l.method,
      totalCost: money(l.totalCost),
      patientPaid: money(l.patientPaid),
      unpackaged: money(l.unpackaged),
      formulaStandard: money(l.formulaStandard),
      agreed: money(l.agreed),
      difference: money(l.agreed - l.formulaStandard),
      liability: money(l.liability),
      reason: l.reason,
    })),
  };
}

export function resultToJson(r: SettlementResult, engineVersion: string): unknown {
  const s = r.settlement;
  return {
    scenario: r.scenario,
    engine: { name: 'yibao', version: engineVersion },
    inputs: r.inputs.map((i) => ({ role: i.role, file: i.file, sha256: i.sha256 })),
    budget: {
      total: money(r.budget.total),
      lines: r.budget.lines.map((l) => ({ category: l.category, fund: l.fund, basis: l.basis, inputs: l.inputs, amount: money(l.amount) })),
      riskReserve: money(r.budget.riskReserve),
      package: money(r.budget.package),
      qualityDeposit: money(r.budget.qualityDeposit),
      prepayments: r.budget.prepayments.map((p) => ({ index: p.index, date: p.date, amount: money(p.amount) })),
    },
    actuals: {
      source: r.actuals.source,
      claimRows: r.actuals.claimRows,
      outOfGroupDeductions: money(r.actuals.outOfGroupDeductions),
      outOfGroupInRegion: money(r.actuals.outOfGroupInRegion),
      outOfGroupOutOfRegion: money(r.actuals.outOfGroupOutOfRegion),
      inGroupLiability: money(r.actuals.inGroupLiability),
      capitation: money(r.actuals.capitation),
      drgBaseRate: rateText(r.actuals.drgBaseRate),
      dip: r.actuals.dip && {
        mode: r.actuals.dip.mode,
        pointValue: rateText(r.actuals.dip.pointValue),
        totalPoints: rateText(r.actuals.dip.totalPoints),
        poolAmount: rateText(r.actuals.dip.poolAmount),
        reimbursementRatio: rateText(r.actuals.dip.reimbursementRatio),
      },
      byMember: r.actuals.members.map((m) => ({
        id: m.id,
        methods: m.methods.map(methodTotals),
      })),
      outOfGroup: r.actuals.outOfGroup.map((o) => ({
        institutionId: o.institutionId,
        outOfRegion: o.outOfRegion,
        category: o.category,
        claims: o.claims,
        fundPaid: money(o.fundPaid),
      })),
      ...fundsJson(r.actuals),
      specialCases: specialCasesJson(r.actuals),
    },
    settlement: {
      available: money(s.available),
      balance: money(s.balance),
      rate: rateText(s.rate),
      bands: s.bands.map((b) => ({ index: b.index, upTo: b.upTo?.toFixed(), share: b.share.toFixed(), portion: money(roundFen(b.portion)) })),
      scoreFactor: rateText(s.scoreFactor),
      capApplied: s.capApplied,
      retainedSurplus: money(s.retainedSurplus),
      surplusReturnedToFund: money(s.surplusReturnedToFund),
      fundOverrunShare: money(s.fundOverrunShare),
      groupOverrunLiability: money(s.groupOverrunLiability),
      score: rateText(s.score),
      depositReturnFraction: rateText(s.depositReturnFraction),
      depositReturned: money(s.depositReturned),
      depositForfeited: money(s.depositForfeited),
      groupTotal: money(s.groupTotal),
      yearEndPayment: money(s.yearEndPayment),
      fundRetained: money(s.fundRetained),
    },
    carryForward: {
      opening: money(r.carryForward.opening),
      added: money(r.carryForward.added),
      used: money(r.carryForward.used),
      closing: money(r.carryForward.closing),
    },
    members: r.members.map((m) => ({
      id: m.id,
      name: m.name,
      tier: m.tier,
      claims: money(m.claims),
      capitation: money(m.capitation),
      adjustment: money(m.adjustment),
      total: money(m.total),
      incentivePool: money(m.incentivePool),
      score: m.score?.toFixed(),
      scoreEffect: m.scoreEffect === undefined ? undefined : money(m.scoreEffect),
    })),
    journal: r.journal.map((t) => ({
      id: t.id,
      date: t.date,
      zh: t.zh,
      en: t.en,
      postings: t.postings.map((p) => ({ account: p.account, amount: money(p.amount) })),
    })),
    checks: r.checks,
    kpis: r.kpis && kpisJson(r.kpis),
    costSharing: r.actuals.costSharing && costSharingJson(r.actuals.costSharing),
  };
}

export function resultToJsonText(r: SettlementResult, engineVersion: string): string {
  return `${JSON.stringify(resultToJson(r, engineVersion), null, 2)}\n`;
}
