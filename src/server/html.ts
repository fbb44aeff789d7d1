// Server-rendered HTML: escaping, the page frame (navigation by role), tables and forms. Every text that comes
// from data passes through `esc`; nothing builds HTML from user input without it.
import type { Role, User } from '../book/users.js';
import { ROLE_LABELS } from '../book/users.js';
import { formatFenGrouped, parseYuanToFen } from '../domain/money.js';

export type Html = { readonly html: string };
const raw = (html: string): Html => ({ html });

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Tagged template: interpolations are escaped unless they are Html (or arrays of Html). */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return raw(out);
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object' && 'html' in (v as object)) return (v as Html).html;
  return esc(v);
}

/** Money in fen, grouped, two decimals (e.g. 1,234,567.89). */
export const yuan = (fen: number): string => formatFenGrouped(fen);

/** A two-decimal money string of the JSON contract, shown grouped. */
export function yuanText(text: unknown): string {
  if (text === null || text === undefined) return '—';
  const f = parseYuanToFen(String(text));
  return f === undefined ? String(text) : formatFenGrouped(f);
}

export interface NavItem {
  readonly href: string;
  readonly zh: string;
  readonly en: string;
  readonly roles: readonly Role[];
}

/** The pages (one source for their labels and who may open them). */
export const PAGES = {
  overview: { href: '/overview', zh: '总览', en: 'Overview', roles: ['operator', 'reviewer', 'auditor'] },
  import: { href: '/import', zh: '导入', en: 'Import', roles: ['operator', 'reviewer', 'auditor'] },
  months: { href: '/months', zh: '月度', en: 'Months', roles: ['operator', 'reviewer', 'auditor'] },
  clearing: { href: '/clearing', zh: '清算', en: 'Clearing', roles: ['operator', 'reviewer', 'auditor'] },
  member: { href: '/member', zh: '机构', en: 'Member', roles: ['operator', 'reviewer', 'member', 'auditor'] },
  whatif: { href: '/whatif', zh: '测算', en: 'What-if', roles: ['operator', 'reviewer', 'auditor'] },
  policy: { href: '/policy', zh: '政策', en: 'Policy', roles: ['operator', 'reviewer', 'auditor'] },
  downloads: { href: '/downloads', zh: '下载', en: 'Downloads', roles: ['operator', 'reviewer', 'member', 'auditor'] },
  audit: { href: '/audit', zh: '审计日志', en: 'Audit log', roles: ['reviewer', 'auditor'] },
} as const satisfies Record<string, NavItem>;
export type PageId = keyof typeof PAGES;

export interface Frame {
  readonly title: PageId | 'login';
  readonly user?: User;
  readonly csrf?: string;
  readonly book?: { readonly groupId: string; readonly year: number; readonly locked: boolean };
  readonly flash?: { kind: 'ok' | 'error'; lines: string[] };
  readonly scripts?: readonly string[];
}

export function page(frame: Frame, body: Html): string {
  const title = frame.title === 'login' ? { zh: '登录', en: 'Sign in' } : PAGES[frame.title];
  const u = frame.user;
  const nav = u
    ? Object.entries(PAGES)
        .filter(([, p]) => (p.roles as readonly Role[]).includes(u.role))
        .map(([id, p]) => {
          const href = id === 'member' && u.institution ? `/member/${encodeURIComponent(u.institution)}` : p.href;
          return h`<a href="${href}" class="${id === frame.title ? 'active' : ''}" data-page="${id}">${p.zh}<small>${p.en}</small></a>`;
        })
    : [];
  const who = u
    ? h`<div class="who"><span>${u.name} · ${ROLE_LABELS[u.role].zh} ${ROLE_LABELS[u.role].en}${u.institution ? ` · ${u.institution}` : ''}</span>
        <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${frame.csrf ?? ''}"><button class="link">退出 Sign out</button></form></div>`
    : '';
  const book = frame.book ? h`<div class="book">${frame.book.groupId} · ${frame.book.year} 年度${frame.book.locked ? ' · 已锁定 locked' : ''}</div>` : '';
  const flash = frame.flash ? h`<div class="flash ${frame.flash.kind}">${frame.flash.lines.map((l) => h`<div>${l}</div>`)}</div>` : '';
  const scripts = (frame.scripts ?? []).map((s) => h`<script src="${s}"></script>`);
  return `<!doctype html>${
    h`<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.zh} ${title.en} · 医保结算 yibao</title><link rel="stylesheet" href="/static/app.css">
<meta name="csrf-token" content="${frame.csrf ?? ''}"></head>
<body><header><div class="brand">医保总额结算 <small>yibao</small></div>${book}${who}</header>
<nav>${nav}</nav><main><h1>${title.zh} <small>${title.en}</small></h1>${flash}${body}</main>
${scripts}<script src="/static/app.js"></script></body></html>`.html
  }`;
}

export interface Column<T> {
  readonly zh: string;
  readonly en: string;
  readonly cell: (row: T) => unknown;
  readonly num?: boolean;
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[], attrs: { id?: string; foot?: Html } = {}): Html {
  return h`<div class="scroll"><table${attrs.id ? raw(` id="${esc(attrs.id)}"`) : ''}><thead><tr>${columns.map(
    (c) => h`<th class="${c.num ? 'num' : ''}">${c.zh}<small>${c.en}</small></th>`,
  )}</tr></thead><tbody>${rows.map((r) => h`<tr>${columns.map((c) => h`<td class="${c.num ? 'num' : ''}">${c.cell(r)}</td>`)}</tr>`)}</tbody>${
    attrs.foot ?? ''
  }</table></div>`;
}

/** A POST form with the CSRF token. */
export function form(action: string, csrf: string, inner: Html, attrs: { id?: string; confirm?: string } = {}): Html {
  return h`<form method="post" action="${action}"${attrs.id ? raw(` id="${esc(attrs.id)}"`) : ''}${
    attrs.confirm ? raw(` data-confirm="${esc(attrs.confirm)}"`) : ''
  }><input type="hidden" name="_csrf" value="${csrf}">${inner}</form>`;
}

export function card(zh: string, en: string, value: unknown, note?: unknown): Html {
  return h`<div class="card"><div class="label">${zh}<small>${en}</small></div><div class="value">${value}</div>${note ? h`<div class="note">${note}</div>` : ''}</div>`;
}

/** JSON for an inline data island (`<script type="application/json">`), safe against `</script>`. */
export function jsonIsland(id: string, data: unknown): Html {
  return raw(`<script type="application/json" id="${esc(id)}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
}
