#!/usr/bin/env node
// Benchmark (npm run bench): generates synthetic claims files of growing size into bench-data/ (git-ignored), then
// runs `yibao validate` and `yibao settle` on each as child processes and reports rows/s and peak memory (RSS).
//
//   node scripts/bench.mjs [--sizes 1e6,1e7] [--extra-max 1e6] [--scenario scenarios/demo.yaml] [--seed 1]
//                          [--dir bench-data] [--regen] [--steps generate,validate,split,settle,settle-1thread,book]
//                          [--mixes default,drg-heavy]
//                          [--repeat 1] [--xlsx-report]
//
// Two mixes of claims (`yibao generate --mix`): `default` (the demo's) and `drg-heavy` (30% inpatient, six in seven
// stays with a DRG or DIP code, 13 columns; UTF-8 CSV only, as the issue-14 bar is stated on it). For every UTF-8
// CSV file the `split` step times a plain line split of the same file in Node (scripts/bench-split.mjs) in the same
// run, and `settle` prints its time as a multiple of it. `settle` runs as issue 14 states it, the whole process of
// `node bin/yibao.js settle SCENARIO --json F` (the statement printed, to /dev/null). With --repeat N the split and settle steps run N times each and the
// median is shown; the load average (1 min) at the start of each step is printed beside it, since the machine may be
// shared. With --xlsx-report, `settle` also writes the auditor workbook (the `settle+xlsx` step). `settle` reads a big CSV
// file on a reader thread (src/claims/csvThread.ts); the `settle-1thread` step runs it without (YIBAO_CSV_THREAD=never).
//
// The `book` step (UTF-8 CSV only) opens a fresh book (结算账簿) with the same policy plus a monthly rule, imports
// the file as one batch (`book import`), closes the twelve months, re-clears the year from what the book stored
// (`book clear`), and times `book status` and `book verify`; compare import and clear with `settle` on the same file.
//
// UTF-8 CSV at every size; GB18030 CSV and XLSX as well at sizes up to --extra-max. Files are reused between runs
// unless --regen. Peak RSS comes from `/usr/bin/time -v` when it exists, else from polling /proc/PID/status (VmHWM).
// Needs a build (`npm run build`): it runs `node bin/yibao.js …`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'yibao.js');

function parseArgs(argv) {
  const o = {
    sizes: [1e6, 1e7],
    extraMax: 1e6,
    scenario: join(root, 'scenarios', 'demo.yaml'),
    seed: 1,
    dir: join(root, 'bench-data'),
    regen: false,
    steps: ['generate', 'validate', 'split', 'settle'],
    mixes: ['default', 'drg-heavy'],
    repeat: 1,
    xlsxReport: false,
  };
  const num = (s) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${s}`);
    return Math.round(n);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--sizes') o.sizes = next().split(',').filter(Boolean).map(num);
    else if (a === '--extra-max') o.extraMax = num(next());
    else if (a === '--scenario') o.scenario = resolve(next());
    else if (a === '--seed') o.seed = num(next());
    else if (a === '--dir') o.dir = resolve(next());
    else if (a === '--regen') o.regen = true;
    else if (a === '--steps') o.steps = next().split(',');
    else if (a === '--mixes') o.mixes = next().split(',').filter(Boolean);
    else if (a === '--repeat') o.repeat = Math.max(1, num(next()));
    else if (a === '--xlsx-report') o.xlsxReport = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1).filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const hasGnuTime = existsSync('/usr/bin/time');

/** Runs a command; resolves with exit code, wall seconds, peak RSS in KB (or null) and the tail of stderr. */
function runOnce(args, env) {
  return new Promise((resolvePromise) => {
    const cmd = hasGnuTime ? '/usr/bin/time' : process.execPath;
    const full = hasGnuTime ? ['-v', process.execPath, ...args] : args;
    const started = process.hrtime.bigint();
    const child = spawn(cmd, full, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 200000) stderr = stderr.slice(-100000);
    });
    let polledKb = null;
    const poll = hasGnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledKb = Math.max(polledKb ?? 0, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 50);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let rssKb = polledKb;
      let exit = code;
      if (hasGnuTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) rssKb = Number(m[1]);
        const e = /Exit status: (\d+)/.exec(stderr);
        if (e) exit = Number(e[1]);
        stderr = stderr.replace(/\n\s*Command being timed:[\s\S]*$/, '');
      }
      resolvePromise({ exit, seconds, rssKb, stderrTail: stderr.trim().split('\n').slice(-3).join(' | ') });
    });
  });
}

/** Runs a command `times` times; the median time (and the peak RSS, load of that run), with every time kept. */
async function run(args, times = 1, env = {}) {
  const runs = [];
  for (let i = 0; i < times; i++) {
    const load = loadavg()[0];
    const r = await runOnce(args, env);
    runs.push({ ...r, load });
    if (r.exit !== 0) return { ...r, load, times: runs.map((x) => x.seconds) };
  }
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...median, rssKb: Math.max(...runs.map((x) => x.rssKb ?? 0)) || median.rssKb, times: runs.map((x) => x.seconds) };
}

/** A copy of the scenario that reads one claims file (table paths made absolute so it can live in bench-data/). */
function benchScenario(o, claimsFile, tag, monthly) {
  const doc = YAML.parse(readFileSync(o.scenario, 'utf8'));
  const base = dirname(o.scenario);
  if (doc.payments?.drg?.weightsFile) doc.payments.drg.weightsFile = resolve(base, doc.payments.drg.weightsFile);
  if (doc.payments?.dip?.groupsFile) doc.payments.dip.groupsFile = resolve(base, doc.payments.dip.groupsFile);
  delete doc.actuals;
  doc.claims = [claimsFile];
  if (monthly) doc.monthly = monthly;
  const file = join(o.dir, `scenario-${tag}.yaml`);
  writeFileSync(file, YAML.stringify(doc));
  return file;
}

function human(n) {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('dist/ is missing: run `npm run build` first\n');
    process.exit(2);
  }
  mkdirSync(o.dir, { recursive: true });
  const variants = [];
  for (const mix of o.mixes) {
    if (mix === 'default') {
      variants.push(
        { mix, format: 'csv', encoding: 'utf-8', ext: 'csv', label: 'CSV UTF-8' },
        { mix, format: 'csv', encoding: 'gb18030', ext: 'gb18030.csv', label: 'CSV GB18030' },
        { mix, format: 'xlsx', encoding: undefined, ext: 'xlsx', label: 'XLSX' },
      );
    } else variants.push({ mix, format: 'csv', encoding: 'utf-8', ext: `${mix}.csv`, label: `${mix} CSV`, mixOnly: true });
  }
  const results = [];
  const show = (r) => {
    const rate = r.exit === 0 && r.seconds > 0 ? Math.round(r.rows / r.seconds).toLocaleString('en-US') : '—';
    const rss = r.rssKb == null ? '?' : (r.rssKb / 1024).toFixed(0);
    const load = r.load == null ? '' : `  load ${r.load.toFixed(1)}`;
    const ratio = r.splitRatio == null ? '' : `  ${r.splitRatio.toFixed(2)}× split`;
    const all = r.times && r.times.length > 1 ? `  [${r.times.map((t) => t.toFixed(2)).join(' ')}]` : '';
    process.stdout.write(
      `${r.step.padEnd(14)} ${r.label.padEnd(16)} ${human(r.rows).padStart(6)} ${r.seconds.toFixed(2).padStart(8)} s ${rate.padStart(12)} rows/s ${rss.padStart(7)} MB` +
        `${ratio}${load}${all}${r.exit === 0 ? '' : `  EXIT ${r.exit}: ${r.stderrTail}`}\n`,
    );
  };
  process.stdout.write(`step           input              rows       time         rows/s   peak RSS   (median of ${o.repeat}; load = 1-min load average before the run)\n`);
  for (const size of o.sizes) {
    for (const v of variants) {
      if (v.encoding !== 'utf-8' && size > o.extraMax) continue;
      if (v.mixOnly && size > o.extraMax) continue;
      const file = join(o.dir, `claims-${size}-s${o.seed}.${v.ext}`);
      const tag = `${size}-s${o.seed}-${v.ext.replace(/\./g, '-')}`;
      const base = { label: v.label, rows: size, file: relative(root, file) };
      if (o.steps.includes('generate') && (o.regen || !existsSync(file))) {
        const args = [bin, 'generate', o.scenario, '--claims', String(size), '--seed', String(o.seed), '--out', file, '--format', v.format];
        if (v.encoding) args.push('--encoding', v.encoding);
        if (v.mix !== 'default') args.push('--mix', v.mix);
        const r = { step: 'generate', ...base, ...(await run(args)) };
        if (r.exit === 0) r.bytes = statSync(file).size;
        results.push(r);
        show(r);
        if (r.exit !== 0) continue;
      }
      if (!existsSync(file)) continue;
      if (o.steps.includes('validate')) {
        const r = { step: 'validate', ...base, ...(await run([bin, 'validate', file, '--no-progress', '--report', join(o.dir, `errors-${tag}.csv`)])) };
        results.push(r);
        show(r);
      }
      let split;
      if (o.steps.includes('split') && v.encoding === 'utf-8') {
        split = { step: 'split', ...base, ...(await run([join(root, 'scripts', 'bench-split.mjs'), file], o.repeat)) };
        results.push(split);
        show(split);
      }
      if (o.steps.includes('settle')) {
        const scenario = benchScenario(o, file, tag);
        const json = ['--json', join(o.dir, `result-${tag}.json`)];
        const r = { step: 'settle', ...base, ...(await run([bin, 'settle', scenario, ...json], o.repeat)) };
        if (split?.exit === 0 && r.exit === 0) r.splitRatio = r.seconds / split.seconds;
        results.push(r);
        show(r);
        if (o.steps.includes('settle-1thread')) {
          // The same run with the file read on the importer's own thread (no reader thread: csvThread.ts).
          const one = { step: 'settle 1 thread', ...base, ...(await run([bin, 'settle', scenario, ...json], o.repeat, { YIBAO_CSV_THREAD: 'never' })) };
          if (split?.exit === 0 && one.exit === 0) one.splitRatio = one.seconds / split.seconds;
          results.push(one);
          show(one);
        }
        if (o.xlsxReport) {
          const x = { step: 'settle+xlsx', ...base, ...(await run([bin, 'settle', scenario, ...json, '--xlsx', join(o.dir, `result-${tag}.xlsx`)], o.repeat)) };
          results.push(x);
          show(x);
        }
      }
      if (o.steps.includes('book') && v.encoding === 'utf-8') {
        const scenario = benchScenario(o, file, `${tag}-book`, { mode: 'claims', withholdRate: '0.05', dipPointValue: '9' });
        const dir = join(o.dir, `book-${tag}`);
        rmSync(dir, { recursive: true, force: true });
        const steps = [
          ['book init', [bin, 'book', 'init', dir, '--scenario', scenario], false],
          ['book import', [bin, 'book', 'import', dir, file, '--no-progress'], true],
          ['book close ×12', null, false],
          ['book clear', [bin, 'book', 'clear', dir], true],
          ['book status', [bin, 'book', 'status', dir, '--json', join(o.dir, `book-${tag}.json`)], true],
          ['book verify', [bin, 'book', 'verify', dir], true],
        ];
        for (const [step, args, shown] of steps) {
          let r;
          if (args === null) {
            r = { exit: 0, seconds: 0, rssKb: 0, stderrTail: '' };
            for (let m = 1; m <= 12 && r.exit === 0; m++) {
              const x = await run([bin, 'book', 'close', dir, `2024-${String(m).padStart(2, '0')}`]);
              r = { exit: x.exit, seconds: r.seconds + x.seconds, rssKb: Math.max(r.rssKb, x.rssKb ?? 0), stderrTail: x.stderrTail };
            }
          } else r = await run(args);
          const row = { step, ...base, ...r };
          results.push(row);
          if (shown || r.exit !== 0 || step === 'book close ×12') show(row);
          if (r.exit !== 0) break;
        }
      }
    }
  }
  const out = join(o.dir, 'bench-results.json');
  const summary = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    rssSource: hasGnuTime ? '/usr/bin/time -v' : '/proc/PID/status VmHWM',
    seed: o.seed,
    results: results.map((r) => ({ ...r, rowsPerSecond: r.exit === 0 ? Math.round(r.rows / r.seconds) : null, peakRssMb: r.rssKb == null ? null : Math.round(r.rssKb / 1024) })),
  };
  writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write(`\nresults → ${relative(process.cwd(), out) || out}\n`);
  if (results.some((r) => r.exit !== 0)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(2);
});
