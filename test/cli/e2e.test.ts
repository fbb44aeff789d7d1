// End to end: the built CLI (`node bin/yibao.js`, as `npx yibao` runs it) on the demo and on a bad scenario.
// `npm test` builds first, so dist/ is current.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'yibao-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yibao(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/yibao.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('yibao settle (built CLI)', () => {
  it('settles the demo: exit 0, statement printed, JSON contract written, byte-identical on a second run', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const first = yibao('settle', 'scenarios/demo.yaml', '--json', a);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('年度总额预算 Budget');
    expect(first.stdout).toContain('年终清算拨付 Year-end payment');
    const json = JSON.parse(readFileSync(a, 'utf8'));
    for (const key of ['total', 'riskReserve', 'package', 'qualityDeposit']) expect(json.budget[key]).toMatch(/^-?\d+\.\d{2}$/);
    for (const key of ['available', 'balance', 'retainedSurplus', 'groupTotal', 'yearEndPayment', 'fundRetained']) {
      expect(json.settlement[key]).toMatch(/^-?\d+\.\d{2}$/);
    }
    expect(json.members.length).toBeGreaterThan(10);
    expect(json.inputs.map((i: { role: string }) => i.role)).toContain('claims');
    expect(json.inputs.every((i: { sha256: string }) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
    expect(json.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(Number(json.settlement.balance)).toBeGreaterThan(0); // the demo shows a surplus
    expect(yibao('settle', 'scenarios/demo.yaml', '--json', b, '--quiet').code).toBe(0);
    expect(readFileSync(b)).toEqual(readFileSync(a));
  });

  it('the overrun demo overruns', () => {
    const out = join(dir, 'overrun.json');
    expect(yibao('settle', 'scenarios/demo-overrun.yaml', '--json', out, '--quiet').code).toBe(0);
    expect(Number(JSON.parse(readFileSync(out, 'utf8')).settlement.balance)).toBeLessThan(0);
  });

  it('rejects a bad scenario: non-zero exit, every error listed, no output file', () => {
    const out = join(dir, 'bad.json');
    const r = yibao('settle', 'test/fixtures/scenarios/bad.yaml', '--json', out, '--report', join(dir, 'bad-errors.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('8 error(s)');
    for (const key of ['group.members[1].tier', 'budget.riskReserveRate', 'budget.qualityDepositRate', 'group.lead', 'enrollment.resident', 'payments.capitation.contracted[0].institution', 'settlement.surplus.bands[1].upTo', 'assessment.depositReturn[1].fraction']) {
      expect(r.stderr).toContain(`key ${key}`);
    }
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('a missing scenario file is an input error, not a crash', () => {
    const r = yibao('settle', join(dir, 'nope.yaml'), '--report', join(dir, 'nope-errors.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('无法读取场景文件');
  });

  it('usage errors exit 2, with a Chinese line before commander\'s English and where to find the usage', () => {
    for (const args of [['settle'], ['frobnicate'], ['book', 'import', dir], ['settle', 'scenarios/demo.yaml', '--nope']]) {
      const r = yibao(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^命令行用法有误 \/ error: /);
      expect(r.stderr, args.join(' ')).toContain('--help for usage');
    }
  });
});
