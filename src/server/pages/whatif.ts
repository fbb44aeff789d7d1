// 测算 what-if: change the clearing's key parameters and see the result beside the base, with the risk histogram.
// The engine does the work (scenarioFromObject → price the claim table again only when payments change → settle →
// simulateRisk); the claims are read from the book once per book state (queries.yearClaims). Read-only: a GET.
import type { FastifyInstance } from 'fastify';
import { bookInputs } from '../../book/compute.js';
import { lastVersion } from '../../book/state.js';
import { settle } from '../../domain/engine.js';
import { InputRejected } from '../../domain/errors.js';
import { formatFen } from '../../domain/money.js';
import type { SettlementResult } from '../../domain/result.js';
import { scenarioFromObject } from '../../scenario/load.js';
import { applySets, getAtPath, parseKeyPath } from '../../scenario/overrides.js';
import { histogramOf, simulateRisk } from '../../whatif/risk.js';
import type { Web } from '../app.js';
import { h, jsonIsland } from '../html.js';
import { SETTLEMENT_LABELS, both } from '../labels.js';
import { yearClaims } from '../queries.js';
import { STAFF } from '../routes.js';

/** The parameters the page offers (key paths of the scenario), with labels. Band shares are added from the base. */
const FIXED = [
  ['budget.riskReserveRate', '风险调剂金比例', 'risk reserve rate'],
  ['budget.qualityDepositRate', '质量保证金比例', 'quality deposit rate'],
  ['assessment.score', '考核得分', 'assessment score'],
  ['payments.dip.pointValue', 'DIP 点值（元/分，空为结算点值）', 'DIP point value (empty: settlement value)'],
  ['distribution.tierShares.county', '县级分配比例', 'tier share: county'],
  ['distribution.tierShares.township', '乡镇分配比例', 'tier share: township'],
  ['distribution.tierShares.village', '村级分配比例', 'tier share: village'],
  ['carryForward.retainShare', '结转储备比例', 'carry-forward retain share'],
] as const;

export interface Parameter {
  readonly path: string;
  readonly zh: string;
  readonly en: string;
  readonly base: string;
}

function parameters(base: Record<string, unknown>): Parameter[] {
  const out: Parameter[] = [];
  const value = (path: string) => {
    const v = getAtPath(base, parseKeyPath(path));
    return v === undefined || v === null ? '' : String(v);
  };
  for (const [path, zh, en] of FIXED) {
    const v = value(path);
    if (v !== '' || path === 'payments.dip.pointValue') out.push({ path, zh, en, base: v });
  }
  for (const [kind, key, zh, en] of [
    ['surplus', 'share', '结余留用比例', 'surplus share'],
    ['overrun', 'fundShare', '基金分担比例', 'fund overrun share'],
  ] as const) {
    const bands = getAtPath(base, ['settlement', kind, 'bands']);
    if (!Array.isArray(bands)) continue;
    bands.forEach((b: Record<string, unknown>, i) => {
      const upTo = b.upTo === undefined ? '以上 above' : `≤ ${String(b.upTo)}`;
      out.push({ path: `settlement.${kind}.bands.${i}.${key}`, zh: `${zh}（区间 ${upTo}）`, en: `${en} (band ${i + 1})`, base: String(b[key] ?? '') });
    });
  }
  return out;
}

interface Figures {
  readonly settlement: Record<string, string>;
  readonly members: Array<{ id: string; total: string }>;
  readonly balances: Float64Array; // the risk runs' year-end balance X (fen)
  readonly pOverrun: number;
}

/** Base and what-if risk runs counted into the same bins (yuan), so the two histograms can be read side by side. */
function sharedHistogram(base: Float64Array, variant: Float64Array): Array<{ from: number; to: number; base: number; variant: number }> {
  const all = new Float64Array(base.length + variant.length);
  all.set(base);
  all.set(variant, base.length);
  const bins = histogramOf(all, 24);
  const count = (values: Float64Array) => {
    const n = bins.map(() => 0);
    for (const v of values) {
      const i = bins.findIndex((b, k) => v < b.to || k === bins.length - 1);
      n[i]++;
    }
    return n;
  };
  const b = count(base);
  const v = count(variant);
  return bins.map((x, i) => ({ from: x.from / 100, to: x.to / 100, base: b[i], variant: v[i] }));
}

export function registerWhatIf(app: FastifyInstance, web: Web): void {
  const { service } = web;
  const baseObject = () => JSON.parse(lastVersion(service.current().state).record.resolved) as Record<string, unknown>;

  const figures = (result: SettlementResult, paid: number, scenario: Parameters<typeof simulateRisk>[0], actuals: Parameters<typeof simulateRisk>[1]): Figures => {
    const s = result.settlement;
    const settlement: Record<string, string> = {};
    for (const k of Object.keys(SETTLEMENT_LABELS) as Array<keyof typeof SETTLEMENT_LABELS>) {
      settlement[k] = formatFen(k === 'paid' ? paid : k === 'yearEndPayment' ? s.groupTotal - paid : s[k]);
    }
    const risk = simulateRisk(scenario, actuals, { runs: 300, seed: 2024, volumeCv: 0.05, costCv: 0.05, bins: 24 });
    return {
      settlement,
      members: result.members.map((m) => ({ id: m.id, total: formatFen(m.total) })),
      balances: risk.balances,
      pOverrun: risk.pOverrun,
    };
  };

  const run = async (sets: readonly string[]) => {
    const { state } = service.current();
    const { actuals, table } = await yearClaims(service);
    const obj = applySets(baseObject(), sets);
    obj.carryForward = { ...(obj.carryForward as object), opening: formatFen(state.opening) };
    const { scenario } = scenarioFromObject(obj, `v${state.versions.length} (what-if)`, '/');
    const repriced = sets.some((s) => s.startsWith('payments.')) ? await table.aggregate(scenario) : actuals;
    const paid = state.months.reduce((a, m) => a + m.paid, 0);
    return { scenario, actuals: repriced, result: settle(scenario, repriced, bookInputs(state)), paid };
  };

  app.get('/whatif', { config: { roles: STAFF } }, async (req, reply) => {
    const params = parameters(baseObject());
    const body = h`<p class="muted">以最新政策版本和账簿内全部结算明细为基础；改动参数即时重算（不写入账簿）。/ Based on the last policy version and every claim in the book; change a parameter and the year is settled again at once (nothing is written).</p>
      <form id="whatif-form" class="whatif">${params.map(
        (p) => h`<label><span>${p.zh}<small>${p.en}</small></span><input name="${p.path}" value="${p.base}" data-base="${p.base}" inputmode="decimal"></label>`,
      )}<button type="reset">恢复基准 Reset</button></form>
      <div id="whatif-status" class="muted"></div>
      <div class="scroll"><table id="whatif-table"><thead><tr><th>项目<small>figure</small></th><th class="num">基准<small>base</small></th><th class="num">测算<small>what-if</small></th><th class="num">差额<small>difference</small></th></tr></thead><tbody></tbody></table></div>
      <h2>风险分布 <small>risk histogram of the balance X (300 runs, volume and cost CV 5%)</small></h2>
      <div class="chart wide" id="chart-risk" data-chart="risk"></div>
      <h2>成员应得 <small>members' totals</small></h2>
      <div class="scroll"><table id="whatif-members"><thead><tr><th>机构<small>member</small></th><th class="num">基准<small>base</small></th><th class="num">测算<small>what-if</small></th><th class="num">差额<small>difference</small></th></tr></thead><tbody></tbody></table></div>
      ${jsonIsland('data-labels', Object.fromEntries(Object.entries(SETTLEMENT_LABELS).map(([k, l]) => [k, both(l)])))}`;
    return web.send(reply, web.frame(req, 'whatif', { scripts: ['/static/echarts.min.js'] }), body);
  });

  let baseCache: { key: string; figures: Figures } | undefined;
  app.get('/api/whatif', { config: { roles: STAFF } }, async (req) => {
    const allowed = new Map(parameters(baseObject()).map((p) => [p.path, p]));
    const q = req.query as Record<string, unknown>;
    const sets: string[] = [];
    for (const [k, v] of Object.entries(q)) {
      const p = allowed.get(k);
      if (!p) throw new InputRejected([{ path: k, rule: 'whatif.key', zh: `不能在测算中修改 ${k}`, en: `${k} is not a what-if parameter` }]);
      const text = String(v).trim().slice(0, 40);
      if (text !== p.base) sets.push(`${k}=${text === '' ? '~' : text}`);
    }
    const state = service.current().state;
    const key = `${state.journal.length}:${state.batches.length}:${state.versions.length}`;
    if (baseCache?.key !== key) {
      const b = await run([]);
      baseCache = { key, figures: figures(b.result, b.paid, b.scenario, b.actuals) };
    }
    const v = sets.length === 0 ? undefined : await run(sets);
    const base = baseCache.figures;
    const variant = v ? figures(v.result, v.paid, v.scenario, v.actuals) : base;
    const json = (f: Figures) => ({ settlement: f.settlement, members: f.members, pOverrun: f.pOverrun });
    return { sets, base: json(base), variant: json(variant), histogram: sharedHistogram(base.balances, variant.balances) };
  });
}
