// A small book for the server tests: the demo policy (scenarios/book-2024.yaml), a few hundred generated claims a
// month, months 1…`closed` imported and closed in-process, and one user per role. The files of the months not
// imported are returned for upload tests.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bookClose, bookImport, bookInit, withBook } from '../../src/app/book.js';
import { addUser } from '../../src/book/users.js';
import type { Claim } from '../../src/domain/types.js';
import { generateClaims } from '../../src/generate/claims.js';
import { writeClaims } from '../../src/generate/write.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

export const PASSWORD = 'correct-horse-9';
export const USERS = {
  operator: { name: 'op', role: 'operator' },
  reviewer: { name: 'rev', role: 'reviewer' },
  auditor: { name: 'aud', role: 'auditor' },
  memberH01: { name: 'h01', role: 'member', institution: 'H01' },
  memberT01: { name: 't01', role: 'member', institution: 'T01' },
} as const;

export interface SmallBook {
  readonly dir: string;
  readonly monthFiles: readonly string[]; // index 0 = January
}

let clock = Date.parse('2025-01-05T09:00:00Z');
export const ctx = { now: () => new Date((clock += 1000)).toISOString(), actor: 'test' };

export async function smallBook(options: { claims?: number; seed?: number; closed?: number } = {}): Promise<SmallBook> {
  const root = mkdtempSync(join(tmpdir(), 'yibao-web-'));
  const dir = join(root, 'book');
  const files = join(root, 'files');
  mkdirSync(files);
  const scenarioFile = 'scenarios/book-2024.yaml';
  const { scenario } = loadScenarioFile(scenarioFile);
  const byMonth: Claim[][] = Array.from({ length: 12 }, () => []);
  for (const c of generateClaims(scenario, { claims: options.claims ?? 1200, seed: options.seed ?? 7, reversalRate: 0 })) byMonth[Number(c.serviceDate.slice(5, 7)) - 1].push({ ...c });
  const monthFiles: string[] = [];
  for (let m = 0; m < 12; m++) {
    const f = join(files, `claims-2024-${String(m + 1).padStart(2, '0')}.csv`);
    await writeClaims(f, byMonth[m]);
    monthFiles.push(f);
  }
  await bookInit(dir, scenarioFile, ctx);
  await withBook(dir, 'test', async (store) => {
    for (let m = 0; m < (options.closed ?? 12); m++) {
      await bookImport(store, [monthFiles[m]], ctx, { progress: false });
      await bookClose(store, `2024-${String(m + 1).padStart(2, '0')}`, ctx);
    }
    const members = scenario.group.members.map((x) => x.id);
    for (const u of Object.values(USERS)) await addUser(store.db, { ...u, password: PASSWORD }, members, ctx.now());
  });
  return { dir, monthFiles };
}
