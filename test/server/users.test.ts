// `yibao users add` through the built CLI: roles and institutions checked, the password from a file, only a scrypt
// hash stored, and the password checked at sign-in.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookInit, withBook } from '../../src/app/book.js';
import { addUser, checkPassword, listUsers } from '../../src/book/users.js';
import type { InputRejected } from '../../src/domain/errors.js';
import { ctx } from './helpers.js';

let dir: string;
let pw: string;
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/yibao.js', 'users', ...args], { encoding: 'utf8' });

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'yibao-users-'));
  dir = join(root, 'book');
  pw = join(root, 'pw.txt');
  writeFileSync(pw, 'sesame-open-42\nsecond line ignored\n');
  await bookInit(dir, 'scenarios/book-2024.yaml', ctx);
});

describe('yibao users add', () => {
  it('adds users of each role; a member must name one of the group', async () => {
    expect(cli('add', dir, '--name', 'op', '--role', 'operator', '--password-file', pw).status).toBe(0);
    const ok = cli('add', dir, '--name', '东山卫生院', '--role', 'member', '--institution', 'T01', '--password-file', pw);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('T01');
    const bad = cli('add', dir, '--name', 'x', '--role', 'member', '--institution', 'NOPE', '--password-file', pw);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('user.institution');
    await withBook(dir, 'test', async (store) => {
      const add = (u: { name: string; role: string; institution?: string; password?: string }) =>
        addUser(store.db, { password: 'long-enough-1', ...u }, ['H01', 'T01'], ctx.now()).then(() => 'added', (e: InputRejected) => e.errors[0].rule);
      expect(await add({ name: 'op', role: 'auditor' })).toBe('user.exists');
      expect(await add({ name: 'r', role: 'admin' })).toBe('user.role');
      expect(await add({ name: 'r', role: 'reviewer', password: 'abc' })).toBe('user.password');
      expect(await add({ name: 'r', role: 'reviewer', institution: 'H01' })).toBe('user.institutionRole');
      expect(await add({ name: '../r', role: 'reviewer' })).toBe('user.name');
      // Look-alikes of an existing name (case, full-width forms) read as one person in the audit log.
      expect(await add({ name: 'OP', role: 'auditor' })).toBe('user.lookalike');
      expect(await add({ name: 'ｏｐ', role: 'auditor' })).toBe('user.lookalike');
    });
    // A refused `users add` says the book is unchanged (not that nothing was settled).
    expect(bad.stderr).toContain('Input rejected, the book is unchanged');
    expect(bad.stderr).not.toContain('settled');
  });

  it('stores a scrypt hash, never the password, and checks it', async () => {
    await withBook(dir, 'test', async (store) => {
      expect((await listUsers(store.db)).map((u) => `${u.name}:${u.role}:${u.institution ?? ''}`)).toEqual(['op:operator:', '东山卫生院:member:T01']); // the refused ones added nothing
      const rows = JSON.stringify((await store.db.runAndReadAll('SELECT * FROM users')).getRows());
      expect(rows).not.toContain('sesame');
      expect(rows).toContain('\\"N\\":32768'); // the params JSON, quoted inside the rows' JSON
      expect(await checkPassword(store.db, 'op', 'sesame-open-42')).toMatchObject({ name: 'op', role: 'operator' });
      expect(await checkPassword(store.db, 'op', 'sesame-open-43')).toBeUndefined();
      expect(await checkPassword(store.db, 'nobody', 'sesame-open-42')).toBeUndefined();
      const audit = JSON.stringify((await store.db.runAndReadAll("SELECT * FROM audit WHERE action = 'users.add'")).getRows());
      expect(audit).toContain('op operator');
      expect(audit).not.toContain('sesame');
    });
  });
});
