#!/usr/bin/env node
// Benchmark of a running `yibao serve` (not a test): `node scripts/bench-web.mjs URL USER PASSWORD [UPLOAD.csv]`.
// Measures the first page after sign-in, what-if answers (median of 20 changes), 20 concurrent sessions browsing
// every staff page, and (with a file) an upload imported through the page's API. Prints the figures.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [base, user, password, upload] = process.argv.slice(2);
if (!base || !user || !password) {
  process.stderr.write('usage: node scripts/bench-web.mjs URL USER PASSWORD [UPLOAD.csv]\n');
  process.exit(2);
}
const ms = (t) => Math.round(performance.now() - t);

async function login() {
  const page = await fetch(`${base}/login`);
  const pre = /name="_csrf" value="([^"]+)"/.exec(await page.text())[1];
  const preCookie = page.headers.getSetCookie()[0].split(';')[0];
  const r = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ name: user, password, _csrf: pre }) });
  const sid = r.headers.getSetCookie().find((c) => c.startsWith('yibao_sid='));
  if (!sid) throw new Error(`login failed: HTTP ${r.status}`);
  const cookie = sid.split(';')[0];
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await (await fetch(`${base}/downloads`, { headers: { cookie } })).text())[1];
  return { cookie, csrf };
}

const a = await login();
let t = performance.now();
let r = await fetch(`${base}/overview`, { headers: { cookie: a.cookie } });
await r.text();
console.log(`first page /overview (cold: reads the year's claims once): ${ms(t)} ms, HTTP ${r.status}`);
t = performance.now();
r = await fetch(`${base}/overview`, { headers: { cookie: a.cookie } });
await r.text();
console.log(`/overview again: ${ms(t)} ms`);

const times = [];
for (let i = 0; i < 20; i++) {
  t = performance.now();
  r = await fetch(`${base}/api/whatif?budget.riskReserveRate=0.0${(i % 9) + 1}&assessment.score=${80 + i}`, { headers: { cookie: a.cookie } });
  await r.json();
  times.push(ms(t));
}
times.sort((x, y) => x - y);
console.log(`what-if (settle-level keys): median ${times[10]} ms, max ${times[19]} ms over 20`);
const pv = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  r = await fetch(`${base}/api/whatif?payments.dip.pointValue=${8 + i}`, { headers: { cookie: a.cookie } });
  await r.json();
  pv.push(ms(t));
}
pv.sort((x, y) => x - y);
console.log(`what-if re-pricing every claim (DIP point value): median ${pv[2]} ms over 5`);

for (const p of ['/overview', '/import', '/months', '/clearing', '/member/H01', '/member/H01', '/whatif', '/policy', '/downloads']) {
  t = performance.now();
  await (await fetch(`${base}${p}`, { headers: { cookie: a.cookie } })).text();
  console.log(`  ${p}: ${ms(t)} ms`);
}
const pages = ['/overview', '/import', '/months', '/clearing', '/member/H01', '/whatif', '/policy', '/downloads'];
const sessions = await Promise.all(Array.from({ length: 20 }, () => login()));
t = performance.now();
const statuses = await Promise.all(sessions.map(async (s) => {
  const out = [];
  for (const p of pages) out.push((await fetch(`${base}${p}`, { headers: { cookie: s.cookie } })).status);
  return out;
}));
const bad = statuses.flat().filter((s) => s !== 200).length;
console.log(`20 concurrent sessions × ${pages.length} pages: ${ms(t)} ms, ${bad} non-200 answers`);

if (upload) {
  const body = new FormData();
  body.append('file', new Blob([readFileSync(upload)]), basename(upload));
  t = performance.now();
  r = await fetch(`${base}/api/import`, { method: 'POST', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, accept: 'application/json' }, body });
  console.log(`upload + import ${basename(upload)}: ${ms(t)} ms, HTTP ${r.status}`, JSON.stringify(await r.json()).slice(0, 300));
}
