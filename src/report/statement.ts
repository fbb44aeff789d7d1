// The readable bilingual statement printed by `yibao settle`: the §5 waterfall from B down to T and Y, then members.
import { formatFenGrouped as yuan, roundFen } from '../domain/money.js';
import { KPI_INFO, type KpiResult } from '../domain/kpis.js';
import type { ActualsResult, SettlementResult } from '../domain/result.js';
import { displayWidth, padEnd, padStart, table } from './text.js';
import { runId } from '../io/outputs.js';
import { TIER_ZH } from './workbook/labels.js';


function pct(d: { times(n: number): { toFixed(n: number): string } }): string {
  return `${d.times(100).toFixed(2)}%`;
}

export function renderStatement(r: SettlementResult): string {
  const b = r.budget;
  const a = r.actuals;
  const s = r.settlement;
  const surplus = s.balance >= 0;
  // Lines whose label starts with − are subtracted: their amounts are shown without a sign (no "− … -4,170,000.00").
  const lines: Array<[string, string, string]> = [
    ['B', '年度总额预算 Budget', yuan(b.total)],
    ['R', '− 风险金 Risk reserve', yuan(b.riskReserve)],
    ['P', '= 打包资金 Package', yuan(b.package)],
    ['Q', '  其中 质量保证金 Quality deposit (withheld)', yuan(b.qualityDeposit)],
    ['D', '− 医共体外就医扣减 Out-of-group deductions', yuan(a.outOfGroupDeductions)],
    ['', `    区域内 in region ${yuan(a.outOfGroupInRegion)} · 异地 out of region ${yuan(a.outOfGroupOutOfRegion)}`, ''],
    ...fundLines(a, 'D'),
    ['A', '= 可用资金 Available', yuan(s.available)],
    ['L', '− 医共体内统筹支付 In-group liability', yuan(a.inGroupLiability)],
    ...fundLines(a, 'L'),
    ['C', '− 按人头付费 Capitation', yuan(a.capitation)],
    ['X', `= ${surplus ? '结余 Surplus' : '超支 Overrun'} (${pct(s.rate)} of P)`, yuan(s.balance)],
  ];
  if (surplus) {
    lines.push(['S', '结余留用 Retained surplus', yuan(s.retainedSurplus)]);
    lines.push(['', '结余返还基金 Returned to the fund', yuan(s.surplusReturnedToFund)]);
  } else {
    lines.push(['F', '医保基金分担 Fund overrun share', yuan(s.fundOverrunShare)]);
    lines.push(['G', '医共体自付 Group liability', yuan(s.groupOverrunLiability)]);
  }
  for (const band of s.bands) {
    const range = band.upTo === undefined ? 'above' : `up to ${pct(band.upTo)}`;
    lines.push(['', `    档位 band ${band.index + 1} (${range}): share ${band.share.toFixed()} on ${yuan(roundFen(band.portion))}`, '']);
  }
  if (s.capApplied) lines.push(['', '    已触及上限 cap applied', '']);
  lines.push(
    ['', `考核得分 Assessment score ${s.score.toFixed()}${r.kpis?.scoreSource === 'kpis' ? '（由考核指标计算 from the indicators）' : ''} → 保证金返还比例 deposit returned ${pct(s.depositReturnFraction)}`, ''],
    ['', '保证金返还 Deposit returned', yuan(s.depositReturned)],
    ['', '保证金扣除 Deposit forfeited', yuan(-s.depositForfeited)],
    ['T', '= 医共体应得总额 Group total', yuan(s.groupTotal)],
    ['', '− 已预拨 Prepaid (P − Q)', yuan(b.package - b.qualityDeposit)],
    ['Y', `= 年终清算拨付 Year-end payment${s.yearEndPayment < 0 ? ' (医共体返还 the group repays)' : ''}`, yuan(s.yearEndPayment)],
    ['', '基金留存 Fund kept', yuan(s.fundRetained)],
  );
  const width = Math.max(...lines.filter(([, , amount]) => amount !== '').map(([, label]) => displayWidth(label))) + 4;
  const out: string[] = [];
  out.push(`${r.scenario.name}（${r.scenario.year}）· 医共体 group ${r.scenario.groupId}`);
  out.push('');
  for (const [k, label, amount] of lines) out.push(`${padEnd(k, 2)} ${amount ? padEnd(label, width) + padStart(amount, 18) : label}`);
  out.push('');
  out.push('结转储备金 Carry-forward reserve:');
  out.push(`  期初 opening ${yuan(r.carryForward.opening)} + 提取 added ${yuan(r.carryForward.added)} − 使用 used ${yuan(r.carryForward.used)} = 期末 closing ${yuan(r.carryForward.closing)}`);
  const kpiLines = r.kpis ? renderKpis(r.kpis) : [];
  if (kpiLines.length > 0) out.push('', ...kpiLines);
  const cs = r.actuals.costSharing;
  if (cs) {
    out.push('');
    out.push(`待遇政策重算 Cost sharing recomputed (${cs.patients} 参保人 patients) — 登记 recorded → 重算 recomputed:`);
    out.push(`  医共体内统筹支付 In-group fund paid ${yuan(cs.recorded.inGroupFundPaid)} → ${yuan(cs.recomputed.inGroupFundPaid)}`);
    out.push(`  医共体内个人负担 In-group patient paid ${yuan(cs.recorded.inGroupPatientPaid)} → ${yuan(cs.recomputed.inGroupPatientPaid)}`);
    out.push(`  医共体外就医扣减 D ${yuan(cs.recorded.outOfGroupDeductions)} → ${yuan(cs.recomputed.outOfGroupDeductions)}`);
    out.push(`  医共体内统筹支付（按支付方式）L ${yuan(cs.recorded.inGroupLiability)} → ${yuan(cs.recomputed.inGroupLiability)}`);
  }
  const special = specialCaseLines(a);
  if (special.length > 0) out.push('', ...special);
  out.push('');
  // Headers on two lines (中文 over English) and the tier in Chinese keep the table within 120 columns.
  const scored = r.members.some((m) => m.score !== undefined);
  const rows = [
    ['机构\nMember', '名称\nName', '层级\nTier', '医疗费用\nClaims', '按人头\nCapitation', '分配调整\nAdjustment', '合计\nTotal', '奖励性绩效\nIncentive', ...(scored ? ['考核得分\nScore', '得分影响\nScore effect'] : [])],
    ...r.members.map((m) => [
      m.id,
      m.name,
      TIER_ZH[m.tier],
      yuan(m.claims),
      yuan(m.capitation),
      yuan(m.adjustment),
      yuan(m.total),
      yuan(m.incentivePool),
      ...(scored ? [m.score?.toFixed() ?? '', yuan(m.scoreEffect ?? 0)] : []),
    ]),
  ];
  const total = (f: (m: (typeof r.members)[number]) => number) => yuan(r.members.reduce((x, m) => x + f(m), 0));
  rows.push([
    '合计',
    '',
    '',
    total((m) => m.claims),
    total((m) => m.capitation),
    total((m) => m.adjustment),
    total((m) => m.total),
    total((m) => m.incentivePool),
    ...(scored ? ['', total((m) => m.scoreEffect ?? 0)] : []),
  ]);
  out.push(table(rows, new Set(scored ? [3, 4, 5, 6, 7, 8, 9] : [3, 4, 5, 6, 7])));
  out.push('');
  const failed = r.checks.filter((c) => !c.ok).length;
  out.push(`校验 Checks: ${r.checks.length - failed}/${r.checks.length} OK`);
  out.push(`运行标识 Run ${runId(r.inputs)}（输入文件 SHA-256 的摘要，与工作簿和 CSV 参数表中的一致）`);
  out.push(`  (a digest of the inputs' SHA-256, the same in the parameters sheet of the workbook and CSV)`);
  return out.join('\n');
}

const FUND_ZH = { basic: '统筹', critical: '大病保险', assistance: '医疗救助', other: '其他补助' } as const;

/** §13.1: D or L per fund, indented under the figure (none without the funds view). */
function fundLines(a: ActualsResult, which: 'D' | 'L'): Array<[string, string, string]> {
  const f = a.funds;
  if (f === undefined) return [];
  if (which === 'D') {
    const parts = f.lines.map((l) => `${FUND_ZH[l.fund]} ${l.fund} ${yuan(l.deduction)}${l.packaged ? '' : `（未打包 not packaged; 记录 recorded ${yuan(l.outOfGroup)}）`}`);
    return [['', `    按基金 by fund: ${parts.join(' · ')}`, '']];
  }
  const parts = f.lines.filter((l) => l.packaged).map((l) => `${FUND_ZH[l.fund]} ${l.fund} ${yuan(l.liability)}`);
  parts.push(`支付标准调整 payment-standard adjustment ${yuan(f.paymentAdjustment)}`);
  return [['', `    按基金 by fund: ${parts.join(' · ')}`, '']];
}

const METHOD_ZH = { ffs: '按项目', drg: 'DRG', dip: 'DIP', perDiem: '按床日', singleDisease: '单病种', capitation: '按人头' } as const;

/** §13.2: special cases against their quota, and what the agreed amounts changed. */
function specialCaseLines(a: ActualsResult): string[] {
  const sc = a.specialCases;
  if (sc === undefined) return [];
  const quota = sc.quota.map((q) => `${METHOD_ZH[q.method]} ${q.cases} 例 cases / 限额 quota ${q.allowed}（${q.quota.times(100).toFixed()}% × ${q.claims}）`);
  const others = (['perDiem', 'singleDisease'] as const)
    .filter((m) => (sc.casesByMethod[m] ?? 0) > 0)
    .map((m) => `${METHOD_ZH[m]} ${m} ${sc.casesByMethod[m]} 例 cases（无限额 no quota）`);
  const agreed = sc.lines.reduce((x, l) => x + l.agreed, 0);
  const formula = sc.lines.reduce((x, l) => x + l.formulaStandard, 0);
  return [
    `特例单议 Special cases (${sc.file}): ${[...quota, ...others].join(' · ')}`,
    `  核定金额 agreed ${yuan(agreed)} − 按公式 by formula ${yuan(formula)} = 差额 difference ${yuan(agreed - formula)}`,
  ];
}

function kpiValue(unit: 'rate' | 'count' | 'yuan', v: { times(n: number): { toFixed(n: number): string }; toFixed(n: number): string }): string {
  return unit === 'rate' ? pct(v) : unit === 'yuan' ? v.toFixed(2) : v.toFixed(0);
}

/** 考核指标 lines: value against target, ✓ met / ✗ not met. */
function renderKpis(k: KpiResult): string[] {
  if (k.indicators.length === 0) return [];
  const out = [`考核指标 Indicators${k.source === 'scenario' ? '（汇总数模式，取自场景 from the scenario）' : ''}:`];
  for (const i of k.indicators) {
    const info = KPI_INFO[i.id];
    const value = i.value === undefined ? '—' : kpiValue(i.unit, i.value);
    const target = i.target === undefined ? '' : ` 目标 target ${i.direction === 'higher' ? '≥' : '≤'} ${kpiValue(i.unit, i.target)}`;
    const mark = i.met === undefined ? '' : i.met ? ' ✓' : ' ✗';
    out.push(`  ${info.zh} ${info.en}: ${value}${target}${mark}`);
  }
  if (k.assessment) {
    const parts = k.assessment.contributions.map((c) => `${c.id} ${c.points.toDecimalPlaces(2).toFixed(2)}/${c.weight.toFixed()}`);
    out.push(`  考核得分（指标）Score from indicators ${k.assessment.score.toFixed(2)} = ${parts.join(' + ')}${k.scoreSource === 'given' ? '（已被 assessment.score 覆盖 overridden）' : ''}`);
  }
  return out;
}
