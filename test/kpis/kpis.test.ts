// Indicators (考核指标) counted from the claims, the score from them (assessment.fromKpis), and the scenario errors
// of the new keys.
import { describe, expect, it } from 'vitest';
import { actualsFromAggregates, settle } from '../../src/domain/engine.js';
import { achievement, scoreFromKpis } from '../../src/domain/kpis.js';
import { Decimal } from '../../src/domain/money.js';
import { resultToJson } from '../../src/report/json.js';
import { renderStatement } from '../../src/report/statement.js';
import { parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';
import type { Claim } from '../../src/domain/types.js';
import { claim, scenarioErrors, settleClaims } from '../helpers/scenario.js';
import { GROUP_YAML, scenarioWith } from '../costSharing/helpers.js';

const D = (s: string) => new Decimal(s);

// 10 visits: H01 3, T01 2, V01 2, X01 (non-member in region) 2, Y01 (out of region) 1 — plus one reversed visit at V01.
// 5 stays: H01 3 (one referred up), X01 1, Y01 1. Down referrals: 2 (one at T01, one at V01 reversed away → 1).
function claims(): Claim[] {
  const out: Claim[] = [];
  const visit = (institutionId: string, extra: Partial<Claim> = {}) =>
    out.push(claim({ institutionId, outOfRegion: institutionId === 'Y01', totalCost: 10_000, fundPaid: 5_000, ...extra }));
  const stay = (institutionId: string, extra: Partial<Claim> = {}) =>
    out.push(claim({ institutionId, outOfRegion: institutionId === 'Y01', setting: 'inpatient', losDays: 3, totalCost: 500_000, fundPaid: 300_000, ...extra }));
  visit('H01');
  visit('H01');
  visit('H01');
  visit('T01', { referral: 'down', referredFrom: 'H01' });
  visit('T01');
  visit('V01');
  visit('V01');
  visit('V01', { claimId: 'VX', referral: 'down' });
  out.push({ ...out[out.length - 1], claimId: 'VXR', reverses: 'VX', totalCost: -10_000, fundPaid: -5_000, patientPaid: -5_000 });
  visit('X01');
  visit('X01');
  visit('Y01');
  stay('H01', { referral: 'up', referredFrom: 'T01' });
  stay('H01');
  stay('H01');
  stay('X01');
  stay('Y01');
  return out;
}

describe('indicators from the claims', () => {
  it('counts visits, stays and referrals (reversals net out) and computes each indicator against its target', async () => {
    const s = scenarioWith(`
kpis:
  targets: { inRegionVisitRate: 0.9, inRegionStayRate: 0.9, primaryCareShare: 0.65, referralsDownGrowth: 0.1, outOfGroupSpendPerEnrollee: 5 }
  priorYear: { referralsUp: 2, referralsDown: 1 }
`);
    const r = await settleClaims(s, claims());
    const k = r.kpis!;
    expect(k.counts).toEqual({ visits: 10, inRegionVisits: 9, primaryCareVisits: 4, stays: 5, inRegionStays: 4, referralsUp: 1, referralsDown: 1 });
    const json = resultToJson(r, 't') as { kpis: { indicators: Array<{ id: string; value?: string; target?: string; met?: boolean }> } };
    const byId = Object.fromEntries(json.kpis.indicators.map((i) => [i.id, i]));
    expect(byId.inRegionVisitRate).toMatchObject({ value: '0.9', target: '0.9', met: true });
    expect(byId.inRegionStayRate).toMatchObject({ value: '0.8', met: false });
    expect(byId.primaryCareShare.value!.slice(0, 8)).toBe('0.444444'); // 4 / 9
    expect(byId.primaryCareShare.met).toBe(false);
    expect(byId.referralsUpGrowth).toMatchObject({ value: '-0.5' });
    expect(byId.referralsDownGrowth).toMatchObject({ value: '0', target: '0.1', met: false });
    expect(byId.referralsGrowth.value!.slice(0, 7)).toBe('-0.3333'); // (2 − 3) / 3
    // D = X01 (2 × 50 + 3,000) + Y01 (50 + 3,000) = 6,150 yuan over 1,000 residents
    expect(byId.outOfGroupSpendPerEnrollee).toMatchObject({ value: '6.15', target: '5', met: false });
    expect(renderStatement(r)).toContain('区域内就诊率（门诊人次） In-region visit rate (outpatient visits): 90.00% 目标 target ≥ 90.00% ✓');
  });

  it('scores from the indicators: Σ weight × min(1, actual / target), inverse for lower-is-better; rounded to 0.01', async () => {
    const s = scenarioWith(`
assessment:
  fromKpis:
    inRegionStayRate: { weight: 40, target: 0.9 }         # 0.8 / 0.9 → 35.555…
    inRegionVisitRate: { weight: 30, target: 0.85 }       # met → 30
    outOfGroupSpendPerEnrollee: { weight: 30, target: 5 } # 5 / 6.15 → 24.390…
  depositReturn: [ { score: 60, fraction: 0 }, { score: 100, fraction: 1 } ]
`);
    const r = await settleClaims(s, claims());
    expect(r.kpis!.scoreSource).toBe('kpis');
    expect(r.kpis!.assessment!.score.toFixed()).toBe('89.95'); // 35.5556 + 30 + 24.3902 = 89.9458…
    expect(r.settlement.score.toFixed()).toBe('89.95');
    expect(r.settlement.depositReturnFraction.toFixed()).toBe('0.74875');
    // an explicit score overrides
    const given = await settleClaims(scenarioWith(`assessment: { score: 70, fromKpis: { inRegionVisitRate: { weight: 100, target: 0.9 } } }`), claims());
    expect(given.kpis!.scoreSource).toBe('given');
    expect(given.settlement.score.toFixed()).toBe('70');
    expect(given.kpis!.assessment!.score.toFixed()).toBe('100');
  });

  it('achievement: clamps to 0–1; lower-is-better is target / actual; no value achieves 0', () => {
    expect(achievement('higher', D('-0.2'), D('0.1')).toFixed()).toBe('0');
    expect(achievement('higher', D('0.2'), D('0.1')).toFixed()).toBe('1');
    expect(achievement('higher', D('0.05'), D('0.1')).toFixed()).toBe('0.5');
    expect(achievement('higher', D('5'), D('0')).toFixed()).toBe('1');
    expect(achievement('lower', D('0'), D('100')).toFixed()).toBe('1');
    expect(achievement('lower', D('200'), D('100')).toFixed()).toBe('0.5');
    expect(achievement('lower', D('200'), D('0')).toFixed()).toBe('0');
    expect(achievement('higher', undefined, D('0.9')).toFixed()).toBe('0');
    const s = scoreFromKpis(new Map([['primaryCareShare', { weight: D('100'), target: D('0.65') }]]), new Map());
    expect(s.score.toFixed()).toBe('0');
  });

  it('aggregate mode takes the indicator values from kpis.actuals (D per enrollee from the actuals)', () => {
    const yaml = GROUP_YAML.replace('claims: [ unused.csv ]', '') + `
actuals: { inGroupLiability: 800000, outOfGroupDeductions: 50000 }
kpis: { actuals: { inRegionVisitRate: 0.81 } }
assessment:
  fromKpis:
    inRegionVisitRate: { weight: 50, target: 0.9 }
    outOfGroupSpendPerEnrollee: { weight: 50, target: 40 }
`;
    const s = scenarioFromObject(parseScenarioText(yaml, 'a.yaml'), 'a.yaml', '/tmp').scenario;
    const r = settle(s, actualsFromAggregates(s), []);
    // 50 × 0.9 + 50 × 40 / 50 = 45 + 40
    expect(r.kpis!.source).toBe('scenario');
    expect(r.settlement.score.toFixed()).toBe('85');
  });
});

describe('scenario errors of the new keys (golden)', () => {
  it('cost sharing: incomplete tables, penalty range, recompute without claims, typos', () => {
    const yaml = GROUP_YAML.replace('claims: [ unused.csv ]', 'actuals: { inGroupLiability: 1, outOfGroupDeductions: 0 }') + `
costSharing:
  mode: recompute
  inpatient:
    ratio: { county: 0.75, township: 0.85, village: 0.9, inRegion: 0.65 }
  unreferredPenalty: 120
`;
    expect(scenarioErrors(yaml)).toEqual([
      's.yaml, key costSharing.mode [recompute]: 按待遇政策重算（recompute）需要结算明细（claims），汇总数（actuals）模式下无法重算 / recompute derives fund_paid from the claims; it cannot be used with aggregate actuals (costSharing.recomputeNeedsClaims)',
      's.yaml, key costSharing.inpatient.ratio.outOfRegion: 待遇政策缺少住院在 outOfRegion 的支付比例 / cost sharing has no inpatient reimbursement ratio for outOfRegion (costSharing.missingRatio)',
      's.yaml, key costSharing.outpatient: 待遇政策缺少门诊规则 costSharing.outpatient（起付线 deductible、支付比例 ratio） / cost sharing needs costSharing.outpatient (deductible and ratio) (costSharing.missingSetting)',
      's.yaml, key costSharing.unreferredPenalty [120]: 未按规定转诊降低的支付比例应为 0 到 100 个百分点 / the unreferred penalty is in ratio points and must be between 0 and 100 (costSharing.penaltyRange)',
    ]);
    expect(scenarioErrors(`${GROUP_YAML}\ncostSharing: { mode: recomput, inpatient: { ratio: { county: 1.5 }, deductable: { county: 1 } } }`)).toEqual([
      's.yaml, key costSharing.mode [recomput]: costSharing.mode 的值 "recomput" 无效，应为 recorded / recompute 之一 / costSharing.mode is "recomput", which is not one of recorded / recompute (enum)',
      's.yaml, key costSharing.inpatient.ratio.county [1.5]: costSharing.inpatient.ratio.county 的值 "1.5" 应为 0 到 1 之间的比例 / costSharing.inpatient.ratio.county is "1.5": must be a rate between 0 and 1 (fraction)',
      's.yaml, key costSharing.inpatient.deductable: costSharing.inpatient 中有未知的键：deductable（拼写错误？） / costSharing.inpatient has an unknown key: deductable (a typo?) (unknownKey)',
      // the cross-key rules still run on the malformed scenario, so every problem is reported at once
      's.yaml, key costSharing.inpatient.ratio.township: 待遇政策缺少住院在 township 的支付比例 / cost sharing has no inpatient reimbursement ratio for township (costSharing.missingRatio)',
      's.yaml, key costSharing.inpatient.ratio.village: 待遇政策缺少住院在 village 的支付比例 / cost sharing has no inpatient reimbursement ratio for village (costSharing.missingRatio)',
      's.yaml, key costSharing.inpatient.ratio.inRegion: 待遇政策缺少住院在 inRegion 的支付比例 / cost sharing has no inpatient reimbursement ratio for inRegion (costSharing.missingRatio)',
      's.yaml, key costSharing.inpatient.ratio.outOfRegion: 待遇政策缺少住院在 outOfRegion 的支付比例 / cost sharing has no inpatient reimbursement ratio for outOfRegion (costSharing.missingRatio)',
      's.yaml, key costSharing.outpatient: 待遇政策缺少门诊规则 costSharing.outpatient（起付线 deductible、支付比例 ratio） / cost sharing needs costSharing.outpatient (deductible and ratio) (costSharing.missingSetting)',
    ]);
  });

  it('indicators: weights, targets, prior-year counts, kpis.actuals with claims', () => {
    const yaml = `${GROUP_YAML}
kpis: { actuals: { inRegionVisitRate: 0.9 } }
assessment:
  fromKpis:
    inRegionVisitRate: { weight: 40, target: 0.9 }
    referralsDownGrowth: { weight: 30 }
    primaryCareShare: { weight: 20, target: 0.65 }
`;
    expect(scenarioErrors(yaml)).toEqual([
      's.yaml, key kpis.actuals: 指标值 kpis.actuals 只用于汇总数（actuals）模式；有结算明细时指标由明细计算 / kpis.actuals is for aggregate mode only; with claims the indicators are counted from the claims (kpis.actualsWithClaims)',
      's.yaml, key assessment.fromKpis [90]: 各指标权重之和应为 100，现为 90 / the indicator weights must add up to 100, not 90 (fromKpis.weightSum)',
      's.yaml, key assessment.fromKpis.referralsDownGrowth.target: 指标 referralsDownGrowth 缺少目标值（在 assessment.fromKpis.referralsDownGrowth.target 或 kpis.targets.referralsDownGrowth 中给出） / indicator referralsDownGrowth has no target (give assessment.fromKpis.referralsDownGrowth.target or kpis.targets.referralsDownGrowth) (fromKpis.noTarget)',
      "s.yaml, key kpis.priorYear.referralsDown: 指标 referralsDownGrowth 需要上年转诊人次 kpis.priorYear.referralsDown / indicator referralsDownGrowth needs the prior year's count kpis.priorYear.referralsDown (fromKpis.noPriorYear)",
    ]);
    const aggregate = GROUP_YAML.replace('claims: [ unused.csv ]', 'actuals: { inGroupLiability: 1, outOfGroupDeductions: 0 }') + `
assessment: { fromKpis: { primaryCareShare: { weight: 60, target: 0.65 }, outOfGroupSpendPerEnrollee: { weight: 40, target: 100 }, inRegionVisitrate: { weight: 1 } } }
`;
    expect(scenarioErrors(aggregate)).toEqual([
      's.yaml, key assessment.fromKpis.inRegionVisitrate: assessment.fromKpis 中有未知的键：inRegionVisitrate（拼写错误？） / assessment.fromKpis has an unknown key: inRegionVisitrate (a typo?) (unknownKey)',
      's.yaml, key kpis.actuals.primaryCareShare: 汇总数模式下无法由明细计算指标 primaryCareShare：请在 kpis.actuals.primaryCareShare 中给出指标值，或直接给出 assessment.score / in aggregate mode indicator primaryCareShare cannot be counted from claims: give kpis.actuals.primaryCareShare, or assessment.score (fromKpis.noActual)',
    ]);
    expect(scenarioErrors(aggregate.replace(', inRegionVisitrate: { weight: 1 }', ''))).toEqual([
      's.yaml, key kpis.actuals.primaryCareShare: 汇总数模式下无法由明细计算指标 primaryCareShare：请在 kpis.actuals.primaryCareShare 中给出指标值，或直接给出 assessment.score / in aggregate mode indicator primaryCareShare cannot be counted from claims: give kpis.actuals.primaryCareShare, or assessment.score (fromKpis.noActual)',
    ]);
  });
});
