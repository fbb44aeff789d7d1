// 考核指标 Indicators: each indicator's value against its target, the score from indicators (live formulas: points =
// weight × achievement, score = ROUND(SUM(points), 2)); and, in recompute mode, 待遇重算 Cost sharing: the recorded
// settlement beside the recomputed one, per member and payment method.
import { KPI_INFO } from '../../domain/kpis.js';
import type { MethodTotals, SettlementResult } from '../../domain/result.js';
import { METHOD_LABEL } from './labels.js';
import { type Row, type SheetModel, INT_FMT, PCT_FMT, absAddr, addr, int, money, num, rowOf } from './model.js';
import { CSV, SHEET, sheetTitle } from './names.js';


const fmtOf = (unit: 'rate' | 'count' | 'yuan'): string => (unit === 'rate' ? PCT_FMT : unit === 'count' ? INT_FMT : '#,##0.00');

/** The indicators sheet; undefined when the run has no indicators (aggregate mode without any). */
export function kpisSheet(r: SettlementResult): SheetModel | undefined {
  const k = r.kpis;
  if (k === undefined) return undefined;
  const rows: Row[] = [];
  const rowById = new Map<string, number>();
  for (const i of k.indicators) {
    const info = KPI_INFO[i.id];
    const fmt = fmtOf(i.unit);
    rowById.set(i.id, rows.length);
    rows.push({
      cells: [
        i.id,
        info.zh,
        info.en,
        i.direction === 'higher' ? '≥ 越高越好 higher is better' : '≤ 越低越好 lower is better',
        i.value === undefined ? '—' : num(i.value.toFixed(), fmt),
        i.target === undefined ? null : num(i.target.toFixed(), fmt),
        i.met === undefined ? null : i.met ? '达标 met' : '未达标 not met',
      ],
    });
  }
  const n = rows.length;
  if (k.counts) {
    const c = k.counts;
    rows.push({ kind: 'blank', cells: [] });
    rows.push({ kind: 'section', cells: ['计数（净额，冲销计 −1）', 'Counts (net: a reversal counts −1)'] });
    const counts: Array<[string, string, number]> = [
      ['门诊人次', 'Outpatient visits', c.visits],
      ['区域内门诊人次', 'In-region visits', c.inRegionVisits],
      ['基层（乡镇、村）门诊人次', 'Visits at township and village members', c.primaryCareVisits],
      ['住院人次', 'Inpatient stays', c.stays],
      ['区域内住院人次', 'In-region stays', c.inRegionStays],
      ['上转人次', 'Upward referrals', c.referralsUp],
      ['下转人次', 'Downward referrals', c.referralsDown],
    ];
    for (const [zh, en, v] of counts) rows.push({ cells: [null, zh, en, null, int(v)] });
  }
  if (k.assessment) {
    rows.push({ kind: 'blank', cells: [] });
    rows.push({
      kind: 'section',
      cells: ['考核得分（指标）', 'Score from indicators: points = weight × min(1, value / target); lower is better: min(1, target / value)'],
    });
    rows.push({ kind: 'section', cells: ['指标 Indicator', null, null, '权重 Weight', '实际值 Value', '目标 Target', '得分 Points'] });
    const first = rows.length;
    for (const c of k.assessment.contributions) {
      const info = KPI_INFO[c.id];
      const i = rows.length;
      const w = addr(4, rowOf(i));
      const v = addr(5, rowOf(i));
      const t = addr(6, rowOf(i));
      let f: string | undefined;
      if (c.value !== undefined) {
        if (info.direction === 'higher') f = c.target.lessThanOrEqualTo(0) ? w : `${w}*IF(${v}>=${t},1,IF(${v}<=0,0,${v}/${t}))`;
        else f = `${w}*IF(${v}<=${t},1,${t}/${v})`;
      }
      rows.push({
        cells: [
          c.id,
          info.zh,
          info.en,
          num(c.weight.toFixed(), '0.##'),
          c.value === undefined ? '—' : num(c.value.toFixed(), fmtOf(info.unit)),
          num(c.target.toFixed(), fmtOf(info.unit)),
          num(c.points.toFixed(), '0.00', f),
        ],
      });
    }
    const last = rows.length - 1;
    rows.push({
      kind: 'total',
      cells: [
        '合计',
        k.scoreSource === 'given' ? '考核得分（已被 assessment.score 覆盖）' : '考核得分',
        k.scoreSource === 'given' ? 'Score (overridden by assessment.score)' : 'Assessment score',
        null,
        null,
        null,
        num(k.assessment.score.toFixed(), '0.00', last >= first ? `ROUND(SUM(${absAddr(7, rowOf(first))}:${absAddr(7, rowOf(last))}),2)` : undefined),
      ],
    });
  }
  rows.push({ kind: 'blank', cells: [] });
  rows.push({
    kind: 'note',
    cells: [
      `结算使用的考核得分 Score used by the settlement: ${k.score.toFixed()}（${k.scoreSource === 'kpis' ? '由指标计算 from the indicators' : k.scoreSource === 'given' ? 'assessment.score' : '默认 default'}）`,
    ],
  });
  return {
    name: SHEET.kpis,
    csv: CSV.kpis,
    title: sheetTitle(SHEET.kpis, r.scenario),
    columns: [
      { zh: '指标', en: 'Indicator' },
      { zh: '名称', en: 'Name' },
      { zh: '英文名称', en: 'Name (English)' },
      { zh: '方向', en: 'Direction' },
      { zh: '实际值', en: 'Value' },
      { zh: '目标', en: 'Target' },
      { zh: '达标', en: 'Met' },
    ],
    rows,
    filterRows: n,
  };
}

/** Recorded vs recomputed per member and payment method; undefined unless the run recomputed cost sharing. */
export function costSharingSheet(r: SettlementResult): SheetModel | undefined {
  const cs = r.actuals.costSharing;
  if (cs === undefined) return undefined;
  const rows: Row[] = [];
  const byKey = (methods: readonly MethodTotals[]) => new Map(methods.map((t) => [t.method, t]));
  for (const m of cs.recomputed.members) {
    const before = byKey(cs.recorded.members.find((x) => x.id === m.id)?.methods ?? []);
    const after = byKey(m.methods);
    const methods = [...new Set([...before.keys(), ...after.keys()])];
    for (const method of methods) {
      const b = before.get(method);
      const a = after.get(method);
      const i = rows.length;
      rows.push({
        cells: [
          m.id,
          METHOD_LABEL[method],
          int(a?.claims ?? b?.claims ?? 0),
          money(b?.fundPaid ?? 0),
          money(a?.fundPaid ?? 0),
          money((a?.fundPaid ?? 0) - (b?.fundPaid ?? 0), `${addr(5, rowOf(i))}-${addr(4, rowOf(i))}`),
          money(b?.patientPaid ?? 0),
          money(a?.patientPaid ?? 0),
          money(b?.liability ?? 0),
          money(a?.liability ?? 0),
          money((a?.liability ?? 0) - (b?.liability ?? 0), `${addr(10, rowOf(i))}-${addr(9, rowOf(i))}`),
        ],
      });
    }
  }
  const n = rows.length;
  const sum = (c: number) => (n > 0 ? `SUM(${absAddr(c, rowOf(0))}:${absAddr(c, rowOf(n - 1))})` : undefined);
  const rec = cs.recorded;
  const now = cs.recomputed;
  rows.push({
    kind: 'total',
    cells: [
      '合计 Total',
      '医共体内 in group',
      null,
      money(rec.inGroupFundPaid, sum(4)),
      money(now.inGroupFundPaid, sum(5)),
      money(now.inGroupFundPaid - rec.inGroupFundPaid, sum(6)),
      money(rec.inGroupPatientPaid, sum(7)),
      money(now.inGroupPatientPaid, sum(8)),
      money(rec.inGroupLiability, sum(9)),
      money(now.inGroupLiability, sum(10)),
      money(now.inGroupLiability - rec.inGroupLiability, sum(11)),
    ],
  });
  rows.push({
    kind: 'subtotal',
    cells: [
      'D',
      '医共体外就医扣减 Out-of-group deductions',
      null,
      money(rec.outOfGroupDeductions),
      money(now.outOfGroupDeductions),
      money(now.outOfGroupDeductions - rec.outOfGroupDeductions),
    ],
  });
  rows.push({ kind: 'note', cells: [`${cs.patients} 参保人 patients；结算按重算结果 the settlement uses the recomputed figures`] });
  return {
    name: SHEET.costSharing,
    csv: CSV.costSharing,
    title: sheetTitle(SHEET.costSharing, r.scenario),
    columns: [
      { zh: '机构', en: 'Member' },
      { zh: '支付方式', en: 'Payment method' },
      { zh: '单据数', en: 'Claims' },
      { zh: '统筹支付（登记）', en: 'Fund paid (recorded)' },
      { zh: '统筹支付（重算）', en: 'Fund paid (recomputed)' },
      { zh: '差额', en: 'Difference' },
      { zh: '个人负担（登记）', en: 'Patient paid (recorded)' },
      { zh: '个人负担（重算）', en: 'Patient paid (recomputed)' },
      { zh: '医共体支付（登记）', en: 'Liability (recorded)' },
      { zh: '医共体支付（重算）', en: 'Liability (recomputed)' },
      { zh: '差额', en: 'Difference' },
    ],
    rows,
    filterRows: n,
  };
}
