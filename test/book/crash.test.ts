// kill -9 in the middle of a book command leaves the book as it was before the command, or as after it: never in
// between. Each case kills the built CLI after a few different delays, then checks the book with `verify`.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookClose, bookImport, bookInit, loadBook, withBook, type BookContext } from '../../src/app/book.js';
import { bookVerify } from '../../src/app/bookVerify.js';

const CLI = resolve('bin/yibao.js');
const ctx: BookContext = { now: () => '2025-01-15T08:00:00.000Z', actor: 'test' };
let root: string;
let claims: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yibao-crash-'));
  claims = join(root, 'claims.csv');
  const g = spawnSync('node', [CLI, 'generate', 'scenarios/book-2024.yaml', '--claims', '150000', '--seed', '7', '--out', claims]);
  expect(g.status).toBe(0);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI and kills it with SIGKILL after `ms` (or lets it finish if it is faster). */
function killAfter(args: readonly string[], ms: number): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn('node', [CLI, ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}

describe('kill -9 mid-command', () => {
  it('mid-import: the batch is there whole or not at all, and verify accepts the book', async () => {
    const base = join(root, 'base');
    await bookInit(base, 'scenarios/book-2024.yaml', ctx);
    for (const ms of [300, 900, 1500, 2500]) {
      const dir = join(root, `import-${ms}`);
      cpSync(base, dir, { recursive: true });
      const code = await killAfter(['book', 'import', dir, claims, '--no-progress'], ms);
      const { state } = await withBook(dir, 'test', loadBook);
      expect([0, 1]).toContain(state.batches.length);
      if (code === 0) expect(state.batches).toHaveLength(1);
      expect((await withBook(dir, 'test', bookVerify)).ok).toBe(true);
      expect(existsSync(join(dir, 'LOCK'))).toBe(false); // a dead owner's lock is taken over and released
      if (state.batches.length === 0) {
        await withBook(dir, 'test', (s) => bookImport(s, [claims], ctx)); // and the import can simply be run again
        expect((await withBook(dir, 'test', loadBook)).state.batches[0].rows).toBe(150_000);
      }
    }
  }, 120_000);

  it('mid-clearing and mid-lock: the draft or the lock is there whole or not at all', async () => {
    const base = join(root, 'year');
    await bookInit(base, 'scenarios/book-2024.yaml', ctx);
    await withBook(base, 'test', async (s) => {
      await bookImport(s, [claims], ctx);
      for (let m = 1; m <= 12; m++) await bookClose(s, `2024-${String(m).padStart(2, '0')}`, ctx);
    });
    for (const [command, ms] of [
      ['clear', 400],
      ['clear', 1200],
      ['lock', 600],
    ] as const) {
      const dir = join(root, `${command}-${ms}`);
      cpSync(base, dir, { recursive: true });
      if (command === 'lock') expect(spawnSync('node', [CLI, 'book', 'clear', dir]).status).toBe(0);
      const code = await killAfter(['book', command, dir], ms);
      const { state } = await withBook(dir, 'test', loadBook);
      if (command === 'clear') expect(state.draft !== undefined).toBe(code === 0 || state.draft !== undefined);
      if (command === 'lock' && code === 0) expect(state.locked).toBeDefined();
      expect(state.journal.length === 13 || state.journal.length === 14).toBe(true);
      expect((await withBook(dir, 'test', bookVerify)).ok).toBe(true);
    }
  }, 180_000);
});
