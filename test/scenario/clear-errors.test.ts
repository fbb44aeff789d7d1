// Issue 11, "errors that are not yet clear": YAML alias tricks, full-width colons, out-of-range money, unbounded
// installments and non-regular files are input errors (exit 1) in both languages, naming the file and key or line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settleScenario } from '../../src/app/settle.js';
import { formatInputError } from '../../src/cli/errors.js';
import { InputRejected } from '../../src/domain/errors.js';
import { loadScenarioWithOverrides } from '../../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-clear-'));
const DEMO = readFileSync('scenarios/demo.yaml', 'utf8').replace(/\.\.\/data\//g, `${resolve('data')}/`);

function scenario(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function errorsOf(file: string, sets: string[] = []): string[] {
  try {
    loadScenarioWithOverrides(file, sets);
  } catch (e) {
    if (e instanceof InputRejected) return e.errors.map((x) => formatInputError({ ...x, file: x.file?.replace(dir, 'DIR') }));
    throw e;
  }
  return [];
}

describe('clear scenario errors', () => {
  it('YAML aliases and alias bombs', () => {
    expect(errorsOf(scenario('alias.yaml', 'a: &x [*x]\n'))).toEqual([
      'DIR/alias.yaml, row 1: 场景文件第 1 行使用了 YAML 别名（*），场景文件不支持锚点与别名（& 和 *）：请把值直接写出 / line 1 uses a YAML alias (*); scenario files do not support anchors and aliases (& and *): write the values out (syntax.alias)',
    ]);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n');
    expect(errorsOf(scenario('bomb.yaml', bomb))[0]).toContain('(syntax.alias)');
  });

  it('a full-width colon gets a hint', () => {
    const file = scenario('colon.yaml', DEMO.replace('  lead: H01', '  lead：H01'));
    expect(errorsOf(file)).toEqual([
      'DIR/colon.yaml, row 12 [lead：H01]: 场景文件语法错误，第 12 行：键必须写在一行内（可能缺少冒号，或冒号后缺少空格）。该行有全角冒号"："，键与值之间须用半角冒号":"加空格 / scenario syntax error: Implicit keys need to be on a single line at line 12, column 3. The line has a full-width colon "：": write a key and its value separated by ": " (ASCII colon and a space) (syntax)',
    ]);
  });

  it('out-of-range money names its key path, and installments are bounded', () => {
    const file = scenario('demo.yaml', DEMO);
    expect(errorsOf(file, ['payments.drg.baseRate=99999999999999999', 'budget.prepayment.installments=1000000'])).toEqual([
      'DIR/demo.yaml, key payments.drg.baseRate [99999999999999999]: payments.drg.baseRate 的值 "99999999999999999" 超出允许范围（绝对值不超过 100,000,000,000，即 1000 亿） / payments.drg.baseRate is "99999999999999999": is out of range (at most 100,000,000,000 in magnitude) (range)',
      'DIR/demo.yaml, key budget.prepayment.installments [1000000]: 预拨期数最多 366 期（按日预拨） / installments must be at most 366 (one a day) (prepayment.installments)',
    ]);
  });

  it('a FIFO or a device as extends, weightsFile or claims is an error, not a hang', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(errorsOf(scenario('ext.yaml', `extends: ${fifo}\n`))).toEqual([
      'fifo: 无法读取场景文件：不是普通文件（管道、设备或套接字） / cannot read the scenario file: is not a regular file (a pipe, device or socket) (file.unreadable)',
    ]);
    expect(errorsOf(scenario('w.yaml', DEMO), [`payments.drg.weightsFile=/dev/urandom`])).toEqual([
      '/dev/urandom: 无法读取分组表：不是普通文件（管道、设备或套接字） / cannot read the table: is not a regular file (a pipe, device or socket) (file.unreadable)',
    ]);
    const loaded = loadScenarioWithOverrides(scenario('c.yaml', DEMO), [`claims=${fifo}`]);
    const rejected = await settleScenario(loaded.scenario, loaded.inputs, { progress: false }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(InputRejected);
    expect((rejected as InputRejected).errors.map(formatInputError)).toEqual([
      `${fifo}: 无法读取文件：不是普通文件（管道、设备或套接字） / cannot read the file: not a regular file (a pipe, device or socket) (file.unreadable)`,
    ]);
  });
});
