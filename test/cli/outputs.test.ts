// Outputs as one set (issue 11): killed at any moment, a run never leaves a new file beside an old one under the
// real names; a second run on the same targets refuses while the first is alive; SIGTERM removes temporary files
// and locks; the next run removes a dead run's leftovers; every output names the same run.
// Runs the built CLI (`npm test` builds first). The YIBAO_PAUSE_AT hook (io/outputs.ts) holds a run at a stage.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runId } from '../../src/io/outputs.js';

const dir = mkdtempSync(join(tmpdir(), 'yibao-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = join(dir, 'r.json');
const csv = join(dir, 'csv');
const targets = ['--json', json, '--csv', csv, '--quiet', '--no-progress', '--report', join(dir, 'errors.csv')];

function settle(extra: string[] = []) {
  const r = spawnSync(process.execPath, ['bin/yibao.js', 'settle', 'scenarios/demo.yaml', ...targets, ...extra], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

/** Starts a run that holds at `stage`; resolves once it is there. */
async function heldAt(stage: string, extra: string[] = []) {
  const marker = join(dir, `held-${stage}`);
  rmSync(marker, { force: true });
  const child = spawn(process.execPath, ['bin/yibao.js', 'settle', 'scenarios/demo.yaml', ...targets, ...extra], {
    env: { ...process.env, YIBAO_PAUSE_AT: stage, YIBAO_PAUSE_FILE: marker },
    stdio: 'ignore',
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  for (;;) {
    if (existsSync(marker)) break;
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(r, 50)).then(() => false)]);
    if (done) throw new Error(`the run ended before reaching ${stage}`);
  }
  return { child, exited };
}

const snapshot = () => ({
  json: readFileSync(json, 'utf8'),
  files: Object.fromEntries(readdirSync(csv).filter((f) => !f.startsWith('.')).map((f) => [f, readFileSync(join(csv, f), 'utf8')])),
});
const hidden = () => [...readdirSync(dir), ...readdirSync(csv)].filter((f) => f.startsWith('.'));
const runOf = (parametersCsv: string) => /\r\nrun,([0-9a-f]{16}),/.exec(parametersCsv)?.[1];

describe('settle outputs as one set', () => {
  it('kill -9 while staging or committing leaves the old set under the real names; the next run cleans up', async () => {
    expect(settle().code).toBe(0);
    const old = snapshot();
    const oldRun = runId(JSON.parse(old.json).inputs);
    expect(runOf(old.files['parameters.csv'])).toBe(oldRun);

    for (const stage of ['staged', 'commit']) {
      const { child, exited } = await heldAt(stage, ['--set', 'budget.riskReserveRate=0.04']);
      child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
      expect(snapshot()).toEqual(old); // nothing new under a real name
      expect(hidden().length).toBeGreaterThan(0); // the dead run's temporary files and locks
    }

    // Killed after the first rename: a mixed set is possible, and visible: the run ids differ.
    const { child, exited } = await heldAt('mid-commit', ['--set', 'budget.riskReserveRate=0.04']);
    child.kill('SIGKILL');
    await exited;
    const mixed = snapshot();
    expect(mixed.json).toBe(old.json);
    expect(Object.entries(mixed.files).filter(([f, t]) => t !== old.files[f]).length).toBe(1);

    // The next run removes every leftover and writes a consistent set.
    const next = settle(['--set', 'budget.riskReserveRate=0.04']);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(hidden()).toEqual([]);
    const now = snapshot();
    expect(runOf(now.files['parameters.csv'])).toBe(runId(JSON.parse(now.json).inputs));
    expect(runOf(now.files['parameters.csv'])).not.toBe(oldRun);
  });

  it('a second run on the same targets refuses while the first is alive; SIGTERM removes temporary files and locks', async () => {
    expect(settle().code).toBe(0);
    const old = snapshot();
    const { child, exited } = await heldAt('staged', ['--set', 'budget.riskReserveRate=0.04']);
    const second = settle();
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`正在被另一个 yibao 进程（PID ${child.pid}）写入`);
    expect(second.stderr).toContain(`is being written by another yibao process (PID ${child.pid})`);
    child.kill('SIGTERM');
    expect((await exited).signal).toBe('SIGTERM');
    expect(hidden()).toEqual([]);
    expect(snapshot()).toEqual(old);
  });

  it('checks every target before computing: --csv naming a file writes nothing', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const xlsx = join(dir, 'new.xlsx');
    const r = spawnSync(process.execPath, ['bin/yibao.js', 'settle', 'scenarios/demo.yaml', '--xlsx', xlsx, '--csv', file, '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}: --csv 应为文件夹，但该位置已有一个文件 / --csv must be a folder, but a file is there (output.notDir)`);
    expect(existsSync(xlsx)).toBe(false);
  });
});

describe('no output overwrites a file the run reads', () => {
  it('--json, --csv, --report on a claims export or the scenario are refused before anything is written; the files stay as they were', () => {
    const here = mkdtempSync(join(tmpdir(), 'yibao-overwrite-'));
    try {
      const claims = join(here, 'claims.csv');
      writeFileSync(claims, readFileSync('data/claims-2024.csv', 'utf8').split('\n').slice(0, 300).join('\n') + '\n');
      const scenario = join(here, 'scenario.yaml');
      const demo = readFileSync('scenarios/demo.yaml', 'utf8')
        .replace(/^claims:.*$/m, 'claims: [claims.csv]')
        .replaceAll('../data/', `${join(process.cwd(), 'data')}/`);
      writeFileSync(scenario, demo);
      const before = { claims: readFileSync(claims), scenario: readFileSync(scenario) };
      const run = (...args: string[]) => spawnSync(process.execPath, ['bin/yibao.js', ...args], { encoding: 'utf8', cwd: process.cwd() });
      for (const args of [
        ['settle', scenario, '--json', claims, '--quiet'],
        ['settle', scenario, '--json', scenario, '--quiet'],
        ['settle', scenario, '--csv', here, '--quiet'], // writes claims.csv there
        ['settle', scenario, '--xlsx', join(here, '..', 'yibao-overwrite-x', '..', here.split('/').pop()!, 'claims.csv'), '--quiet'],
        ['settle', scenario, '--report', claims, '--quiet'],
        ['validate', claims, '--report', claims],
        ['validate', '--scenario', scenario, '--report', scenario],
      ]) {
        const r = run(...args);
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.stderr, args.join(' ')).toContain('output.isInput');
        expect(readFileSync(claims).equals(before.claims), args.join(' ')).toBe(true);
        expect(readFileSync(scenario).equals(before.scenario), args.join(' ')).toBe(true);
      }
      // The error report replaces only an earlier error report: any other file there is left alone.
      const other = join(here, 'notes.txt');
      writeFileSync(other, 'my notes\n');
      const bad = join(here, 'bad.csv');
      writeFileSync(bad, 'x\n');
      const r = run('validate', bad, '--report', other);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('not an error report');
      expect(readFileSync(other, 'utf8')).toBe('my notes\n');
    } finally {
      rmSync(here, { recursive: true, force: true });
    }
  });
});
