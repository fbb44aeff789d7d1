// Issue 11, "small things a clerk meets": fixed precision for rates, one tier label source, a statement within 120
// columns without double negatives, --encoding gbk and --no-progress on every claims-reading command,
// `validate --scenario`, and a rejected settle that writes its full error report and says where. Built CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/report/text.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-clerk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yibao(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [resolve('bin/yibao.js'), ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the demo outputs', () => {
  const json = join(dir, 'demo.json');
  const csv = join(dir, 'csv');
  const run = yibao(['settle', 'scenarios/demo.yaml', '--json', json, '--csv', csv, '--no-progress']);

  it('print rates with at most 10 decimals in JSON and CSV', () => {
    expect(run.code).toBe(0);
    const text = readFileSync(json, 'utf8');
    const long = text.match(/"-?\d+\.\d{11,}"/g) ?? [];
    expect(long).toEqual([]);
    expect(JSON.parse(text).settlement.rate).toBe('0.0230699241');
    const kpis = readFileSync(join(csv, 'kpis.csv'), 'utf8');
    expect(kpis.match(/\d+\.\d{11,}/g) ?? []).toEqual([]);
  });

  it('statement: within 120 columns, no "− … -amount", tiers from the one label source', () => {
    const wide = run.stdout.split('\n').filter((l) => displayWidth(l) > 120);
    expect(wide).toEqual([]);
    expect(run.stdout).toMatch(/R {2}− 风险金 Risk reserve +4,170,000\.00\n/);
    expect(run.stdout.split('\n').filter((l) => /^\S* *− .*\s-\d/.test(l))).toEqual([]);
    expect(run.stdout).toContain('村（站）');
    expect(run.stdout).not.toContain('村级');
    expect(readFileSync(join(csv, 'members.csv'), 'utf8')).toContain('村（站） village');
  });
});

describe('options on every claims-reading command', () => {
  for (const command of ['settle', 'validate', 'compare', 'sweep', 'risk', 'monitor']) {
    it(`${command} accepts --encoding gbk and --no-progress`, () => {
      const help = yibao([command, '--help']).stdout;
      expect(help).toContain('--no-progress');
      expect(help).toMatch(/--encoding <name>[\s\S]*"gbk"/);
    });
  }
});

describe('validate --scenario and a rejected settle', () => {
  const claims = join(dir, 'c.csv');
  writeFileSync(claims, readFileSync('data/claims-2024.csv', 'utf8').split('\n').slice(0, 50).join('\n').replace(',H01,', ',h01,'));
  const scenario = join(dir, 's.yaml');
  writeFileSync(scenario, readFileSync('scenarios/demo.yaml', 'utf8').replace('../data/claims-2024.csv', claims).replace(/\.\.\/data\//g, `${resolve('data')}/`));

  it('validate --scenario checks the member codes and writes the report', () => {
    const r = yibao(['validate', '--scenario', scenario, '--no-progress'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('已读取 1 个文件，49 行数据，有效 48 行（其中冲销 0 行）\nRead 1 file(s), 49 data row(s), 48 valid (0 reversal(s))\n');
    expect(r.stderr).toContain('institution_id 的值 "h01" 不是成员单位编码，但看起来像成员单位 H01');
    expect(r.stderr).toContain(`完整错误报告 Full error report (1 个错误 error(s)): ${join(dir, 'validation-errors.csv')}`);
    expect(readFileSync(join(dir, 'validation-errors.csv'), 'utf8')).toContain('code.looksLikeMember');
  });

  it('a rejected settle writes its full error report and says where', () => {
    const r = yibao(['settle', scenario, '--no-progress', '--quiet'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`完整错误报告 Full error report (1 个错误 error(s)): ${join(dir, 'settle-errors.csv')}`);
    expect(readFileSync(join(dir, 'settle-errors.csv'), 'utf8')).toContain('code.looksLikeMember');
  });
});
