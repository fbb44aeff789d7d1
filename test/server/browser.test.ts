// The web workspace in a real browser (playwright-core driving Debian's Chromium): each role signs in and does its
// work end to end on a small book with eleven months closed — the operator imports December (and sees a bad file's
// row errors), closes it, computes and publishes the draft clearing; one member confirms, another objects; the
// operator answers; the reviewer tries a what-if, approves and locks; the auditor downloads the clearing workbook
// and reads it back. Every page is screenshotted into reports/screens/ for people to look at.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import { BookService } from '../../src/server/service.js';
import { formatFenGrouped } from '../../src/domain/money.js';
import { PASSWORD, smallBook, USERS } from './helpers.js';

const CHROMIUM = process.env.YIBAO_CHROMIUM ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) {
  const msg = `BROWSER TESTS NOT RUN: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set YIBAO_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(msg); // CI installs it: a missing browser there is a failure
  console.warn(`\n*** ${msg} ***\n`);
}
const SCREENS = 'reports/screens';

let app: FastifyInstance;
let service: BookService;
let browser: Browser;
let base: string;
let monthFiles: readonly string[];
let dir: string;
// The book's clock: advanced by the test (a member's period to respond runs out without waiting).
let clock = Date.parse('2025-01-10T09:00:00Z');
const now = () => new Date((clock += 1000)).toISOString();

async function signIn(name: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}/login`);
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

async function flash(page: Page): Promise<string> {
  return (await page.locator('.flash').first().textContent()) ?? '';
}

describe.skipIf(!present)('web workspace in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    ({ dir, monthFiles } = await smallBook({ claims: 900, closed: 11 }));
    service = await BookService.open(dir, now);
    app = await buildServer(service);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await service?.close();
  });

  it('operator: imports December (a bad file is refused with its row errors), closes it, computes and publishes the clearing', async () => {
    const page = await signIn(USERS.operator.name);
    await page.waitForFunction(() => document.querySelector('#chart-paid canvas') !== null);
    await shot(page, '01-overview-operator');

    await page.click('nav a[data-page=import]');
    const bad = join(dir, '..', 'files', 'bad-2024-12.csv');
    writeFileSync(bad, 'claim_id,institution_id,service_date,total_cost\nX1,H01,2024-13-01,abc\n');
    await page.setInputFiles('#import-form input[type=file]', bad);
    await page.click('#import-form button');
    await page.waitForSelector('#row-errors');
    expect(await page.locator('#row-errors tbody tr').count()).toBeGreaterThan(0);
    await shot(page, '02-import-rejected');
    expect(service.current().state.batches.length).toBe(11); // nothing stored

    await page.setInputFiles('#import-form input[type=file]', monthFiles[11]);
    await page.click('#import-form button');
    await page.waitForSelector('#upload-ok');
    await page.waitForLoadState('load');
    await page.waitForFunction(() => document.querySelectorAll('#batches tbody tr').length === 12);
    await shot(page, '03-import-done');

    await page.click('nav a[data-page=months]');
    await Promise.all([page.waitForURL(/\/months$/), page.click('#close-month')]);
    expect(await flash(page)).toContain('2024-12');
    await shot(page, '04-months');
    expect(service.current().state.months.length).toBe(12);

    await page.click('nav a[data-page=clearing]');
    await Promise.all([page.waitForURL(/\/clearing$/), page.click('#recompute')]);
    await page.waitForFunction(() => document.querySelector('#chart-waterfall canvas') !== null);
    expect(await page.locator('#workflow-phase').textContent()).toContain('未发布');
    await Promise.all([page.waitForURL(/\/clearing$/), page.click('#publish')]);
    expect(await page.locator('#workflow-phase').textContent()).toContain('已发布');
    await shot(page, '05-clearing-published');
    await page.context().close();
  });

  it('members: H01 confirms its clearing line, T01 objects with a comment; neither sees the other', async () => {
    const h01 = await signIn(USERS.memberH01.name);
    expect(h01.url()).toContain('/member/H01');
    const line = service.current().state.draft!.clearing.figures.members.find((m) => m.id === 'H01')!;
    expect(await h01.locator('#clearing-line').textContent()).toContain(formatFenGrouped(line.clearing));
    await shot(h01, '06-member-H01');
    await Promise.all([h01.waitForURL(/\/member\/H01$/), h01.click('#confirm')]);
    expect(await h01.locator('#my-response').textContent()).toContain('已确认');
    const other = await h01.goto(`${base}/member/T01`);
    expect(other?.status()).toBe(403);
    await h01.context().close();

    const t01 = await signIn(USERS.memberT01.name);
    await t01.fill('#objection', '第 3 季度门诊人头费与签约人数不符');
    await Promise.all([t01.waitForURL(/\/member\/T01$/), t01.click('#object')]);
    expect(await t01.locator('#my-response').textContent()).toContain('有异议');
    await shot(t01, '07-member-T01-objected');
    await t01.context().close();
  });

  it('operator answers the objection', async () => {
    const page = await signIn(USERS.operator.name);
    await page.goto(`${base}/clearing`);
    await page.fill('.reply-text', '已核对签约人数，按合同执行，清算结果不变');
    await Promise.all([page.waitForURL(/\/clearing$/), page.click('button.reply')]);
    expect(await page.locator('#clearing-members').textContent()).toContain('异议已答复');
    await page.context().close();
  });

  it('reviewer: a what-if answers with the difference, then approves after the period and locks the year', async () => {
    const page = await signIn(USERS.reviewer.name);
    await page.goto(`${base}/whatif`);
    await page.waitForSelector('#whatif-table tbody tr');
    await page.fill('input[name="budget.riskReserveRate"]', '0.03');
    await page.waitForFunction(() => (document.getElementById('whatif-status')?.textContent ?? '').includes('budget.riskReserveRate=0.03'));
    expect(await page.locator('#whatif-table td.changed').count()).toBeGreaterThan(0);
    await page.waitForFunction(() => document.querySelector('#chart-risk canvas') !== null);
    await shot(page, '08-whatif');

    await page.goto(`${base}/policy`);
    await shot(page, '09-policy');

    await page.goto(`${base}/clearing`);
    await Promise.all([page.waitForURL(/\/clearing$/), page.click('#approve')]);
    expect(await flash(page)).toContain('未确认'); // members pending before the deadline
    clock += 8 * 24 * 3600 * 1000; // the period to respond (7 days) runs out
    await Promise.all([page.waitForURL(/\/clearing$/), page.click('#approve')]);
    expect(await page.locator('#workflow-phase').textContent()).toContain('审核已通过');
    await Promise.all([page.waitForURL(/\/clearing$/), page.click('#lock')]);
    expect(await page.locator('#workflow-phase').textContent()).toContain('已锁定');
    expect(await page.locator('#recompute').count()).toBe(0);
    await page.waitForFunction(() => document.querySelector('#chart-waterfall canvas') !== null);
    await shot(page, '10-clearing-locked');
    expect(service.current().state.locked).toBeDefined();
    await page.context().close();

    // A locked year cannot be changed from the page either: the operator's recompute is refused by the server.
    const op = await signIn(USERS.operator.name);
    await op.goto(`${base}/clearing`);
    expect(await op.locator('#recompute').count()).toBe(0);
    const csrf = await op.locator('meta[name=csrf-token]').getAttribute('content');
    const head = service.current().state.journal.length;
    const r = await op.request.post(`${base}/clearing/recompute`, { headers: { 'x-csrf-token': csrf!, accept: 'application/json' } });
    expect(r.status()).toBe(422);
    expect(service.current().state.journal.length).toBe(head);

    // A late claim imported after the lock is settled as a supplement; the locked clearing stays as it was.
    const [header, first] = readFileSync(monthFiles[4], 'utf8').split(/\r?\n/);
    const late = join(dir, '..', 'files', 'late-2024-05.csv');
    writeFileSync(late, `${header}\n${first.replace(/^[^,]+/, 'LATE-0001')}\n`);
    const locked = JSON.stringify(service.current().state.locked);
    await op.goto(`${base}/import`);
    await op.setInputFiles('#import-form input[type=file]', late);
    await op.click('#import-form button');
    await op.waitForSelector('#upload-ok');
    await op.goto(`${base}/clearing`);
    await Promise.all([op.waitForURL(/\/clearing$/), op.click('#supplement')]);
    expect(await op.locator('#supplements tbody tr').count()).toBe(1);
    expect(service.current().state.supplements).toHaveLength(1);
    expect(JSON.stringify(service.current().state.locked)).toBe(locked);
    await shot(op, '10b-clearing-supplement');
    // The member of the late claim sees the supplement on its page and in its statement.
    const inst = first.split(',')[header.split(',').indexOf('institution_id')];
    await op.goto(`${base}/member/${inst}`);
    expect(await op.locator('#member-supplements tbody tr').count()).toBe(1);
    await shot(op, '10c-member-supplement');
    const statement = await op.request.get(`${base}/download/member/${inst}/statement.csv`);
    expect(await statement.text()).toContain('补充清算 supplement');
    await op.context().close();
  });

  it('auditor: reads the audit log and downloads the clearing workbook, whose group total is the locked one', async () => {
    const page = await signIn(USERS.auditor.name);
    await page.goto(`${base}/audit`);
    const audit = (await page.locator('#audit').textContent()) ?? '';
    for (const action of ['lock', 'workflow.approve', 'workflow.object', 'workflow.confirm', 'import', 'close']) expect(audit).toContain(action);
    await shot(page, '11-audit');
    await page.goto(`${base}/downloads`);
    await shot(page, '12-downloads');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/download/clearing.xlsx"]')]);
    const file = join(dir, '..', 'clearing.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const T = service.current().state.locked!.figures.settlement.groupTotal;
    const cells: unknown[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(typeof c.value === 'object' && c.value !== null && 'result' in c.value ? c.value.result : c.value))));
    expect(cells).toContain(T / 100);
    // The book workbook too (the same download path: temporary file, audit, attachment).
    const [bookDownload] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/download/book.xlsx"]')]);
    const bookFile = join(dir, '..', 'book.xlsx');
    await bookDownload.saveAs(bookFile);
    const bookWb = new ExcelJS.Workbook();
    await bookWb.xlsx.readFile(bookFile);
    expect(bookWb.worksheets.length).toBeGreaterThan(1);
    expect((await page.request.post(`${base}/clearing/recompute`)).status()).toBe(403);
    await page.context().close();
  });
});
