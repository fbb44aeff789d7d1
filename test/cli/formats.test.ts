// The same claims as CSV UTF-8 (canonical headers), CSV GB18030 (Chinese headers and values, as Chinese Excel saves
// them) and XLSX settle to identical JSON: only the input hashes differ. Runs the built CLI end to end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'yibao-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yibao(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/yibao.js', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`yibao ${args.join(' ')} → ${r.status}\n${r.stderr}`);
  return r;
}

function settled(claims: string): Record<string, unknown> {
  const out = join(dir, `${claims.split('/').pop()}.json`);
  yibao('settle', 'scenarios/demo.yaml', '--set', `claims=${claims}`, '--json', out, '--quiet', '--no-progress');
  const json = JSON.parse(readFileSync(out, 'utf8'));
  delete json.inputs;
  return json;
}

describe('one set of claims in three formats', () => {
  it('settles to identical JSON from CSV UTF-8, CSV GB18030 and XLSX', () => {
    const gen = ['generate', 'scenarios/demo.yaml', '--claims', '4000', '--seed', '11'];
    yibao(...gen, '--out', join(dir, 'c.csv'));
    yibao(...gen, '--out', join(dir, 'c-gb.csv'), '--encoding', 'gb18030', '--headers', 'chinese');
    yibao(...gen, '--out', join(dir, 'c.xlsx'), '--format', 'xlsx', '--headers', 'chinese');
    const gbBytes = readFileSync(join(dir, 'c-gb.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbBytes)).toThrow(); // really GB18030, not UTF-8
    const utf8 = settled(join(dir, 'c.csv'));
    expect((utf8.actuals as { claimRows: number }).claimRows).toBe(4000);
    expect(settled(join(dir, 'c-gb.csv'))).toEqual(utf8);
    expect(settled(join(dir, 'c.xlsx'))).toEqual(utf8);
  });
});
