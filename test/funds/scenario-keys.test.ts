// §13 scenario keys: golden validation messages (中文 / English with the key path), and the keys through --set,
// sweep and compare like every other key.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioErrors } from '../helpers/scenario.js';

const BASE = `
name: t
year: 2024
group: { id: G, lead: H01, members: [ { id: H01, tier: county } ] }
budget: { lines: [ { category: resident, fund: basic, basis: fixed, amount: 100 } ] }
`;

describe('§13 keys: validation messages', () => {
  it('reports bad funds, quota, list keys and member scores, each with its key path', () => {
    const yaml = `${BASE}claims: c.csv
package: { funds: [ basic, lottery, critical, critical ] }
specialCases: { file: s.csv, quota: { drg: 1.5, dip: x }, extra: 1 }
distribution: { memberScores: { H01: 120, Z9: 50 } }
`;
    expect(scenarioErrors(yaml)).toEqual([
      's.yaml, key package.funds[1] [lottery]: package.funds[1] 的值 "lottery" 无效，应为 basic / critical / assistance / other 之一 / package.funds[1] is "lottery", which is not one of basic / critical / assistance / other (enum)',
      's.yaml, key specialCases.quota.drg [1.5]: specialCases.quota.drg 的值 "1.5" 应为 0 到 1 之间的比例 / specialCases.quota.drg is "1.5": must be a rate between 0 and 1 (fraction)',
      's.yaml, key specialCases.quota.dip [x]: specialCases.quota.dip 的值 "x" 应为数字（如 "700" 或 "0.05"） / specialCases.quota.dip is "x": must be a number (such as "700" or "0.05") (number)',
      's.yaml, key specialCases.extra: specialCases 中有未知的键：extra（拼写错误？） / specialCases has an unknown key: extra (a typo?) (unknownKey)',
      's.yaml, key package.funds[3] [critical]: 打包基金 critical 重复列出 / package fund critical is listed twice (package.duplicateFund)',
      's.yaml, key distribution.memberScores.H01 [120]: 成员单位 H01 的考核得分应在 0 到 100 之间 / the score of member H01 must be between 0 and 100 (memberScores.range)',
      's.yaml, key distribution.memberScores.Z9 [Z9]: 成员单位考核得分中的 Z9 不是医共体成员单位 / memberScores names Z9, which is not a member (memberScores.notMember)',
    ]);
  });

  it('refuses an empty fund list, a special-case list with aggregate actuals, and a score that is not a number', () => {
    const yaml = `${BASE}actuals: { inGroupLiability: 1, outOfGroupDeductions: 0 }
package: { funds: [] }
specialCases: { file: s.csv }
distribution: { memberScores: { H01: abc } }
`;
    expect(scenarioErrors(yaml)).toEqual([
      's.yaml, key distribution.memberScores.H01 [abc]: distribution.memberScores.H01 的值 "abc" 应为数字（如 "700" 或 "0.05"） / distribution.memberScores.H01 is "abc": must be a number (such as "700" or "0.05") (number)',
      's.yaml, key package.funds [[]]: package.funds 不能为空 / package.funds must not be empty (tooSmall)',
      's.yaml, key specialCases: 特例单议清单 specialCases 需要结算明细（claims），汇总数（actuals）模式下无法使用 / specialCases names claims; it cannot be used with aggregate actuals (specialCases.needsClaims)',
    ]);
  });

  it('accepts the keys when they are right', () => {
    const yaml = `${BASE}claims: c.csv
package: { funds: [ critical, basic ] }
specialCases: { file: s.csv, quota: { drg: 0.05, dip: 0.005 } }
distribution: { memberScores: { H01: 92.5 } }
`;
    expect(scenarioErrors(yaml)).toEqual([]);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'yibao-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURE = 'test/fixtures/funds/scenario.yaml';

function yibao(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/yibao.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('§13 keys through --set, sweep and compare (built CLI)', () => {
  it('--set changes the packaged funds, the special-case list and a member score', () => {
    const out = join(dir, 'set.json');
    const r = yibao('settle', FIXTURE, '--quiet', '--json', out, '--set', 'package.funds=[basic]', '--set', 'specialCases.file=special-cases-over.csv', '--set', 'specialCases.quota.drg=1', '--set', 'distribution.memberScores.T01=100');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = json(out);
    // [basic]: D = 18,000. Specials C1 (15,000) and C2 (45,000) with U = critical + assistance:
    // C1 15,000 − 2,500 − 1,500 = 11,000; C2 45,000 − 15,000 − 5,000 = 25,000; C3 600; C4 7,000; C5 300 → L = 43,900
    expect([j.actuals.outOfGroupDeductions, j.actuals.inGroupLiability]).toEqual(['18000.00', '43900.00']);
    expect(j.actuals.specialCases.quota[0]).toEqual({ method: 'drg', quota: '1', claims: 2, allowed: 2, cases: 2 });
    expect(j.members.find((m: { id: string }) => m.id === 'T01').scoreEffect).toBe('0.00');
    expect(j.inputs.map((i: { file: string }) => i.file)).toContain('special-cases-over.csv');
  });

  it('sweeps a member score: the split moves, T does not', () => {
    const out = join(dir, 'sweep.json');
    expect(yibao('sweep', FIXTURE, '--vary', 'distribution.memberScores.T01=50,100', '--quiet', '--json', out).code).toBe(0);
    const [at50, at100] = json(out);
    // score 50: weights 7,700 × 50 = 385,000 and 300 × 100 = 30,000 → 2,375,000 × 385/415 = 2,203,313.25 (floor),
    // × 30/415 = 171,686.75 → the leftover fen to T02: T01 22,033.13, effect 22,033.13 − 22,859.38 = −826.25
    const t01 = (v: { members: Array<{ id: string; adjustment: string; scoreEffect: string }> }) => v.members.find((m) => m.id === 'T01')!;
    expect([t01(at50).adjustment, t01(at50).scoreEffect]).toEqual(['22033.13', '-826.25']);
    expect([t01(at100).adjustment, t01(at100).scoreEffect]).toEqual(['22859.38', '0.00']);
    expect(at50.settlement.groupTotal).toBe(at100.settlement.groupTotal);
  });

  it('compare re-prices a scenario that packages other funds', () => {
    const variant = join(dir, 'basic.yaml');
    const text = `extends: ${join(process.cwd(), FIXTURE)}\npackage: { funds: [ basic ] }\nspecialCases: { file: ${join(process.cwd(), 'test/fixtures/funds/special-cases.csv')} }\nclaims: ${join(process.cwd(), 'test/fixtures/funds/claims.csv')}\n`;
    writeFileSync(variant, text);
    const out = join(dir, 'compare.json');
    const r = yibao('compare', FIXTURE, variant, '--quiet', '--json', out);
    expect(r.stderr).toBe('');
    const rows = json(out).rows as Array<{ key: string; values: string[] }>;
    expect(rows.find((x) => x.key === 'actuals.outOfGroupDeductions')!.values).toEqual(['21000.00', '18000.00']);
    // L under [basic]: C1 6,000; C2 25,000; C3 600; C4 7,000; C5 300 = 38,900
    expect(rows.find((x) => x.key === 'actuals.inGroupLiability')!.values).toEqual(['45000.00', '38900.00']);
  });

  it('reads the special-case list from XLSX with Chinese headers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('特例');
    ws.addRow(['结算单据号', '核定金额', '原因']);
    ws.addRow(['C2', 45000, '新技术']);
    const path = join(dir, 'special.xlsx');
    await wb.xlsx.writeFile(path);
    const out = join(dir, 'xlsx.json');
    const r = yibao('settle', FIXTURE, '--quiet', '--json', out, '--set', `specialCases.file=${path}`);
    expect(r.stderr).toBe('');
    const j = json(out);
    expect(j.actuals.specialCases.cases.map((c: { claimId: string; agreed: string; reason: string }) => [c.claimId, c.agreed, c.reason])).toEqual([['C2', '45000.00', '新技术']]);
    expect(j.actuals.inGroupLiability).toBe('45000.00');
  });

  it('monitoring to a date leaves out listed claims dated later (C2 is in April)', () => {
    const r = yibao('monitor', FIXTURE, '--through', '2024-03');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // March: C1 alone, 7,000.00
    expect(r.stdout).toMatch(/2024-03\s+7,000\.00/);
  });
});
