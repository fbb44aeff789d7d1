// The DOMAIN.md §8 JSON contract: money as strings with exactly two decimals, fixed key names and order, no clock.
import type { KpiResult } from '../domain/kpis.js';
import { formatFen, roundFen } from '../domain/money.js';
import type { CostSharingComparison, CostSharingFigures, MethodTotals, SettlementResult } from '../domain/result.js';

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
      value: i.value?.toFixed(),
      target: i.target?.toFixed(),
      met: i.met,
    })),
    assessment: k.assessment && {
      score: k.assessment.score.toFixed(),
      contributions: k.assessment.contributions.map((c) => ({
        id: c.id,
        weight: c.weight.toFixed(),
        target: c.target.toFixed(),
        value: c.value?.toFixed(),
        achievement: c.achievement.toFixed(),
        points: c.points.toFixed(),
      })),
    },
    scoreSource: k.scoreSource,
    score: k.score.toFixed(),
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
      drgBaseRate: r.actuals.drgBaseRate?.toFixed(),
      dip: r.actuals.dip && {
        mode: r.actuals.dip.mode,
        pointValue: r.actuals.dip.pointValue.toFixed(),
        totalPoints: r.actuals.dip.totalPoints.toFixed(),
        poolAmount: r.actuals.dip.poolAmount?.toFixed(),
        reimbursementRatio: r.actuals.dip.reimbursementRatio?.toFixed(),
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
    },
    settlement: {
      available: money(s.available),
      balance: money(s.balance),
      rate: s.rate.toFixed(),
      bands: s.bands.map((b) => ({ index: b.index, upTo: b.upTo?.toFixed(), share: b.share.toFixed(), portion: money(roundFen(b.portion)) })),
      scoreFactor: s.scoreFactor.toFixed(),
      capApplied: s.capApplied,
      retainedSurplus: money(s.retainedSurplus),
      surplusReturnedToFund: money(s.surplusReturnedToFund),
      fundOverrunShare: money(s.fundOverrunShare),
      groupOverrunLiability: money(s.groupOverrunLiability),
      score: s.score.toFixed(),
      depositReturnFraction: s.depositReturnFraction.toFixed(),
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
