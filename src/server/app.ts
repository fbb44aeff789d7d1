// `yibao serve`: the web workspace over one book. Fastify with its own plugins for cookies, form bodies, multipart
// uploads and rate limits. Security lives here, once, for every route:
//   - every route declares who may use it (`config.roles`; a route without it is refused — deny by default);
//   - members are scoped to their institution by the routes that take an institution (`scope`);
//   - every POST (but the login form, which has its own double-submit token) carries the session's CSRF token;
//   - the auditor writes nothing (no POST route lists the auditor);
//   - login attempts are rate limited per address and slowed after five failures per name or address.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { checkPassword, userExists, type Role, type User } from '../book/users.js';
import { InputRejected, InvariantViolation } from '../domain/errors.js';
import type { InputError } from '../domain/types.js';
import { h, page, PAGES, type Frame, type Html } from './html.js';
import { LOGIN_COOKIE, LoginThrottle, SESSION_COOKIE, type Session, Sessions, sameToken, token } from './session.js';
import type { BookService } from './service.js';
import { registerPages } from './routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    session?: Session;
  }
  interface FastifyContextConfig {
    /** Who may use the route; 'public' for the login page and static files. */
    roles?: readonly Role[] | 'public';
  }
}

export interface ServerOptions {
  /** Mark cookies Secure (when served over HTTPS, e.g. behind a reverse proxy). */
  readonly secureCookies?: boolean;
  /** Largest upload accepted, bytes (default 512 MiB). */
  readonly maxUploadBytes?: number;
  /** The clock for sessions and the login throttle (ms); the book's clock is the service's. */
  readonly clock?: () => number;
  /** Login attempts per minute per address before the rate limiter answers 429 (default 30). */
  readonly loginPerMinute?: number;
}

export interface Web {
  readonly service: BookService;
  readonly sessions: Sessions;
  readonly options: Required<Pick<ServerOptions, 'maxUploadBytes'>> & ServerOptions;
  /** The frame of a page for this request's user. */
  frame(req: FastifyRequest, title: Frame['title'], extra?: Partial<Frame>): Frame;
  /** Sends a whole page. */
  send(reply: FastifyReply, frame: Frame, body: Html): FastifyReply;
  /** The actor written to the audit log: `name (role[:institution])`. */
  actor(req: FastifyRequest): string;
}

const STATIC_DIR = new URL('../../web/', import.meta.url);
const require = createRequire(import.meta.url);

export function userOf(req: FastifyRequest): User {
  if (!req.session) throw new Error('route without a session');
  return req.session.user;
}

export class Forbidden extends Error {
  constructor(readonly zh: string, readonly en: string) {
    super(en);
  }
}

/** A member may only name its own institution; other roles any of the group's members. */
export function scope(req: FastifyRequest, institution: string, members: readonly string[]): string {
  const u = userOf(req);
  if (u.role === 'member' && u.institution !== institution) throw new Forbidden('机构用户只能查看本机构的数据', "a member user sees only its own institution's data");
  if (!members.includes(institution)) throw new Forbidden('没有这个成员机构', 'no such member institution');
  return institution;
}

export async function buildServer(service: BookService, options: ServerOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? (() => Date.now());
  const sessions = new Sessions(clock);
  const throttle = new LoginThrottle(clock);
  const maxUploadBytes = options.maxUploadBytes ?? 512 * 1024 * 1024;
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 } });
  await app.register(rateLimit, { global: false });

  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: options.secureCookies === true };

  const web: Web = {
    service,
    sessions,
    options: { ...options, maxUploadBytes },
    frame(req, title, extra = {}) {
      const s = service.current().state;
      const flash = req.session?.flash;
      if (req.session) req.session.flash = undefined;
      return { title, user: req.session?.user, csrf: req.session?.csrf, book: { groupId: s.groupId, year: s.year, locked: s.locked !== undefined }, flash, ...extra };
    },
    send(reply, frame, body) {
      return reply.type('text/html; charset=utf-8').send(page(frame, body));
    },
    actor(req) {
      const u = userOf(req);
      return `${u.name} (${u.role}${u.institution ? `:${u.institution}` : ''})`;
    },
  };

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'");
    reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.addHook('onRequest', async (req) => {
    req.session = sessions.get(req.cookies[SESSION_COOKIE]);
  });

  // Who may use the route, then the CSRF token of every state-changing request.
  app.addHook('preHandler', async (req, reply) => {
    if (req.routeOptions.url === undefined) return reply.code(404).send({ error: 'not found' }); // no route: no redirects, no cookies
    const roles = req.routeOptions.config?.roles;
    if (roles === 'public') return;
    if (!req.session) {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/download/')) return reply.redirect('/login', 303);
      return reply.code(401).send({ error: 'login required / 请先登录' });
    }
    if (!roles || !roles.includes(req.session.user.role)) {
      return refuse(web, req, reply, 403, '无权执行此操作', 'your role may not do this');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const body = req.body as Record<string, unknown> | undefined;
      const sent = (req.headers['x-csrf-token'] as string | undefined) ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
      if (!sameToken(sent, req.session.csrf)) return refuse(web, req, reply, 403, '缺少或错误的 CSRF 令牌（请刷新页面后重试）', 'missing or wrong CSRF token (reload the page and try again)');
    }
  });

  app.setErrorHandler(async (err: Error, req, reply) => {
    if (err instanceof Forbidden) return refuse(web, req, reply, 403, err.zh, err.en);
    if (err instanceof InputRejected) return reply.code(422).send({ error: 'input rejected', errors: err.errors, total: err.totalErrors });
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 429) return reply.code(429).send({ error: '请求过于频繁，请稍后再试 / too many requests, try again later' });
    if (status === 413 || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return reply.code(413).send({ error: `文件过大（上限 ${maxUploadBytes} 字节）/ file too large (limit ${maxUploadBytes} bytes)` });
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: err.message });
    req.log.error(err);
    const what = err instanceof InvariantViolation ? '内部校验失败（程序缺陷）/ an invariant failed (a bug)' : '服务器错误 / server error';
    return reply.code(500).send({ error: what, detail: err.message });
  });

  // ------------------------------------------------------------ static files (the page scripts, styles, ECharts)
  const statics: Record<string, { type: string; path: string | URL }> = {
    'app.js': { type: 'text/javascript; charset=utf-8', path: new URL('app.js', STATIC_DIR) },
    'app.css': { type: 'text/css; charset=utf-8', path: new URL('app.css', STATIC_DIR) },
    'echarts.min.js': { type: 'text/javascript; charset=utf-8', path: require.resolve('echarts/dist/echarts.min') },
  };
  const cache = new Map<string, Buffer>();
  app.get('/static/:name', { config: { roles: 'public' } }, async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const f = Object.hasOwn(statics, name) ? statics[name] : undefined; // a fixed list: no path from the request
    if (!f) return reply.code(404).send({ error: 'not found' });
    let bytes = cache.get(name);
    if (!bytes) {
      bytes = readFileSync(f.path);
      cache.set(name, bytes);
    }
    return reply.type(f.type).header('Cache-Control', 'private, max-age=3600').send(bytes);
  });

  // ------------------------------------------------------------ login / logout
  /** The name a refused sign-in is audited under: none that no user has (it may be a password typed into the wrong field). */
  const auditedName = async (name: string): Promise<string> =>
    name !== '' && (await service.exclusive((store) => userExists(store.db, name))) ? name : '(unknown name)';
  const loginPage = (reply: FastifyReply, message?: string, status = 200) => {
    const pre = token();
    reply.setCookie(LOGIN_COOKIE, pre, { ...cookieOptions, maxAge: 3600 });
    // Nothing of the book before sign-in (not even its group, year or lock).
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        page(
          { title: 'login' },
          h`<form method="post" action="/login" class="login" id="login">
            <input type="hidden" name="_csrf" value="${pre}">
            ${message ? h`<div class="flash error">${message}</div>` : ''}
            <label>用户名 User name<input name="name" autocomplete="username" required autofocus></label>
            <label>密码 Password<input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">登录 Sign in</button></form>`,
        ),
      );
  };
  app.get('/login', { config: { roles: 'public' } }, async (_req, reply) => loginPage(reply));
  app.post(
    '/login',
    { config: { roles: 'public', rateLimit: { max: options.loginPerMinute ?? 30, timeWindow: 60_000 } } },
    async (req, reply) => {
      const body = (req.body ?? {}) as { name?: unknown; password?: unknown; _csrf?: unknown };
      if (!sameToken(typeof body._csrf === 'string' ? body._csrf : undefined, req.cookies[LOGIN_COOKIE])) {
        return loginPage(reply, '登录表单已过期，请重试 / the sign-in form expired, try again', 403);
      }
      const name = typeof body.name === 'string' ? body.name.slice(0, 64) : '';
      const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
      const keys = LoginThrottle.keys(name, req.ip);
      const wait = throttle.wait(keys);
      if (wait > 0) {
        await service.audit(await auditedName(name), 'login.throttled', `from ${req.ip}`);
        reply.header('Retry-After', String(Math.ceil(wait / 1000)));
        return loginPage(reply, `连续多次密码错误，请 ${Math.ceil(wait / 1000)} 秒后再试 / too many wrong passwords: try again in ${Math.ceil(wait / 1000)} s`, 429);
      }
      const user = await service.exclusive((store) => checkPassword(store.db, name, password));
      if (!user) {
        throttle.failed(keys);
        await service.audit(await auditedName(name), 'login.failed', `from ${req.ip}`);
        return loginPage(reply, '用户名或密码错误 / wrong user name or password', 401);
      }
      throttle.succeeded(keys);
      sessions.drop(req.cookies[SESSION_COOKIE]);
      const session = sessions.create(user);
      reply.setCookie(SESSION_COOKIE, session.id, cookieOptions);
      reply.clearCookie(LOGIN_COOKIE, { path: '/' });
      await service.audit(web.actor(Object.assign(req, { session })), 'login', `from ${req.ip}`);
      return reply.redirect(home(user), 303);
    },
  );
  app.post('/logout', { config: { roles: ['operator', 'reviewer', 'member', 'auditor'] } }, async (req, reply) => {
    await service.audit(web.actor(req), 'logout', '');
    sessions.drop(req.session?.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
  app.get('/', { config: { roles: ['operator', 'reviewer', 'member', 'auditor'] } }, async (req, reply) => reply.redirect(home(userOf(req)), 303));

  registerPages(app, web);
  return app;
}

export function home(u: User): string {
  return u.role === 'member' ? `/member/${encodeURIComponent(u.institution ?? '')}` : PAGES.overview.href;
}

function refuse(web: Web, req: FastifyRequest, reply: FastifyReply, status: number, zh: string, en: string): FastifyReply {
  const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !req.url.startsWith('/download/') && !req.url.startsWith('/api/');
  if (wantsHtml && req.session) {
    return web.send(reply.code(status), { ...web.frame(req, 'overview'), title: 'overview' }, h`<div class="flash error">${zh} / ${en}</div>`);
  }
  return reply.code(status).send({ error: `${zh} / ${en}` });
}

/** Errors of a rejected command as lines for a flash message. */
export function errorLines(errors: readonly InputError[]): string[] {
  return errors.slice(0, 20).map((e) => `${[e.file, e.row !== undefined ? `第 ${e.row} 行 row ${e.row}` : '', e.column ?? e.path ?? ''].filter(Boolean).join(' · ')}${e.file || e.row || e.column || e.path ? '：' : ''}${e.zh} / ${e.en}`);
}
