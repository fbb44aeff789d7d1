// Security of the web workspace against its HTTP API (fastify's inject: no socket): roles by every route, members
// scoped to their own institution (pages, claims, downloads), the auditor writing nothing, CSRF on every
// state-changing request, the login throttle after five wrong passwords, cookie flags, and the book lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildServer } from '../../src/server/app.js';
import { excelText } from '../../src/server/pages/downloads.js';
import { BookService } from '../../src/server/service.js';
import { LoginThrottle } from '../../src/server/session.js';
import { ctx, PASSWORD, smallBook, USERS } from './helpers.js';

let app: FastifyInstance;
let service: BookService;
let dir: string;
let now = 0;

interface Agent {
  cookie: string;
  csrf: string;
}

async function login(name: string, password = PASSWORD): Promise<{ status: number; agent?: Agent; setCookie: string[] }> {
  const page = await app.inject({ method: 'GET', url: '/login' });
  const pre = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const preCookie = String(page.headers['set-cookie']).split(';')[0];
  const r = await app.inject({ method: 'POST', url: '/login', headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ name, password, _csrf: pre }).toString() });
  const setCookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const sid = setCookie.find((c) => c.startsWith('yibao_sid='));
  if (r.statusCode !== 303 || !sid) return { status: r.statusCode, setCookie };
  const cookie = sid.split(';')[0];
  const home = await app.inject({ method: 'GET', url: '/downloads', headers: { cookie } });
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(home.body)![1];
  return { status: r.statusCode, agent: { cookie, csrf }, setCookie };
}

const get = (a: Agent, url: string) => app.inject({ method: 'GET', url, headers: { cookie: a.cookie, accept: 'text/html' } });
const post = (a: Agent, url: string, body: Record<string, string> = {}, csrf: string | null = a.csrf) =>
  app.inject({
    method: 'POST',
    url,
    headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(csrf === null ? body : { ...body, _csrf: csrf }).toString(),
  });

let op: Agent, rev: Agent, aud: Agent, h01: Agent, t01: Agent;

beforeAll(async () => {
  ({ dir } = await smallBook({ claims: 600, closed: 6 }));
  service = await BookService.open(dir, ctx.now);
  app = await buildServer(service, { clock: () => now, loginPerMinute: 1000, maxUploadBytes: 64 * 1024 });
  [op, rev, aud, h01, t01] = await Promise.all(
    [USERS.operator, USERS.reviewer, USERS.auditor, USERS.memberH01, USERS.memberT01].map(async (u) => (await login(u.name)).agent!),
  );
});

afterAll(async () => {
  await app?.close();
  await service?.close();
});

describe('sessions and cookies', () => {
  it('the session cookie is HttpOnly, SameSite=Strict, path /, and not readable by scripts', async () => {
    const r = await login(USERS.operator.name);
    const sid = r.setCookie.find((c) => c.startsWith('yibao_sid='))!;
    expect(sid).toMatch(/; HttpOnly/);
    expect(sid).toMatch(/; SameSite=Strict/);
    expect(sid).toMatch(/; Path=\//);
    expect(sid).not.toMatch(/Secure/); // plain HTTP on 127.0.0.1 unless --secure-cookies
  });

  it('pages need a session: a GET is sent to the login page, an API or download call gets 401', async () => {
    const signIn = (await app.inject({ method: 'GET', url: '/login' })).body;
    expect(signIn).not.toContain(service.current().state.groupId); // nothing of the book before sign-in
    expect((await app.inject({ method: 'GET', url: '/overview' })).statusCode).toBe(303);
    expect((await app.inject({ method: 'GET', url: '/download/book.json' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/whatif' })).statusCode).toBe(401);
  });

  it('a wrong password is refused and audited without the password', async () => {
    const r = await login(USERS.operator.name, 'not-the-password');
    expect(r.status).toBe(401);
    const audit = await service.exclusive(async (s) => (await s.db.runAndReadAll("SELECT actor, action, detail FROM audit WHERE action = 'login.failed'")).getRows());
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain('not-the-password');
    // A password typed into the name field (no user has that name) is not written down either.
    expect((await login('Secret-Pass-42', 'x')).status).toBe(401);
    const after = await service.exclusive(async (s) => (await s.db.runAndReadAll("SELECT actor FROM audit WHERE action = 'login.failed' ORDER BY seq")).getRows());
    expect(JSON.stringify(after)).not.toContain('Secret-Pass-42');
    expect(String(after[after.length - 1][0])).toBe('(unknown name)');
    expect(String(after[0][0])).toBe(USERS.operator.name);
  });

  it("a right password clears its name's failures, not the address's: one valid account cannot reset them between guesses", () => {
    let t = 0;
    const throttle = new LoginThrottle(() => t);
    const ip = '10.0.0.9';
    for (let i = 0; i < 19; i++) throttle.failed(LoginThrottle.keys(`guess-${i}`, ip));
    throttle.succeeded(LoginThrottle.keys('auditor', ip));
    throttle.failed(LoginThrottle.keys('guess-19', ip)); // the address's 20th failure
    expect(throttle.wait(LoginThrottle.keys('auditor', ip))).toBeGreaterThan(0);
    expect(throttle.wait(LoginThrottle.keys('auditor', '10.0.0.10'))).toBe(0);
    // Failures older than 15 minutes are forgotten: a new one counts from 1.
    t += LoginThrottle.FORGET_MS + 31 * 60_000;
    expect(throttle.wait(LoginThrottle.keys('auditor', ip))).toBe(0);
    throttle.failed(LoginThrottle.keys('guess-20', ip));
    expect(throttle.wait(LoginThrottle.keys('auditor', ip))).toBe(0);
  });

  it('five wrong passwords slow the name down: the sixth attempt is refused with 429 even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login(USERS.reviewer.name, `wrong-${i}`)).status).toBe(401);
    const sixth = await login(USERS.reviewer.name, PASSWORD);
    expect(sixth.status).toBe(429);
    expect(sixth.agent).toBeUndefined();
    now += 31_000; // the first delay is 30 s (the server's clock is the test's)
    expect((await login(USERS.reviewer.name, PASSWORD)).status).toBe(303);
  });

  it('signing out ends the session', async () => {
    const a = (await login(USERS.auditor.name)).agent!;
    expect((await get(a, '/overview')).statusCode).toBe(200);
    expect((await post(a, '/logout')).statusCode).toBe(303);
    expect((await get(a, '/overview')).statusCode).toBe(303); // back to the login page
  });

  it('a login without its form token is refused', async () => {
    const r = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `name=op&password=${PASSWORD}` });
    expect(r.statusCode).toBe(403);
  });
});

describe('CSRF', () => {
  it('a state-changing request without the token, or with a wrong one, is refused and changes nothing', async () => {
    const before = service.current().state.journal.length;
    expect((await post(op, '/clearing/recompute', {}, null)).statusCode).toBe(403);
    expect((await post(op, '/clearing/recompute', {}, 'x'.repeat(43))).statusCode).toBe(403);
    expect((await post(op, '/clearing/recompute', {}, rev.csrf)).statusCode).toBe(403); // another session's token
    expect(service.current().state.draft).toBeUndefined();
    expect(service.current().state.journal.length).toBe(before);
    const upload = await app.inject({ method: 'POST', url: '/api/import', headers: { cookie: op.cookie, 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--' });
    expect(upload.statusCode).toBe(403);
  });
});

describe('roles', () => {
  const staffPages = ['/overview', '/import', '/months', '/clearing', '/whatif', '/policy'];
  const staffDownloads = ['/download/book.json', '/download/months.csv', '/download/members-months.csv', '/download/verify.txt'];

  it('members get 403 on every whole-book page and download', async () => {
    for (const url of [...staffPages, '/audit', ...staffDownloads, '/download/clearing.xlsx', '/download/book.xlsx', '/download/clearing-members.csv', '/api/whatif', '/import/errors.csv']) {
      expect((await get(h01, url)).statusCode, url).toBe(403);
    }
  });

  it("a member reading another member's data gets 403 by every route, downloads included", async () => {
    for (const url of ['/member/T01', '/download/member/T01/claims.csv', '/download/member/T01/statement.csv', '/member/T01?x=1', '/member/t01', '/member/NOPE']) {
      expect((await get(h01, url)).statusCode, url).toBe(403);
    }
    for (const url of ['/member/H01', '/download/member/H01/claims.csv', '/download/member/H01/statement.csv']) {
      expect((await get(t01, url)).statusCode, url).toBe(403);
    }
    expect((await post(h01, '/member/T01/confirm')).statusCode).toBe(403);
    expect((await post(h01, '/member/T01/object', { comment: 'x' })).statusCode).toBe(403);
  });

  it("a member's own claims download holds only its own rows", async () => {
    const r = await get(h01, '/download/member/H01/claims.csv');
    expect(r.statusCode).toBe(200);
    const lines = r.body.trim().split('\r\n').slice(1);
    expect(lines.length).toBeGreaterThan(10);
    const own = await get(h01, '/member/H01');
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('T01</a>');
  });

  it('the auditor reads everything and every POST it sends gets 403', async () => {
    for (const url of [...staffPages, '/audit', ...staffDownloads, '/member/T01', '/download/member/T01/claims.csv']) {
      expect((await get(aud, url)).statusCode, url).toBe(200);
    }
    for (const url of ['/clearing/recompute', '/clearing/supplement', '/clearing/publish', '/clearing/approve', '/clearing/lock', '/clearing/reply', '/months/close', '/api/import', '/policy/amend', '/member/H01/confirm', '/member/H01/object']) {
      expect((await post(aud, url, { month: '2024-12', institution: 'H01', comment: 'x' })).statusCode, url).toBe(403);
    }
  });

  it('each POST is limited to its role', async () => {
    expect((await post(rev, '/clearing/recompute')).statusCode).toBe(403);
    expect((await post(rev, '/months/close', { month: '2025-01' })).statusCode).toBe(403);
    expect((await post(op, '/clearing/approve')).statusCode).toBe(403);
    expect((await post(op, '/clearing/lock')).statusCode).toBe(403);
    expect((await post(op, '/member/H01/confirm')).statusCode).toBe(403);
  });

  it('reviewers and auditors see the audit log; operators do not', async () => {
    expect((await get(rev, '/audit')).statusCode).toBe(200);
    expect((await get(op, '/audit')).statusCode).toBe(403);
  });
});

describe('the book while the server owns it', () => {
  it('a CLI command on the same book is refused with the server PID', async () => {
    const r = spawnSync(process.execPath, ['bin/yibao.js', 'book', 'status', dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the book is in use by PID ${process.pid} (yibao serve)`);
    const u = spawnSync(process.execPath, ['bin/yibao.js', 'users', 'add', dir, '--name', 'late', '--role', 'auditor'], { encoding: 'utf8', input: 'another-password\n' });
    expect(u.status).toBe(1);
    expect(u.stderr).toContain('in use by PID');
  });
});

describe('downloads', () => {
  it("a claim's text cell that Excel would read as a formula gets a leading ' (a minus sign too: ids are text)", () => {
    for (const v of ['=1+1', '+1', "-1+cmd|' /C calc'!A0", '-x', '@SUM(A1)', '\t=1', '\r=1']) expect(excelText(v), v).toBe(`'${v}`);
    for (const v of ['JS2024000000001', 'ES21', 'I63.9', '', '县医院']) expect(excelText(v), v).toBe(v);
  });

  it('closing a month with no month given is a 4xx naming the rule, not a server error', async () => {
    const r = await app.inject({ method: 'POST', url: '/months/close', headers: { cookie: op.cookie, 'x-csrf-token': op.csrf, accept: 'application/json' } });
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    expect(r.body).not.toContain('Cannot read properties');
  });
});

describe('policy versions', () => {
  it('an uploaded version naming any file of the server (extends, a table, a special-case list) is refused before it is read', async () => {
    const send = (text: string) => {
      const payload = `--b\r\nContent-Disposition: form-data; name="file"; filename="v2.yaml"\r\nContent-Type: application/x-yaml\r\n\r\n${text}\r\n--b--\r\n`;
      return app.inject({ method: 'POST', url: '/policy/amend', headers: { cookie: rev.cookie, 'x-csrf-token': rev.csrf, 'content-type': 'multipart/form-data; boundary=b', accept: 'application/json' }, payload });
    };
    const files = () => readdirSync(join(dir, 'files')).sort();
    const before = files();
    for (const text of [
      'extends: /etc/passwd\neffectiveFrom: "2024-07"\n',
      'extends: ../../../../etc/passwd\neffectiveFrom: "2024-07"\n',
      `extends: ${resolve('scenarios/book-2024.yaml')}\neffectiveFrom: "2024-07"\n`,
      'extends: book-2024.yaml\neffectiveFrom: "2024-07"\npayments:\n  drg:\n    weightsFile: /etc/passwd\n',
      'extends: book-2024.yaml\neffectiveFrom: "2024-07"\nspecialCases:\n  file: /etc/passwd\n',
      'extends: book-2024.yaml\neffectiveFrom: "2024-07"\nspecialCases:\n  file: ../../../etc/passwd\n',
    ]) {
      const r = await send(text);
      expect(r.statusCode, text).toBe(422);
      expect(r.body, text).toContain('path.outsideUpload');
      expect(r.body, text).not.toMatch(/root:|unknown key|not found|不存在/);
    }
    expect(service.current().state.versions).toHaveLength(1);
    expect(files()).toEqual(before);
  });

  it('the reviewer adds a version that extends one the book holds (by its file name); the diff shows the changed keys', async () => {
    const text = readFileSync('scenarios/book-2024-v2.yaml', 'utf8');
    const payload = `--b\r\nContent-Disposition: form-data; name="file"; filename="book-2024-v2.yaml"\r\nContent-Type: application/x-yaml\r\n\r\n${text}\r\n--b--\r\n`;
    const send = (a: Agent) =>
      app.inject({ method: 'POST', url: '/policy/amend', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'multipart/form-data; boundary=b', accept: 'application/json' }, payload });
    expect((await send(op)).statusCode).toBe(403);
    const r = await send(rev);
    expect(r.statusCode, r.body).toBe(200);
    expect(service.current().state.versions.map((v) => v.record.effectiveFrom)).toEqual(['2024-01', '2024-07']);
    const page = await get(aud, '/policy?a=1&b=2');
    expect(page.body).toContain('budget.lines.0.rate');
    expect(page.body).toContain('monthly.withholdRate');
  });
});

describe('uploads', () => {
  it('refuses files other than CSV/XLSX and never uses the uploaded name as a path', async () => {
    const body = (name: string) => `--b\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n`;
    const send = (name: string) =>
      app.inject({ method: 'POST', url: '/api/import', headers: { cookie: op.cookie, 'x-csrf-token': op.csrf, 'content-type': 'multipart/form-data; boundary=b', accept: 'application/json' }, payload: body(name) });
    expect((await send('evil.sh')).statusCode).toBe(422);
    const r = await send('../../../etc/passwd.csv');
    expect(r.statusCode).toBe(422); // accepted as etc_passwd.csv inside the book's tmp folder, then rejected as claims
    expect(r.body).not.toContain('/etc/passwd');
  });

  it('refuses an upload above the size limit (413) and stores nothing', async () => {
    const batches = service.current().state.batches.length;
    const big = `--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${'x'.repeat(100 * 1024)}\r\n--b--\r\n`;
    const r = await app.inject({ method: 'POST', url: '/api/import', headers: { cookie: op.cookie, 'x-csrf-token': op.csrf, 'content-type': 'multipart/form-data; boundary=b', accept: 'application/json' }, payload: big });
    expect(r.statusCode).toBe(413);
    expect(service.current().state.batches.length).toBe(batches);
  });
});
