// 清算 the clearing (waterfall B → T → Y, figures, members, checks) and its workflow; 机构 a member's own view
// (monthly payments, clearing line, DRG/DIP groups against cost, priced claims) where it confirms or objects.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bookClear, bookLock, bookSupplement } from '../../app/book.js';
import type { ClearingFigures } from '../../book/clearing.js';
import { inputStamp, lastVersion } from '../../book/state.js';
import type { BookStore } from '../../book/store.js';
import {
  appendWorkflow,
  checkApprove,
  checkLockApproved,
  checkPublish,
  checkReply,
  checkRespond,
  PHASE_LABELS,
  RESPONSE_LABELS,
  type WorkflowAction,
  workflowState,
  readWorkflow,
} from '../../book/workflow.js';
import { InputRejected } from '../../domain/errors.js';
import type { InputError } from '../../domain/types.js';
import { METHOD_LABEL, OUTLIER_LABEL } from '../../report/workbook/labels.js';
import { scope, userOf, type Web } from '../app.js';
import { membersByMonth, waterfall } from '../figures.js';
import { card, form, h, jsonIsland, table, yuan, type Html } from '../html.js';
import { CARRY_FORWARD_LABELS, MEMBER_CLEARING_LABELS, SETTLEMENT_LABELS, WATERFALL_LABELS } from '../labels.js';
import { memberClaims } from '../queries.js';
import { act, EVERYONE, field, STAFF } from '../routes.js';
import type { BookService } from '../service.js';

const DAY = 24 * 60 * 60 * 1000;

/** The clearing a page shows: the locked one, else the current draft. */
function shownClearing(service: BookService): ClearingFigures | undefined {
  const s = service.current().state;
  return (s.locked ?? s.draft?.clearing)?.figures;
}

/** Records a workflow event after checking it against the workflow folded inside the same queue turn. */
async function workflowAction(
  service: BookService,
  actor: string,
  action: WorkflowAction,
  check: (w: ReturnType<typeof workflowState>) => InputError[],
  fields: { institution?: string; comment?: string; deadline?: string } = {},
): Promise<void> {
  await service.command(async (store: BookStore) => {
    const state = service.current().state;
    const w = workflowState(state, await readWorkflow(store.db));
    const errors = check(w);
    if (errors.length > 0) throw new InputRejected(errors);
    const at = service.now();
    await store.begin();
    try {
      await appendWorkflow(store.db, { at, actor, action, draft: w.draft!, institution: fields.institution ?? null, comment: fields.comment ?? null, deadline: fields.deadline ?? null });
      await store.audit(at, actor, `workflow.${action}`, `draft ${w.draft}${fields.institution ? ` institution ${fields.institution}` : ''}${fields.comment ? ` comment ${JSON.stringify(fields.comment)}` : ''}${fields.deadline ? ` deadline ${fields.deadline}` : ''}`);
      await store.commit();
    } catch (e) {
      await store.rollback();
      throw e;
    }
  });
}

function history(service: BookService, institution?: string): Html {
  const rows = service.current().workflowEvents.filter((e) => institution === undefined || e.institution === null || e.institution === institution);
  return table(
    [...rows].reverse(),
    [
      { zh: '时间', en: 'at', cell: (e) => e.at },
      { zh: '操作人', en: 'who', cell: (e) => e.actor },
      { zh: '操作', en: 'action', cell: (e) => e.action },
      { zh: '机构', en: 'member', cell: (e) => e.institution ?? '' },
      { zh: '意见', en: 'comment', cell: (e) => e.comment ?? (e.deadline ? `期限 deadline ${e.deadline}` : '') },
      { zh: '草稿', en: 'draft', cell: (e) => h`<code>${e.draft}</code>` },
    ],
    { id: 'workflow-history' },
  );
}

export function registerClearingPages(app: FastifyInstance, web: Web): void {
  const { service } = web;
  const members = () => lastVersion(service.current().state).scenario.group.members.map((m) => m.id);

  // ---------------------------------------------------------------- 清算
  app.get('/clearing', { config: { roles: STAFF } }, async (req, reply) => {
    const { state, workflow } = service.current();
    const u = userOf(req);
    const csrf = req.session!.csrf;
    const f = shownClearing(service);
    const actions: Html[] = [];
    if (u.role === 'operator' && !state.locked && state.months.length === 12) {
      actions.push(form('/clearing/recompute', csrf, h`<button id="recompute">${state.draft ? '重新计算清算草稿 Recompute the draft' : '计算清算草稿 Compute the draft clearing'}</button>`));
    }
    if (u.role === 'operator' && workflow.phase === 'draft') {
      actions.push(
        form('/clearing/publish', csrf, h`<label>确认期限（天）Days to respond <input name="days" type="number" min="1" max="60" value="7"></label><button id="publish">发布给机构确认 Publish to members</button>`),
      );
    }
    if (u.role === 'operator' && state.locked && state.postedStamp !== inputStamp(state)) {
      actions.push(form('/clearing/supplement', csrf, h`<button id="supplement">补充清算（锁定后新导入的批次）Supplementary settlement</button>`, { confirm: '对锁定后导入的批次进行补充清算并过账差额？/ Post a supplement for the batches imported since the lock?' }));
    }
    if (u.role === 'reviewer' && workflow.phase === 'published') actions.push(form('/clearing/approve', csrf, h`<button id="approve">审核通过 Approve</button>`));
    if (u.role === 'reviewer' && workflow.phase === 'approved') {
      actions.push(form('/clearing/lock', csrf, h`<button id="lock" class="danger">锁定年度清算 Lock the year</button>`, { confirm: '锁定后清算不可更改 / a locked clearing never changes. Lock?' }));
    }
    const status = h`<div class="status phase-${workflow.phase}" id="workflow-phase">流程状态 <b>${PHASE_LABELS[workflow.phase].zh}</b> ${PHASE_LABELS[workflow.phase].en}${
      workflow.deadline ? h` · 确认期限 deadline ${workflow.deadline}` : ''
    }</div>`;
    if (!f) {
      const body = h`${status}<div class="actions">${actions}</div><p class="muted">${state.months.length < 12 ? `清算需 12 个月全部月结（已月结 ${state.months.length}）/ the clearing needs all twelve months closed (${state.months.length} so far)` : '尚未计算清算草稿 / no draft clearing yet'}</p>${history(service)}`;
      return web.send(reply, web.frame(req, 'clearing'), body);
    }
    const steps = waterfall(state, f);
    const s = f.settlement;
    const responses = new Map(workflow.responses.map((r) => [r.id, r]));
    const replyForm = (id: string): Html =>
      u.role === 'operator' && workflow.phase === 'published' && responses.get(id)?.status === 'objected'
        ? form('/clearing/reply', csrf, h`<input type="hidden" name="institution" value="${id}"><input name="comment" required placeholder="答复 reply" class="reply-text"><button class="reply">答复 Reply</button>`)
        : h``;
    const sumClearing = f.members.reduce((a, m) => a + m.clearing, 0);
    const checks = [
      { zh: '预算守恒：B = T + D + 基金留存', en: 'budget conservation: B = T + D + fund kept', ok: steps[0].amount === s.groupTotal - steps[2].amount + s.fundRetained },
      { zh: 'Y = T − Σ 按月拨付', en: 'Y = T − Σ paid monthly', ok: s.yearEndPayment === s.groupTotal - s.paid },
      { zh: 'Σ 成员清算拨付 = Y + 储备金使用 − 提取', en: 'Σ member clearing = Y + reserve used − added', ok: sumClearing === s.yearEndPayment + f.carryForward.used - f.carryForward.added },
    ];
    const body = h`${status}<div class="actions">${actions}</div>
      <div class="cards">${card(SETTLEMENT_LABELS.groupTotal.zh, SETTLEMENT_LABELS.groupTotal.en, yuan(s.groupTotal))}${card(SETTLEMENT_LABELS.paid.zh, SETTLEMENT_LABELS.paid.en, yuan(s.paid))}${card(
        SETTLEMENT_LABELS.yearEndPayment.zh,
        SETTLEMENT_LABELS.yearEndPayment.en,
        yuan(s.yearEndPayment),
      )}</div>
      <h2>清算瀑布 <small>waterfall B → T → Y</small></h2>
      <div class="chart wide" id="chart-waterfall" data-chart="waterfall"></div>
      ${jsonIsland('data-waterfall', steps.map((x) => ({ label: `${WATERFALL_LABELS[x.key].zh}\n${WATERFALL_LABELS[x.key].en}`, amount: x.amount / 100, kind: x.kind })))}
      ${table(steps, [
        { zh: '项目', en: 'item', cell: (x) => h`${WATERFALL_LABELS[x.key].zh} <small>${WATERFALL_LABELS[x.key].en}</small>` },
        { zh: '金额', en: 'amount', cell: (x) => (x.kind === 'step' && x.amount > 0 ? `+${yuan(x.amount)}` : yuan(x.amount)), num: true },
      ], { id: 'waterfall' })}
      <h2>清算数据 <small>clearing figures</small></h2>
      ${table(
        Object.entries(SETTLEMENT_LABELS).map(([k, l]) => ({ l, v: s[k as keyof typeof s] })),
        [
          { zh: '项目', en: 'figure', cell: (r) => h`${r.l.zh} <small>${r.l.en}</small>` },
          { zh: '金额', en: 'amount', cell: (r) => yuan(r.v), num: true },
        ],
        { id: 'settlement' },
      )}
      ${table(
        Object.entries(CARRY_FORWARD_LABELS).map(([k, l]) => ({ l, v: f.carryForward[k as keyof typeof f.carryForward] })),
        [
          { zh: '结转储备金', en: 'carry-forward reserve', cell: (r) => h`${r.l.zh} <small>${r.l.en}</small>` },
          { zh: '金额', en: 'amount', cell: (r) => yuan(r.v), num: true },
        ],
      )}
      <h2>成员 <small>members</small></h2>
      ${table(
        f.members,
        [
          { zh: '机构', en: 'member', cell: (m) => h`<a href="/member/${encodeURIComponent(m.id)}">${m.id}</a>` },
          ...(['total', 'paid', 'clearing'] as const).map((k) => ({ zh: MEMBER_CLEARING_LABELS[k].zh, en: MEMBER_CLEARING_LABELS[k].en, num: true, cell: (m: (typeof f.members)[number]) => yuan(m[k]) })),
          { zh: '确认', en: 'response', cell: (m) => { const r = responses.get(m.id); return r ? `${RESPONSE_LABELS[r.status].zh} ${RESPONSE_LABELS[r.status].en}` : ''; } },
          { zh: '异议 / 答复', en: 'objection / reply', cell: (m) => { const r = responses.get(m.id); return h`${r?.comment ?? ''}${r?.reply ? h`<div class="reply-shown">↳ ${r.reply}</div>` : ''}${replyForm(m.id)}`; } },
        ],
        { id: 'clearing-members' },
      )}
      <h2>校验 <small>checks</small></h2>
      ${table(checks, [
        { zh: '校验', en: 'check', cell: (c) => h`${c.zh} <small>${c.en}</small>` },
        { zh: '结果', en: 'result', cell: (c) => (c.ok ? h`<span class="ok">✓ 通过 pass</span>` : h`<span class="bad">✗ 不通过 fail</span>`) },
      ], { id: 'checks' })}
      ${
        state.supplements.length > 0
          ? h`<h2>补充清算 <small>supplementary settlements (differences posted after the lock)</small></h2>${table(
              state.supplements,
              [
                { zh: '次序', en: 'index', cell: (x) => x.index, num: true },
                { zh: '时间', en: 'at', cell: (x) => x.at },
                { zh: '新批次', en: 'new batches', cell: (x) => x.newBatches.length, num: true },
                { zh: 'ΔT', en: 'group total', cell: (x) => yuan(x.difference.settlement.groupTotal), num: true },
                { zh: 'ΔY', en: 'year-end payment', cell: (x) => yuan(x.difference.settlement.yearEndPayment), num: true },
              ],
              { id: 'supplements' },
            )}`
          : ''
      }
      <h2>流程记录 <small>workflow history</small></h2>${history(service)}`;
    return web.send(reply, web.frame(req, 'clearing', { scripts: ['/static/echarts.min.js'] }), body);
  });

  app.post('/clearing/recompute', { config: { roles: ['operator'] } }, async (req, reply) =>
    act(req, reply, '/clearing', async () => (await service.bookCommand(web.actor(req), (store, ctx) => bookClear(store, ctx))).lines),
  );

  app.post('/clearing/supplement', { config: { roles: ['operator'] } }, async (req, reply) =>
    act(req, reply, '/clearing', async () => {
      const r = await service.bookCommand(web.actor(req), (store, ctx) => bookSupplement(store, ctx));
      return [...r.lines, ...r.warnings];
    }),
  );

  app.post('/clearing/publish', { config: { roles: ['operator'] } }, async (req, reply) =>
    act(req, reply, '/clearing', async () => {
      const days = Math.min(60, Math.max(1, Math.trunc(Number(field(req, 'days', 4)) || 7)));
      const deadline = new Date(Date.parse(service.now()) + days * DAY).toISOString();
      await workflowAction(service, web.actor(req), 'publish', checkPublish, { deadline });
      return [`清算草稿已发布，机构须在 ${deadline} 前确认 / the draft is published; members respond by ${deadline}`];
    }),
  );

  app.post('/clearing/reply', { config: { roles: ['operator'] } }, async (req, reply) =>
    act(req, reply, '/clearing', async () => {
      const institution = scope(req, field(req, 'institution', 64), members());
      const comment = field(req, 'comment');
      await workflowAction(service, web.actor(req), 'reply', (w) => checkReply(w, institution, comment), { institution, comment });
      return [`已答复 ${institution} 的异议 / replied to ${institution}'s objection`];
    }),
  );

  app.post('/clearing/approve', { config: { roles: ['reviewer'] } }, async (req, reply) =>
    act(req, reply, '/clearing', async () => {
      await workflowAction(service, web.actor(req), 'approve', (w) => checkApprove(w, service.now()));
      return ['清算已审核通过，可以锁定 / the clearing is approved and may be locked'];
    }),
  );

  app.post('/clearing/lock', { config: { roles: ['reviewer'] } }, async (req, reply) =>
    act(req, reply, '/clearing', async () => {
      const r = await service.bookCommand(web.actor(req), async (store, ctx) => {
        const errors = checkLockApproved(workflowState(service.current().state, await readWorkflow(store.db)));
        if (errors.length > 0) throw new InputRejected(errors);
        return bookLock(store, ctx);
      });
      return r.lines;
    }),
  );

  // ---------------------------------------------------------------- 机构
  app.get('/member', { config: { roles: EVERYONE } }, async (req, reply) => {
    const u = userOf(req);
    if (u.role === 'member') return reply.redirect(`/member/${encodeURIComponent(u.institution!)}`, 303);
    const list = lastVersion(service.current().state).scenario.group.members;
    return web.send(reply, web.frame(req, 'member'), h`<ul class="members">${list.map((m) => h`<li><a href="/member/${encodeURIComponent(m.id)}">${m.id}</a> ${m.name ?? ''}</li>`)}</ul>`);
  });

  app.get('/member/:id', { config: { roles: EVERYONE } }, async (req, reply) => {
    const id = scope(req, (req.params as { id: string }).id, members());
    const { state, workflow } = service.current();
    const u = userOf(req);
    const member = lastVersion(state).scenario.group.members.find((m) => m.id === id)!;
    const mm = membersByMonth(state).find((m) => m.id === id)!;
    const responding = ['published', 'approved', 'locked'].includes(workflow.phase);
    const visible = u.role !== 'member' || responding;
    const line = visible ? shownClearing(service)?.members.find((m) => m.id === id) : undefined;
    const response = workflow.responses.find((r) => r.id === id);
    const respond =
      u.role === 'member' && workflow.phase === 'published'
        ? h`<div class="actions">${form(`/member/${encodeURIComponent(id)}/confirm`, req.session!.csrf, h`<button id="confirm">确认清算结果 Confirm</button>`)}
            ${form(`/member/${encodeURIComponent(id)}/object`, req.session!.csrf, h`<textarea name="comment" required maxlength="2000" placeholder="异议理由 the objection" id="objection"></textarea><button id="object">提出异议 Object</button>`)}</div>`
        : h``;
    const claims = await memberClaims(service, id);
    const body = h`<h2>${id} ${member.name ?? ''} <small>${member.tier}</small></h2>
      <div class="status phase-${workflow.phase}" id="member-phase">清算 <b>${PHASE_LABELS[workflow.phase].zh}</b> ${PHASE_LABELS[workflow.phase].en}${
        response && responding ? h` · 本机构 this member: <b id="my-response">${RESPONSE_LABELS[response.status].zh} ${RESPONSE_LABELS[response.status].en}</b>` : ''
      }${workflow.deadline ? h` · 期限 deadline ${workflow.deadline}` : ''}</div>
      ${response?.comment ? h`<p>异议 objection: ${response.comment}${response.reply ? h`<br>答复 reply: ${response.reply}` : ''}</p>` : ''}
      ${
        line
          ? h`<div class="cards" id="clearing-line">${card(MEMBER_CLEARING_LABELS.total.zh, MEMBER_CLEARING_LABELS.total.en, yuan(line.total))}${card(MEMBER_CLEARING_LABELS.paid.zh, MEMBER_CLEARING_LABELS.paid.en, yuan(line.paid))}${card(
              MEMBER_CLEARING_LABELS.clearing.zh,
              MEMBER_CLEARING_LABELS.clearing.en,
              yuan(line.clearing),
            )}</div>`
          : h`<p class="muted">${u.role === 'member' ? '清算结果发布后在此显示 / the clearing line shows here once published' : '尚无清算草稿 / no draft clearing yet'}</p>`
      }
      ${respond}
      ${
        state.locked && state.supplements.length > 0
          ? h`<h2>补充清算 <small>supplements: this member's differences, posted after the lock</small></h2>
      ${table(
        state.supplements.map((sp) => ({ sp, d: sp.difference.members.find((m) => m.id === id) })),
        [
          { zh: '次序', en: 'supplement', cell: (r) => r.sp.index, num: true },
          { zh: '过账日期', en: 'posted', cell: (r) => r.sp.at.slice(0, 10) },
          { zh: MEMBER_CLEARING_LABELS.total.zh + '差额', en: `Δ ${MEMBER_CLEARING_LABELS.total.en}`, cell: (r) => (r.d ? yuan(r.d.total) : ''), num: true },
          { zh: MEMBER_CLEARING_LABELS.clearing.zh + '差额', en: `Δ ${MEMBER_CLEARING_LABELS.clearing.en}`, cell: (r) => (r.d ? yuan(r.d.clearing) : ''), num: true },
        ],
        { id: 'member-supplements' },
      )}`
          : ''
      }
      <h2>按月拨付 <small>monthly payments</small></h2>
      ${table(
        mm.paid.map((p, i) => ({ i, p, m: state.months[i]?.members.find((x) => x.id === id) })),
        [
          { zh: '月份', en: 'month', cell: (r) => `${state.year}-${String(r.i + 1).padStart(2, '0')}` },
          { zh: '支付责任', en: 'liability', cell: (r) => (r.m ? yuan(r.m.liability) : ''), num: true },
          { zh: '人头费', en: 'capitation', cell: (r) => (r.m ? yuan(r.m.capitation) : ''), num: true },
          { zh: '工作量', en: 'workload', cell: (r) => (r.m ? yuan(r.m.workload) : ''), num: true },
          { zh: '实拨额', en: 'paid', cell: (r) => (r.p === null ? '' : yuan(r.p)), num: true },
        ],
        { id: 'member-months' },
      )}
      <h2>DRG/DIP 病组盈亏 <small>groups priced against fee-for-service (gain = liability − fund paid)</small></h2>
      ${table(
        claims.groups,
        [
          { zh: '方式', en: 'method', cell: (g) => METHOD_LABEL[g.method] },
          { zh: '病组', en: 'group', cell: (g) => g.code },
          { zh: '例数', en: 'claims', cell: (g) => g.claims, num: true },
          { zh: '医疗总费用', en: 'total cost', cell: (g) => yuan(g.totalCost), num: true },
          { zh: '统筹支付（按项目）', en: 'fund paid', cell: (g) => yuan(g.fundPaid), num: true },
          { zh: '按病组支付责任', en: 'liability', cell: (g) => yuan(g.liability), num: true },
          { zh: '盈亏', en: 'gain (loss)', cell: (g) => h`<span class="${g.gain < 0 ? 'bad' : 'ok'}">${yuan(g.gain)}</span>`, num: true },
        ],
        { id: 'member-groups' },
      )}
      <h2>结算明细及定价 <small>claims and how each was priced (first 200 of ${claims.claims.length.toLocaleString('en-US')}; all in the CSV download)</small></h2>
      <p><a href="/download/member/${encodeURIComponent(id)}/claims.csv" id="member-claims-csv">下载全部明细 CSV / all claims (CSV)</a> · <a href="/download/member/${encodeURIComponent(id)}/statement.csv">对账单 CSV / statement (CSV)</a></p>
      ${table(
        claims.claims.slice(0, 200),
        [
          { zh: '单据号', en: 'claim', cell: (p) => p.claim.claimId },
          { zh: '日期', en: 'date', cell: (p) => p.claim.serviceDate },
          { zh: '方式', en: 'method', cell: (p) => METHOD_LABEL[p.method] },
          { zh: '病组', en: 'group', cell: (p) => p.claim.drgCode || p.claim.dipCode },
          { zh: '总费用', en: 'cost', cell: (p) => yuan(p.claim.totalCost), num: true },
          { zh: '统筹支付', en: 'fund paid', cell: (p) => yuan(p.claim.fundPaid), num: true },
          { zh: '支付标准', en: 'standard', cell: (p) => (p.standard === undefined ? '' : yuan(p.standard)), num: true },
          { zh: '高低倍率', en: 'outlier', cell: (p) => (p.outlier === 'none' ? '' : OUTLIER_LABEL[p.outlier]) },
          { zh: '支付责任', en: 'liability', cell: (p) => yuan(p.liability), num: true },
          { zh: '冲销', en: 'reverses', cell: (p) => p.claim.reverses },
        ],
        { id: 'member-claims' },
      )}
      <h2>流程记录 <small>workflow history</small></h2>${history(service, id)}`;
    return web.send(reply, web.frame(req, 'member'), body);
  });

  const respond = (action: 'confirm' | 'object') => async (req: FastifyRequest, reply: Parameters<typeof act>[1]) => {
    const u = userOf(req);
    const id = scope(req, (req.params as { id: string }).id, members());
    if (u.institution !== id) return reply.code(403).send({ error: '只有本机构可以确认或提出异议 / only the member itself confirms or objects' });
    const back = `/member/${encodeURIComponent(id)}`;
    return act(req, reply, back, async () => {
      const comment = action === 'object' ? field(req, 'comment') : null;
      await workflowAction(service, web.actor(req), action, (w) => checkRespond(w, id, service.now(), comment), { institution: id, comment: comment ?? undefined });
      return [action === 'confirm' ? '已确认清算结果 / confirmed' : '已提出异议 / objection recorded'];
    });
  };
  app.post('/member/:id/confirm', { config: { roles: ['member'] } }, respond('confirm'));
  app.post('/member/:id/object', { config: { roles: ['member'] } }, respond('object'));
}
