// The readable bilingual statement printed by `yibao settle`: the §5 waterfall from B down to T and Y, then members.
import { formatFenGrouped as yuan, roundFen } from '../domain/money.js';
import type { SettlementResult } from '../domain/result.js';
import { displayWidth, padEnd, padStart, table } from './text.js';

const TIER_ZH = { county: '县级', township: '乡镇', village: '村级' } as const;

function pct(d: { times(n: number): { toFixed(n: number): string } }): string {
  return `${d.times(100).toFixed(2)}%`;
}

export function renderStatement(r: SettlementResult): string {
  const b = r.budget;
  const a = r.actuals;
  const s = r.settlement;
  const surplus = s.balance >= 0;
  const lines: Array<[string, string, string]> = [
    ['B', '年度总额预算 Budget', yuan(b.total)],
    ['R', '− 风险金 Risk reserve', yuan(-b.riskReserve)],
    ['P', '= 打包资金 Package', yuan(b.package)],
    ['Q', '  其中 质量保证金 Quality deposit (withheld)', yuan(b.qualityDeposit)],
    ['D', '− 医共体外就医扣减 Out-of-group deductions', yuan(-a.outOfGroupDeductions)],
    ['', `    区域内 in region ${yuan(a.outOfGroupInRegion)} · 异地 out of region ${yuan(a.outOfGroupOutOfRegion)}`, ''],
    ['A', '= 可用资金 Available', yuan(s.available)],
    ['L', '− 医共体内统筹支付 In-group liability', yuan(-a.inGroupLiability)],
    ['C', '− 按人头付费 Capitation', yuan(-a.capitation)],
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
    ['', `考核得分 Assessment score ${s.score.toFixed()} → 保证金返还比例 deposit returned ${pct(s.depositReturnFraction)}`, ''],
    ['', '保证金返还 Deposit returned', yuan(s.depositReturned)],
    ['', '保证金扣除 Deposit forfeited', yuan(-s.depositForfeited)],
    ['T', '= 医共体应得总额 Group total', yuan(s.groupTotal)],
    ['', '− 已预拨 Prepaid (P − Q)', yuan(-(b.package - b.qualityDeposit))],
    ['Y', `= 年终清算拨付 Year-end payment${s.yearEndPayment < 0 ? ' (医共体返还 the group repays)' : ''}`, yuan(s.yearEndPayment)],
    ['', '基金留存 Fund kept', yuan(s.fundRetained)],
  );
  const width = Math.max(...lines.filter(([, , amount]) => amount !== '').map(([, label]) => displayWidth(label))) + 4;
  const out: string[] = [];
  out.push(`${r.scenario.name}（${r.scenario.year}）· 医共体 group ${r.scenario.groupId}`);
  out.push('');
  for (const [k, label, amount] of lines) out.push(`${padEnd(k, 2)} ${amount ? padEnd(label, width) + padStart(amount, 18) : label}`);
  out.push('');
  out.push(`结转储备金 Carry-forward reserve: 期初 opening ${yuan(r.carryForward.opening)} + 提取 added ${yuan(r.carryForward.added)} − 使用 used ${yuan(r.carryForward.used)} = 期末 closing ${yuan(r.carryForward.closing)}`);
  out.push('');
  const rows = [
    ['机构 Member', '名称 Name', '层级 Tier', '医疗费用 Claims', '按人头 Capitation', '分配调整 Adjustment', '合计 Total', '奖励性绩效 Incentive'],
    ...r.members.map((m) => [m.id, m.name, `${TIER_ZH[m.tier]} ${m.tier}`, yuan(m.claims), yuan(m.capitation), yuan(m.adjustment), yuan(m.total), yuan(m.incentivePool)]),
  ];
  const total = (f: (m: (typeof r.members)[number]) => number) => yuan(r.members.reduce((x, m) => x + f(m), 0));
  rows.push(['合计 Total', '', '', total((m) => m.claims), total((m) => m.capitation), total((m) => m.adjustment), total((m) => m.total), total((m) => m.incentivePool)]);
  out.push(table(rows, new Set([3, 4, 5, 6, 7])));
  out.push('');
  const failed = r.checks.filter((c) => !c.ok).length;
  out.push(`校验 Checks: ${r.checks.length - failed}/${r.checks.length} OK`);
  return out.join('\n');
}
