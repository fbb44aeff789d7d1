// A claims CSV read on the reader thread (csvThread.ts, used for big files) and read on the importer's own thread give
// the same run: the same JSON bytes, the same messages on stdout and stderr, the same exit code, the same error
// report. The built CLI with YIBAO_CSV_THREAD=always against =never (and =never without the fast path's bulk tier,
// YIBAO_CSV_WASM=never), on clean and broken files, both encodings, title
// rows above the header, a file whose header is wrong, a missing file, and chunks of 64 bytes (YIBAO_CHUNK) so that
// every record, multi-byte character and CRLF straddles the thread's messages somewhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'yibao-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(mode: 'always' | 'never', chunk: string | undefined, args: string[], wasm = true) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', YIBAO_CSV_THREAD: mode };
  if (!wasm) env.YIBAO_CSV_WASM = 'never';
  else delete env.YIBAO_CSV_WASM;
  if (chunk) env.YIBAO_CHUNK = chunk;
  else delete env.YIBAO_CHUNK;
  const r = spawnSync(process.execPath, ['bin/yibao.js', ...args], { encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs a command both ways, and once more without the bulk tier of the fast path (YIBAO_CSV_WASM=never, on one
 * thread); returns the threaded run after checking it equals the others, output files included.
 */
function same(args: (out: string) => string[], chunk?: string, outName = 'out.json') {
  const a = join(dir, `a-${outName}`);
  const threaded = run('always', chunk, args(a));
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  const bytes = read(a);
  for (const [tag, mode, wasm] of [['b', 'never', true], ['c', 'never', false]] as const) {
    const b = join(dir, `${tag}-${outName}`);
    const other = run(mode, chunk, args(b), wasm);
    expect(threaded.status).toBe(other.status);
    expect(threaded.stdout.replaceAll(a, 'OUT')).toBe(other.stdout.replaceAll(b, 'OUT'));
    expect(threaded.stderr.replaceAll(a, 'OUT')).toBe(other.stderr.replaceAll(b, 'OUT'));
    if (bytes !== undefined) expect(bytes).toBe(read(b));
  }
  return { ...threaded, output: bytes };
}

describe('the reader thread', () => {
  it('settles a generated year to the same bytes, in whole and in 64-byte chunks, UTF-8 and GB18030', () => {
    const gen = ['generate', 'scenarios/demo.yaml', '--claims', '3000', '--seed', '5'];
    expect(run('never', undefined, [...gen, '--out', join(dir, 'c.csv')]).status).toBe(0);
    expect(run('never', undefined, [...gen, '--out', join(dir, 'c-gb.csv'), '--encoding', 'gb18030', '--headers', 'chinese']).status).toBe(0);
    for (const file of ['c.csv', 'c-gb.csv']) {
      for (const chunk of [undefined, '64']) {
        const r = same((out) => ['settle', 'scenarios/demo.yaml', '--set', `claims=${join(dir, file)}`, '--json', out, '--no-progress'], chunk);
        expect(r.status).toBe(0);
        expect(JSON.parse(r.output as string).actuals.claimRows).toBe(3000);
      }
    }
  });

  it('reports the same errors for broken rows, duplicates, reversals, title rows and a CRLF file', () => {
    const lines = readFileSync(join(dir, 'c.csv'), 'utf8').split('\n').filter((l) => l !== '');
    const header = lines[0];
    const body = lines.slice(1, 400);
    const broken = [...body];
    broken[3] = broken[3].replace(/,2024-/, ',2023-'); // another year
    broken[10] = broken[10].replace(/^([^,]*),/, '$1 ,'); // an id with a trailing space: RowChecker trims it
    broken[20] = broken[1]; // a duplicate id
    broken[30] = broken[30].replace(/,(\d+)\.(\d\d),/, ',x$1.$2,'); // not an amount
    broken.push(`"quoted",${broken[40].split(',').slice(1).join(',')}`);
    const text = ['2024年结算明细', '', header, ...broken].join('\r\n') + '\r\n';
    writeFileSync(join(dir, 'broken.csv'), text);
    for (const chunk of [undefined, '64']) {
      const r = same((out) => ['validate', join(dir, 'broken.csv'), '--report', out], chunk, 'report.csv');
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/date\.outsideYear|id\.duplicate|amount/);
    }
  });

  it('keeps one claim-id ledger across files read on reader threads: duplicates and reversals between files', () => {
    const lines = readFileSync(join(dir, 'c.csv'), 'utf8').split('\n').filter((l) => l !== '');
    const header = lines[0];
    const cols = header.split(',');
    const at = (name: string) => cols.indexOf(name);
    const [idCol, revCol] = [at('claim_id'), at('reverses')];
    const money = ['total_cost', 'fund_paid', 'patient_paid'].map(at);
    const reversalOf = (line: string, id: string) => {
      const c = line.split(',');
      const original = c[idCol];
      c[idCol] = id;
      c[revCol] = original;
      for (const m of money) if (c[m] !== '' && !c[m].startsWith('-')) c[m] = `-${c[m]}`;
      return c.join(',');
    };
    const one = lines.slice(1, 1500);
    const two = lines.slice(1500, 3000);
    const fileOne = [...one, reversalOf(two[10], 'XR-EARLY')]; // its original comes in the second file
    const fileTwo = [...two, one[5], reversalOf(one[20], 'XR-LATE'), reversalOf(one[20], 'XR-AGAIN')]; // a duplicate id; a reversal twice
    writeFileSync(join(dir, 'one.csv'), [header, ...fileOne].join('\n') + '\n');
    writeFileSync(join(dir, 'two.csv'), [header, ...fileTwo].join('\n') + '\n');
    for (const chunk of [undefined, '64']) {
      const r = same((out) => ['validate', join(dir, 'one.csv'), join(dir, 'two.csv'), '--report', out], chunk, 'two-files.csv');
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/claimId\.duplicate/);
      expect(r.output).toMatch(/reversal\.twice/);
      expect(r.output).not.toMatch(/reversal\.unknown/); // XR-EARLY found its original in the second file
    }
  });

  it('keeps the ledger the same with its table in the bulk tier: many duplicates, a table that grows, a long record', () => {
    const lines = readFileSync(join(dir, 'c.csv'), 'utf8').split('\n').filter((l) => l !== '');
    const header = lines[0];
    const body = lines.slice(1);
    // A 1.5 MB record third (the ledger's estimate, from the first 64 KB, is then far too low: its table grows; the
    // text outgrows the module's room for it: the table moves), and every 97th row a duplicate of an earlier one.
    const rows = body.map((l, i) => (i % 97 === 96 ? body[i - 50] : l));
    rows.splice(2, 0, `"${'x'.repeat(1_500_000)}",${body[0].split(',').slice(1).join(',')}`);
    writeFileSync(join(dir, 'dups.csv'), [header, ...rows].join('\n') + '\n');
    const r = same((out) => ['validate', join(dir, 'dups.csv'), '--report', out], undefined, 'dups.csv');
    expect(r.status).not.toBe(0);
    expect(r.output?.match(/claimId\.duplicate/g)?.length).toBe(30);
  });

  it('stops the same way on a wrong header, an open quote, bad bytes and a missing file', () => {
    writeFileSync(join(dir, 'noheader.csv'), 'a,b,c\n1,2,3\n');
    writeFileSync(join(dir, 'quote.csv'), readFileSync(join(dir, 'c.csv'), 'utf8').split('\n').slice(0, 50).join('\n').replace(/\n(JS[^,]*),/, '\n"$1,') + '\n');
    const bad = Buffer.from(readFileSync(join(dir, 'c.csv')).subarray(0, 5000));
    bad[3000] = 0xff;
    writeFileSync(join(dir, 'bad.csv'), bad);
    for (const f of ['noheader.csv', 'quote.csv', 'bad.csv', 'missing.csv']) {
      const r = same((out) => ['validate', join(dir, f), '--encoding', 'utf-8', '--report', out], '64', `${f}.report.csv`);
      expect(r.status).not.toBe(0);
    }
  });
});
