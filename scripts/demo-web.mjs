#!/usr/bin/env node
// The demo book for the web workspace: `node scripts/demo-web.mjs DIR [--closed N]` splits data/claims-2024.csv by
// month into DIR-files/claims-2024-MM.csv, opens a book in DIR with scenarios/book-2024.yaml, imports and closes
// months 1…N (default 11: December is left to import from the 导入 page), and adds one user per role with a
// password printed once (op 经办, rev 审核, aud 审计, h01 and t01 机构). Then: yibao serve --book DIR.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { bookClose, bookImport, bookInit, cliContext, withBook } from '../dist/app/book.js';
import { addUser } from '../dist/book/users.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's own files, wherever the script is run from. */
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

const dir = process.argv[2];
const closedAt = process.argv.indexOf('--closed');
const closed = closedAt > 0 ? Number(process.argv[closedAt + 1]) : 11;
if (!dir || !(closed >= 0 && closed <= 12)) {
  process.stderr.write('usage: node scripts/demo-web.mjs DIR [--closed 0-12]\n');
  process.exit(2);
}
if (existsSync(dir)) {
  process.stderr.write(`${dir} already exists / 目录已存在\n`);
  process.exit(2);
}
const files = `${dir}-files`;
mkdirSync(files, { recursive: true });
const [header, ...rows] = readFileSync(join(repo, 'data/claims-2024.csv'), 'utf8').trimEnd().split(/\r?\n/);
const byMonth = Array.from({ length: 12 }, () => [header]);
for (const r of rows) byMonth[Number(r.split(',')[6].slice(5, 7)) - 1].push(r);
const monthFile = (m) => `${files}/claims-2024-${String(m).padStart(2, '0')}.csv`;
byMonth.forEach((lines, i) => writeFileSync(monthFile(i + 1), `${lines.join('\n')}\n`));

await bookInit(dir, join(repo, 'scenarios/book-2024.yaml'), cliContext);
const password = randomBytes(9).toString('base64url');
await withBook(dir, 'demo', async (store) => {
  for (let m = 1; m <= closed; m++) {
    await bookImport(store, [monthFile(m)], cliContext, { progress: false });
    await bookClose(store, `2024-${String(m).padStart(2, '0')}`, cliContext);
    process.stdout.write(`2024-${String(m).padStart(2, '0')} imported and closed / 已导入并月结\n`);
  }
  const users = [
    { name: 'op', role: 'operator' },
    { name: 'rev', role: 'reviewer' },
    { name: 'aud', role: 'auditor' },
    { name: 'h01', role: 'member', institution: 'H01' },
    { name: 't01', role: 'member', institution: 'T01' },
  ];
  const ids = JSON.parse((await store.events())[0].version.resolved).group.members.map((x) => x.id);
  for (const u of users) await addUser(store.db, { ...u, password }, ids, cliContext.now());
});
process.stdout.write(`\nbook: ${dir}\nmonthly files: ${files}/\nusers op, rev, aud, h01, t01 — password / 密码: ${password}\n\nnext: node bin/yibao.js serve --book ${dir}\n`);
