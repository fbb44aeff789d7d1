// End to end: the built CLI (`npm test` builds first) on the sample history: table, JSON, workbook and a scenario
// fragment that a scenario `extends:` and settles with exactly the estimated budget and capitation rates.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'yibao-budget-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yibao(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/yibao.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('yibao budget (built CLI)', () => {
  const json = join(dir, 'a.json');
  const xlsx = join(dir, 'a.xlsx');
  const fragment = join(dir, 'budget-2025.scenario.yaml');

  it('estimates the sample history: every step printed, JSON per DOMAIN.md §14, byte-identical on a second run', () => {
    const r = yibao('budget', 'scenarios/budget-2025.yaml', '--json', json, '--xlsx', xlsx, '--scenario', fragment);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const text of ['加权基数 Weighted base', '年度总额预算 Total budget', '71,887,700.00', '(0.01 + 0.06) / 2 + 0.02', '签约人数 Persons', '2,414.2857…', '人头费标准 Full standard', '2,513.88', '6,448.99']) {
      expect(r.stdout).toContain(text);
    }
    const j = JSON.parse(readFileSync(json, 'utf8'));
    expect(j.total).toMatchObject({ base: '68140000.00', growth: '0.055', amount: '71887700.00', perCapita: '322.37' });
    expect(j.standards.map((s: Record<string, unknown>) => [s.name, s.method, s.fund, s.persons, s.M, s.addOns, s.standard])).toEqual([
      ['高血压', 'bottomUp', undefined, undefined, '2364.88', { 公卫经费: '79.00', 签约服务费: '70.00' }, '2513.88'],
      ['糖尿病', 'topDown', '9331200.00', '2414.29', '3864.99', { 检查费: '2584.00' }, '6448.99'],
    ]);
    expect(j.inputs[0]).toMatchObject({ role: 'history', file: 'scenarios/budget-2025.yaml' });
    expect(j.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(xlsx)).toBe(true);
    const again = join(dir, 'b.json');
    expect(yibao('budget', 'scenarios/budget-2025.yaml', '--json', again, '--quiet').code).toBe(0);
    expect(readFileSync(again)).toEqual(readFileSync(json));
  });

  it('the scenario fragment loads: a scenario extends it and settles with its budget line and capitation rates', () => {
    const scenario = join(dir, 'settle.yaml');
    writeFileSync(
      scenario,
      `extends: budget-2025.scenario.yaml
name: 测算结果试结算
group:
  id: G
  lead: H01
  members: [ { id: H01, tier: county }, { id: V01, tier: village }, { id: V02, tier: village } ]
actuals: { inGroupLiability: "60000000", outOfGroupDeductions: "1000000" }
`,
    );
    const out = join(dir, 'settled.json');
    const r = yibao('settle', scenario, '--json', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    expect(s.budget.total).toBe('71887700.00');
    // C = 2,500 × 2,513.88 + 1,200 × 6,448.99 = 6,284,700.00 + 7,738,788.00 = 14,023,488.00
    expect(s.actuals.capitation).toBe('14023488.00');
  });

  it('rejects a bad history: exit 1, every error with its key, nothing written', () => {
    const bad = join(dir, 'bad.json');
    const r = yibao('budget', 'test/budget/fixtures/bad-history.yaml', '--json', bad, '--scenario', join(dir, 'bad.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('9 error(s)');
    expect(r.stderr).toContain('key standards[0].method');
    expect(r.stdout).toBe('');
    expect(existsSync(bad)).toBe(false);
    expect(existsSync(join(dir, 'bad.yaml'))).toBe(false);
  });

  it('builds the history from claims files with --claims YEAR=FILE', () => {
    const c = join(dir, 'c24.csv');
    writeFileSync(
      c,
      `结算单据号,个人编号,人员类别,定点机构编码,异地就医标志,医疗类别,结算日期,医疗总费用,统筹基金支付,个人负担,签约类型
A1,P1,居民,V01,否,门诊,2024-03-01,300.00,240.00,60.00,高血压
A2,P2,居民,V01,否,门诊,2024-03-02,100.00,80.00,20.00,高血压
`,
    );
    const h = join(dir, 'h.yaml');
    writeFileSync(h, 'year: 2025\ntotal: { growth: "0.05" }\nstandards: [ { name: 高血压, method: bottomUp } ]\n');
    const out = join(dir, 'claims.json');
    const r = yibao('budget', h, '--claims', `2024=${c}`, '--json', out, '--no-progress');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    // spend 320.00 × 1.05 = 336.00; 高血压 (400 − 80) / 2 persons = 160.00
    expect(j.total.amount).toBe('336.00');
    expect(j.standards[0].M).toBe('160.00');
    expect(j.inputs.map((i: { role: string; year?: number }) => [i.role, i.year])).toEqual([
      ['history', undefined],
      ['claims', 2024],
    ]);
  });
});
