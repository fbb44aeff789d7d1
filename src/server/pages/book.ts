// 总览 the year at a glance · 月度 the months · 政策 the policy versions with a diff · 审计日志 the audit log.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { diffLines } from 'diff';
import { parse as parseYaml } from 'yaml';
import type { VersionRecord } from '../../book/state.js';
import type { FastifyInstance } from 'fastify';
import { bookAmend, bookClose } from '../../app/book.js';
import { lastVersion } from '../../book/state.js';
import { ENGINE_VERSION } from '../../version.js';
import { monitorClaims } from '../../whatif/monitor.js';
import { bookInputs } from '../../book/compute.js';
import { userOf, type Web } from '../app.js';
import { cumulative, membersByMonth } from '../figures.js';
import { card, form, h, jsonIsland, table, yuan, type Html } from '../html.js';
import { MONTH_FIGURES } from '../labels.js';
import { clearingScenario, yearClaims } from '../queries.js';
import { act, field, STAFF } from '../routes.js';
import { PHASE_LABELS } from '../../book/workflow.js';
import { receiveUpload } from './import.js';

const monthName = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`;

export function registerBookPages(app: FastifyInstance, web: Web): void {
  const { service } = web;

  // ---------------------------------------------------------------- 总览
  app.get('/overview', { config: { roles: STAFF } }, async (req, reply) => {
    const { state, workflow } = service.current();
    const closed = state.months.length;
    const cum = cumulative(state);
    const paid = state.months.reduce((a, m) => a + m.paid, 0);
    const budget = lastVersion(state).budget;
    const toDate = closed > 0 ? cum[closed - 1].installments : 0;
    let projection: Html = h`<p class="muted">尚无已月结月份，暂无年终预测 / no month closed yet: no projection</p>`;
    let warning: Html = h``;
    if (closed > 0 && state.batches.length > 0) {
      const { table: claims } = await yearClaims(service);
      const m = await service.remember('monitor', () => monitorClaims(clearingScenario(state), claims, bookInputs(state), monthName(state.year, closed)));
      const last = m.months[m.months.length - 1];
      const s = m.projection.settlement;
      projection = h`<div class="cards">
        ${card('预计年末结余（超支）X', 'projected balance', yuan(last.projectedBalance), `按 ${closed} 个月的进度推算 run-rate over ${closed} month(s)`)}
        ${card('预计医共体应得 T', 'projected group total', yuan(s.groupTotal))}
        ${card('预计尚需拨付 T − 已拨', 'projected still to pay: T − paid to date', yuan(s.groupTotal - paid))}</div>`;
      if (m.warnings.length > 0 || last.overrun) {
        warning = h`<div class="flash error" id="early-warning">${m.warnings.map((w) => h`<div>⚠ ${w.zh} / ${w.en}</div>`)}${
          m.warnings.length === 0 ? h`<div>⚠ 预计超支 / an overrun is projected</div>` : ''
        }</div>`;
      } else {
        warning = h`<div class="flash ok" id="early-warning">未预警：按当前进度预计不超支 / no early warning: no overrun projected</div>`;
      }
    }
    const body = h`
      ${warning}
      <div class="cards">
        ${card('已月结', 'months closed', `${closed} / 12`)}
        ${card('累计实拨', 'paid to date', yuan(paid))}
        ${card('累计预拨额（预算线）', 'installments to date', yuan(toDate))}
        ${card('年度打包资金 P', 'package', yuan(budget.package))}
        ${card('清算状态', 'clearing', `${PHASE_LABELS[workflow.phase].zh}`, PHASE_LABELS[workflow.phase].en)}
        ${card('导入批次', 'batches', String(state.batches.length))}
      </div>
      <h2>年终预测 <small>projected year end (monitor)</small></h2>${projection}
      <div class="charts"><div class="chart" id="chart-paid" data-chart="paid"></div><div class="chart" id="chart-oog" data-chart="oog"></div></div>
      ${jsonIsland('data-overview', {
        months: cum.map((c) => c.month),
        installments: cum.map((c) => c.installments / 100),
        paid: cum.map((c) => (c.paid === null ? null : c.paid / 100)),
        outOfGroup: cum.map((c) => (c.outOfGroup === null ? null : c.outOfGroup / 100)),
      })}`;
    return web.send(reply, web.frame(req, 'overview', { scripts: ['/static/echarts.min.js'] }), body);
  });

  // ---------------------------------------------------------------- 月度
  app.get('/months', { config: { roles: STAFF } }, async (req, reply) => {
    const { state } = service.current();
    const u = userOf(req);
    const keys = Object.keys(MONTH_FIGURES) as Array<keyof typeof MONTH_FIGURES>;
    const rows = Array.from({ length: 12 }, (_, i) => ({ i, m: state.months[i] }));
    const next = state.months.length + 1;
    const closeForm =
      u.role === 'operator' && next <= 12
        ? form(
            '/months/close',
            req.session!.csrf,
            h`<input type="hidden" name="month" value="${monthName(state.year, next)}"><button id="close-month">月结 ${monthName(state.year, next)} Close the month</button>`,
            { confirm: `月结 ${monthName(state.year, next)}？月结后不可撤销 / close ${monthName(state.year, next)}? This cannot be undone` },
          )
        : '';
    const mm = membersByMonth(state);
    const body = h`${closeForm}
      <div class="chart wide" id="chart-months" data-chart="months"></div>
      ${jsonIsland('data-months', {
        months: rows.map((r) => monthName(state.year, r.i + 1)),
        installment: state.installments.map((x) => x / 100),
        workload: rows.map((r) => (r.m ? r.m.workload / 100 : null)),
        paid: rows.map((r) => (r.m ? r.m.paid / 100 : null)),
        labels: { installment: MONTH_FIGURES.installment, workload: MONTH_FIGURES.workload, paid: MONTH_FIGURES.paid },
      })}
      ${table(
        rows,
        [
          { zh: '月份', en: 'month', cell: (r) => monthName(state.year, r.i + 1) },
          { zh: '状态', en: 'state', cell: (r) => (r.m ? '已月结 closed' : '未月结 open') },
          { zh: '结算单数', en: 'claim rows', cell: (r) => (r.m ? r.m.claimRows.toLocaleString('en-US') : ''), num: true },
          ...keys.map((k) => ({
            zh: MONTH_FIGURES[k].zh,
            en: MONTH_FIGURES[k].en,
            num: true,
            cell: (r: { i: number; m: (typeof state.months)[number] | undefined }) => {
              if (k === 'installment') return yuan(state.installments[r.i]);
              if (!r.m) return '';
              const v = r.m[k];
              return v === null ? '—' : yuan(v);
            },
          })),
        ],
        { id: 'months' },
      )}
      <h2>成员 × 月份 实拨额 <small>members × months, paid</small></h2>
      ${table(
        mm,
        [
          { zh: '机构', en: 'member', cell: (r) => h`<a href="/member/${encodeURIComponent(r.id)}">${r.id}</a>` },
          ...Array.from({ length: 12 }, (_, i) => ({ zh: `${i + 1}月`, en: monthName(state.year, i + 1).slice(5), num: true, cell: (r: (typeof mm)[number]) => (r.paid[i] === null ? '' : yuan(r.paid[i]!)) })),
          { zh: '合计', en: 'total', num: true, cell: (r) => yuan(r.total) },
        ],
        { id: 'members-months' },
      )}`;
    return web.send(reply, web.frame(req, 'months', { scripts: ['/static/echarts.min.js'] }), body);
  });

  app.post('/months/close', { config: { roles: ['operator'] } }, async (req, reply) => {
    const month = field(req, 'month', 7); // (no body, or no month: bookClose says which month is missing)
    return act(req, reply, '/months', async () => (await service.bookCommand(web.actor(req), (store, ctx) => bookClose(store, month, ctx))).lines);
  });

  // ---------------------------------------------------------------- 政策
  app.get('/policy', { config: { roles: STAFF } }, async (req, reply) => {
    const { state } = service.current();
    const q = req.query as { a?: string; b?: string };
    const n = state.versions.length;
    const pick = (v: string | undefined, d: number) => {
      const i = Number(v);
      return Number.isInteger(i) && i >= 1 && i <= n ? i : d;
    };
    const a = pick(q.a, Math.max(1, n - 1));
    const b = pick(q.b, n);
    const va = state.versions[a - 1].record;
    const vb = state.versions[b - 1].record;
    const parts = diffLines(va.text, vb.text);
    const diff = parts.map((p) => h`<span class="${p.added ? 'add' : p.removed ? 'del' : 'same'}">${p.value}</span>`);
    const changed = parameterChanges(JSON.parse(va.resolved), JSON.parse(vb.resolved));
    const u = userOf(req);
    const options = (sel: number) => state.versions.map((v) => h`<option value="${v.record.index}" ${v.record.index === sel ? 'selected' : ''}>v${v.record.index} ${v.record.file}</option>`);
    const amend =
      u.role === 'reviewer' && !state.locked
        ? h`<h2>新增政策版本 <small>add a policy version (scenario file with effectiveFrom)</small></h2>
          <form id="amend-form" class="upload" data-upload="/policy/amend" data-accept=".yaml,.yml,.json">
            <input type="file" name="file" accept=".yaml,.yml,.json" required><button>上传并生效 Upload</button>
            <progress value="0" max="100" hidden></progress><div class="result"></div></form>`
        : '';
    const body = h`${table(
      state.versions,
      [
        { zh: '版本', en: 'version', cell: (v) => `v${v.record.index}` },
        { zh: '生效月份', en: 'in force from', cell: (v) => v.record.effectiveFrom },
        { zh: '文件', en: 'file', cell: (v) => v.record.file },
        { zh: '预算总额 B', en: 'budget', cell: (v) => yuan(v.budget.total), num: true },
        { zh: '打包资金 P', en: 'package', cell: (v) => yuan(v.budget.package), num: true },
        { zh: 'SHA-256', en: '', cell: (v) => h`<code>${v.record.sha256.slice(0, 16)}…</code>` },
      ],
      { id: 'versions' },
    )}
      <h2>版本对比 <small>differences between two versions</small></h2>
      <form method="get" action="/policy" class="inline"><select name="a">${options(a)}</select> → <select name="b">${options(b)}</select><button>对比 Compare</button></form>
      <h3>生效参数的变化 <small>parameters in force that differ (extends and tables resolved)</small></h3>
      ${
        changed.length === 0
          ? h`<p class="muted" id="policy-changes">两个版本的参数相同 / the two versions set the same parameters</p>`
          : table(changed, [
              { zh: '参数', en: 'key', cell: (c) => h`<code>${c.path}</code>` },
              { zh: `v${a}`, en: 'before', cell: (c) => c.before ?? '—' },
              { zh: `v${b}`, en: 'after', cell: (c) => c.after ?? '—' },
            ], { id: 'policy-changes' })
      }
      <h3>文件原文对比 <small>the files as given</small></h3>
      <pre class="diff" id="policy-diff">${diff}</pre>${amend}`;
    return web.send(reply, web.frame(req, 'policy'), body);
  });

  app.post('/policy/amend', { config: { roles: ['reviewer'] } }, async (req, reply) => {
    const upload = await receiveUpload(req, service, ['.yaml', '.yml', '.json']);
    try {
      provideExtends(upload.path, service.current().state.versions.map((v) => v.record), join(service.dir, 'files'));
      // The upload may name no file but those put beside it here: never a file of the server (`within`).
      const r = await service.bookCommand(web.actor(req), (store, ctx) => bookAmend(store, upload.path, ctx, { within: dirname(upload.path) }));
      return reply.send({ ok: true, lines: r.lines });
    } catch (e) {
      throw upload.rename(e);
    } finally {
      upload.remove();
    }
  });

  // ---------------------------------------------------------------- 审计日志
  app.get('/audit', { config: { roles: ['reviewer', 'auditor'] } }, async (req, reply) => {
    const rows = await service.exclusive(async (store) => {
      const r = await store.db.runAndReadAll('SELECT seq, recorded_at, actor, action, detail FROM audit ORDER BY seq DESC LIMIT 1000');
      return r.getRows().map(([seq, at, actor, action, detail]) => ({ seq: Number(seq), at: String(at), actor: String(actor), action: String(action), detail: String(detail) }));
    });
    const body = h`<p class="muted">最近 1000 条，最新在前 / the latest 1,000 entries, newest first · engine ${ENGINE_VERSION}</p>${table(
      rows,
      [
        { zh: '序号', en: 'seq', cell: (r) => r.seq, num: true },
        { zh: '时间', en: 'at', cell: (r) => r.at },
        { zh: '操作人', en: 'who', cell: (r) => r.actor },
        { zh: '操作', en: 'action', cell: (r) => r.action },
        { zh: '详情（含哈希）', en: 'detail (hashes)', cell: (r) => h`<code>${r.detail}</code>` },
      ],
      { id: 'audit' },
    )}`;
    return web.send(reply, web.frame(req, 'audit'), body);
  });
}


/** Every leaf `key.path = value` of a scenario object. */
function leaves(v: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) leaves(x, path === '' ? k : `${path}.${k}`, out);
  } else out.set(path, String(v));
  return out;
}

/** The keys whose values differ between two resolved versions (added and removed keys included), sorted. */
export function parameterChanges(a: unknown, b: unknown): Array<{ path: string; before?: string; after?: string }> {
  const x = leaves(a, '', new Map());
  const y = leaves(b, '', new Map());
  const keys = [...new Set([...x.keys(), ...y.keys()])].sort();
  return keys.filter((k) => x.get(k) !== y.get(k)).map((k) => ({ path: k, before: x.get(k), after: y.get(k) }));
}

/**
 * An uploaded version may `extends:` a version the book already holds, by its file name (e.g. the amendment
 * `extends: book-2024.yaml`): that version's self-contained resolved form is put beside the upload under that name,
 * with the special-case list it names (by its SHA-256, from the book's `filesDir`), so the loader reads them instead
 * of any file outside the book. Any other file the upload names is refused by the loader (`within`).
 */
function provideExtends(uploaded: string, versions: readonly VersionRecord[], filesDir: string): void {
  let obj: unknown;
  try {
    obj = parseYaml(readFileSync(uploaded, 'utf8'));
  } catch {
    return; // the loader reports the syntax error with its line
  }
  const target = obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>).extends : undefined;
  if (typeof target !== 'string' || target !== basename(target) || target === basename(uploaded)) return;
  const stored = [...versions].reverse().find((v) => v.file === target);
  if (stored === undefined) return;
  writeFileSync(join(dirname(uploaded), target), stored.resolved);
  for (const a of stored.attachments ?? []) {
    if (a.key === 'specialCases.file' && /^[0-9a-f]{64}$/.test(a.sha256)) copyFileSync(join(filesDir, a.sha256), join(dirname(uploaded), a.sha256));
  }
}
