// 下载 the book JSON (§12.8), the clearing workbook, CSV tables, the verify report and the last import's error
// report. Whole-book files are for staff; a member downloads only its own claims and statement (scoped routes).
// Every download is written to the audit log.
import { readFileSync, rmSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bookVerify } from '../../app/bookVerify.js';
import { computeClearing } from '../../book/compute.js';
import { bookJsonText } from '../../book/json.js';
import { lastVersion } from '../../book/state.js';
import { pricedClaimScanner } from '../../app/claims.js';
import { formatFen } from '../../domain/money.js';
import { BOM, csvLine } from '../../report/csv.js';
import { writeWorkbook } from '../../report/workbook/index.js';
import { METHOD_LABEL, OUTLIER_LABEL } from '../../report/workbook/labels.js';
import { ENGINE_VERSION } from '../../version.js';
import { scope, userOf, type Web } from '../app.js';
import { membersByMonth } from '../figures.js';
import { h } from '../html.js';
import { both, MEMBER_CLEARING_LABELS, MONTH_FIGURES, SETTLEMENT_LABELS } from '../labels.js';
import { bookSource, clearingScenario, memberClaims, yearActuals } from '../queries.js';
import { EVERYONE, STAFF } from '../routes.js';
import { token } from '../session.js';

function attachment(reply: FastifyReply, name: string, type: string, body: string | Buffer): FastifyReply {
  return reply.type(type).header('Content-Disposition', `attachment; filename="${name}"`).send(body);
}

const csv = (rows: readonly (readonly string[])[]): string => BOM + rows.map(csvLine).join('');

/**
 * A text cell from the claims (ids, codes) that Excel must not read as a formula: one starting with = + - @ or a
 * tab or CR gets a leading '. Only text goes through here (amounts are formatted numbers), so a leading minus is
 * never a negative amount: "-1+cmd|' /C calc'!A0" is a formula to Excel.
 */
export const excelText = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function registerDownloads(app: FastifyInstance, web: Web): void {
  const { service } = web;
  const members = () => lastVersion(service.current().state).scenario.group.members.map((m) => m.id);
  const name = (what: string, ext: string) => {
    const s = service.current().state;
    return `${s.groupId}-${s.year}-${what}.${ext}`.replace(/[^\w.-]/g, '_');
  };
  /**
   * A workbook written by `write` into a temporary file of the book's, sent as `what`.xlsx, audited with the journal
   * head of `state`; the file is removed whatever happens.
   */
  const sendWorkbook = async (req: FastifyRequest, reply: FastifyReply, what: string, state: { journal: readonly { hash: string }[] }, write: (path: string) => Promise<void>) => {
    const path = service.store.tempPath(`${what}-${token().slice(0, 16)}.xlsx`);
    try {
      await write(path);
      const bytes = readFileSync(path);
      await service.audit(web.actor(req), 'download', `${what}.xlsx head ${state.journal[state.journal.length - 1]?.hash}`);
      return attachment(reply, name(what, 'xlsx'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes);
    } finally {
      rmSync(path, { force: true });
    }
  };

  app.get('/downloads', { config: { roles: EVERYONE } }, async (req, reply) => {
    const u = userOf(req);
    const own = u.institution ? encodeURIComponent(u.institution) : undefined;
    const link = (href: string, zh: string, en: string) => h`<li><a href="${href}" download>${zh}</a> <small>${en}</small></li>`;
    const body =
      u.role === 'member'
        ? h`<ul class="downloads">${link(`/download/member/${own}/claims.csv`, '本机构结算明细及定价（CSV）', 'own claims, priced')}${link(`/download/member/${own}/statement.csv`, '本机构对账单（CSV）', 'own statement: monthly payments and clearing line')}</ul>`
        : h`<ul class="downloads">
            ${link('/download/clearing.xlsx', '清算工作簿（Excel，可逐格复核）', 'the clearing workbook (the engine workbook of the year, every figure re-addable)')}
            ${link('/download/book.xlsx', '账簿工作簿（Excel：月度、清算、补充清算、分录、批次）', 'the book workbook (book status --xlsx)')}
            ${link('/download/book.json', '账簿 JSON（§12.8）', 'the book JSON')}
            ${link('/download/months.csv', '月度预结算表（CSV）', 'months × figures')}
            ${link('/download/members-months.csv', '成员 × 月份 实拨额（CSV）', 'members × months paid')}
            ${link('/download/clearing-members.csv', '清算成员表（CSV）', 'clearing by member')}
            ${link('/download/verify.txt', '账簿核验报告', 'verification report (book verify)')}
            ${u.role === 'operator' ? link('/import/errors.csv', '最近一次被拒绝导入的错误报告（CSV）', "the last rejected import's row errors") : ''}
          </ul>
          <p class="muted">机构对账单与明细见各机构页面 / member statements and claims: on each member's page</p>`;
    return web.send(reply, web.frame(req, 'downloads'), body);
  });

  app.get('/download/book.json', { config: { roles: STAFF } }, async (req, reply) => {
    const { state, events } = service.current();
    await service.audit(web.actor(req), 'download', `book.json head ${state.journal[state.journal.length - 1]?.hash}`);
    return attachment(reply, name('book', 'json'), 'application/json; charset=utf-8', bookJsonText(state, events));
  });

  app.get('/download/months.csv', { config: { roles: STAFF } }, async (req, reply) => {
    const { state } = service.current();
    const keys = Object.keys(MONTH_FIGURES) as Array<keyof typeof MONTH_FIGURES>;
    const rows = [['月份 month', '状态 state', '结算单数 claim rows', ...keys.map((k) => both(MONTH_FIGURES[k]))]];
    for (let i = 0; i < 12; i++) {
      const m = state.months[i];
      const month = `${state.year}-${String(i + 1).padStart(2, '0')}`;
      rows.push([month, m ? 'closed' : 'open', m ? String(m.claimRows) : '', ...keys.map((k) => (k === 'installment' ? formatFen(state.installments[i]) : m ? (m[k] === null ? '' : formatFen(m[k]!)) : ''))]);
    }
    await service.audit(web.actor(req), 'download', 'months.csv');
    return attachment(reply, name('months', 'csv'), 'text/csv; charset=utf-8', csv(rows));
  });

  app.get('/download/members-months.csv', { config: { roles: STAFF } }, async (req, reply) => {
    const { state } = service.current();
    const rows = [['机构 member', ...Array.from({ length: 12 }, (_, i) => `${state.year}-${String(i + 1).padStart(2, '0')}`), '合计 total']];
    for (const m of membersByMonth(state)) rows.push([m.id, ...m.paid.map((p) => (p === null ? '' : formatFen(p))), formatFen(m.total)]);
    await service.audit(web.actor(req), 'download', 'members-months.csv');
    return attachment(reply, name('members-months', 'csv'), 'text/csv; charset=utf-8', csv(rows));
  });

  app.get('/download/clearing-members.csv', { config: { roles: STAFF } }, async (req, reply) => {
    const { state } = service.current();
    const f = (state.locked ?? state.draft?.clearing)?.figures;
    if (!f) return reply.code(404).send({ error: '尚无清算 / no clearing yet' });
    // After the lock, each supplement's clearing difference per member beside the locked line (补充清算).
    const sups = state.locked ? state.supplements : [];
    const rows = [
      ['机构 member', both(MEMBER_CLEARING_LABELS.total), both(MEMBER_CLEARING_LABELS.paid), both(MEMBER_CLEARING_LABELS.clearing), ...sups.map((sp) => `补充清算 supplement ${sp.index} Δ ${both(MEMBER_CLEARING_LABELS.clearing)}`)],
    ];
    for (const m of f.members) {
      const ds = sups.map((sp) => formatFen(sp.difference.members.find((x) => x.id === m.id)?.clearing ?? 0));
      rows.push([m.id, formatFen(m.total), formatFen(m.paid), formatFen(m.clearing), ...ds]);
    }
    rows.push([]);
    for (const [k, l] of Object.entries(SETTLEMENT_LABELS)) rows.push([both(l), formatFen(f.settlement[k as keyof typeof f.settlement])]);
    await service.audit(web.actor(req), 'download', `clearing-members.csv ${state.locked ? 'locked' : 'draft'}`);
    return attachment(reply, name('clearing', 'csv'), 'text/csv; charset=utf-8', csv(rows));
  });

  app.get('/download/clearing.xlsx', { config: { roles: STAFF } }, async (req, reply) => {
    const { state } = service.current();
    if (state.months.length < 12) return reply.code(409).send({ error: '清算需 12 个月全部月结 / the clearing needs all twelve months closed' });
    const actuals = await yearActuals(service);
    return sendWorkbook(req, reply, 'clearing', state, (path) =>
      service.exclusive(async (store) => {
        const c = await computeClearing(state, store);
        const scenario = clearingScenario(state);
        await writeWorkbook(path, {
          result: c.result,
          scenarioObject: JSON.parse(lastVersion(state).record.resolved),
          engineVersion: ENGINE_VERSION,
          scanPricedClaims: pricedClaimScanner(scenario, bookSource(store, state), actuals),
        });
      }),
    );
  });

  app.get('/download/book.xlsx', { config: { roles: STAFF } }, async (req, reply) => {
    const { state, events } = service.current();
    const { writeBookWorkbook } = await import('../../report/workbook/book.js');
    return sendWorkbook(req, reply, 'book', state, (path) => service.exclusive((store) => writeBookWorkbook(path, state, events, store)));
  });

  app.get('/download/verify.txt', { config: { roles: STAFF } }, async (req, reply) => {
    const r = await service.exclusive((store) => bookVerify(store));
    await service.audit(web.actor(req), 'download', `verify ${r.ok ? 'ok' : 'FAILED'}`);
    return attachment(reply, name('verify', 'txt'), 'text/plain; charset=utf-8', `${r.ok ? '核验通过 / verified' : '核验未通过 / verification failed'}\n${r.lines.join('\n')}\n`);
  });

  app.get('/download/member/:id/claims.csv', { config: { roles: EVERYONE } }, async (req, reply) => {
    const id = scope(req, (req.params as { id: string }).id, members());
    const { claims } = await memberClaims(service, id);
    const rows = [['单据号 claim_id', '日期 service_date', '方式 method', 'DRG', 'DIP', '总费用 total_cost', '统筹支付 fund_paid', '个人负担 patient_paid', '支付标准 standard', '分值 points', '高低倍率 outlier', '支付责任 liability', '冲销 reverses']];
    for (const p of claims) {
      const c = p.claim;
      rows.push([excelText(c.claimId), c.serviceDate, METHOD_LABEL[p.method], excelText(c.drgCode), excelText(c.dipCode), formatFen(c.totalCost), formatFen(c.fundPaid), formatFen(c.patientPaid), p.standard === undefined ? '' : formatFen(p.standard), p.points?.toFixed() ?? '', OUTLIER_LABEL[p.outlier], formatFen(p.liability), excelText(c.reverses)]);
    }
    await service.audit(web.actor(req), 'download', `member ${id} claims.csv (${claims.length} rows)`);
    return attachment(reply, name(`${id}-claims`, 'csv'), 'text/csv; charset=utf-8', csv(rows));
  });

  app.get('/download/member/:id/statement.csv', { config: { roles: EVERYONE } }, async (req, reply) => {
    const id = scope(req, (req.params as { id: string }).id, members());
    const { state, workflow } = service.current();
    const rows = [['月份 month', '支付责任 liability', '人头费 capitation', '工作量 workload', '实拨额 paid']];
    for (let i = 0; i < 12; i++) {
      const m = state.months[i]?.members.find((x) => x.id === id);
      rows.push([`${state.year}-${String(i + 1).padStart(2, '0')}`, ...(m ? [m.liability, m.capitation, m.workload, m.paid].map(formatFen) : ['', '', '', ''])]);
    }
    const visible = userOf(req).role !== 'member' || ['published', 'approved', 'locked'].includes(workflow.phase);
    const line = visible ? (state.locked ?? state.draft?.clearing)?.figures.members.find((m) => m.id === id) : undefined;
    if (line) {
      rows.push([]);
      rows.push([`清算 clearing (${workflow.phase})`, both(MEMBER_CLEARING_LABELS.total), both(MEMBER_CLEARING_LABELS.paid), both(MEMBER_CLEARING_LABELS.clearing)]);
      rows.push([id, formatFen(line.total), formatFen(line.paid), formatFen(line.clearing)]);
    }
    // After the lock: each supplement's difference for this member (补充清算), as posted.
    if (state.locked && state.supplements.length > 0) {
      rows.push([]);
      rows.push(['补充清算 supplement', '过账日期 posted', `${both(MEMBER_CLEARING_LABELS.total)} Δ`, `${both(MEMBER_CLEARING_LABELS.clearing)} Δ`]);
      for (const sp of state.supplements) {
        const d = sp.difference.members.find((m) => m.id === id);
        rows.push([String(sp.index), sp.at.slice(0, 10), d ? formatFen(d.total) : '', d ? formatFen(d.clearing) : '']);
      }
    }
    await service.audit(web.actor(req), 'download', `member ${id} statement.csv`);
    return attachment(reply, name(`${id}-statement`, 'csv'), 'text/csv; charset=utf-8', csv(rows));
  });
}
