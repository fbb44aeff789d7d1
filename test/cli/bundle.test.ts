// The bundled CLI (dist/bundle/, scripts/bundle.mjs) that bin/yibao.js runs: each file it finds through
// import.meta.url is there, the CSV reader thread and the WebAssembly module are really used from it (both fall back
// silently when their file is missing, which would only show as a slower run), settle loads no chunk that holds the
// workbook writer, the server or DuckDB, its output equals the unbundled dist/'s, and the web server started from it
// serves its static files. `npm test` builds first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BUNDLE = resolve('dist/bundle');
const dir = mkdtempSync(join(tmpdir(), 'yibao-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Preloaded into the CLI (and, through execArgv, into its worker threads): reports on stderr every worker started
// from a file and every .wasm file read.
const PROBE = join(dir, 'probe.mjs');
writeFileSync(
  PROBE,
  `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';
import wt from 'node:worker_threads';
const say = (s) => fs.writeSync(2, '[probe] ' + s + '\\n');
const pathOf = (p) => (p instanceof URL ? fileURLToPath(p) : String(p));
const Worker = wt.Worker;
wt.Worker = class extends Worker {
  constructor(file, options) {
    if (!options?.eval) say('worker ' + pathOf(file));
    super(file, options);
  }
};
const readFileSync = fs.readFileSync;
fs.readFileSync = function (p, ...rest) {
  if (typeof p !== 'number' && pathOf(p).endsWith('.wasm')) say('wasm ' + pathOf(p));
  return readFileSync.call(this, p, ...rest);
};
syncBuiltinESMExports();
`,
);

function yibao(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, 'bin/yibao.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Meta {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown>; entryPoint?: string }>;
}

describe('the bundled CLI', () => {
  it('finds every file it names relative to its own chunks', () => {
    const urls: string[] = [];
    for (const name of readdirSync(BUNDLE).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(BUNDLE, name), 'utf8');
      for (const m of code.matchAll(/new URL\("(\.[^"]*)", import\.meta\.url\)/g)) {
        urls.push(m[1]);
        expect(existsSync(fileURLToPath(new URL(m[1], pathToFileURL(join(BUNDLE, name))))), `${name}: ${m[1]}`).toBe(true);
      }
    }
    // The reader thread, the wasm modules beside the chunks and in dist/claims/, the server's web/ folder.
    expect(urls).toEqual(
      expect.arrayContaining(['./csvWorker.js', './recordScan.wasm', '../../dist/claims/recordScan.wasm', './gb18030.wasm', '../../dist/claims/gb18030.wasm', '../../web/']),
    );
  });

  it('settle and help start no chunk with exceljs, the workbook writer, the server or DuckDB; the commands that need them do', () => {
    const meta = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Meta;
    const chunkOf = (entry: string) => Object.keys(meta.outputs).find((k) => meta.outputs[k].entryPoint === entry) as string;
    // What a chunk loads before it runs: its static imports, transitively (dynamic imports wait for their command).
    const loaded = (...entries: string[]) => {
      const seen = new Set<string>();
      const stack = entries.map(chunkOf);
      while (stack.length > 0) {
        const out = stack.pop() as string;
        if (seen.has(out)) continue;
        seen.add(out);
        for (const i of meta.outputs[out]?.imports ?? []) if (i.kind === 'import-statement') stack.push(i.path);
      }
      return [...seen].flatMap((out) => (meta.outputs[out] ? Object.keys(meta.outputs[out].inputs) : [out]));
    };
    const settle = loaded('dist/cli/main.js', 'dist/cli/settle.js');
    expect(settle).toContain('dist/domain/settle.js');
    expect(settle).toContain('node_modules/commander/index.js');
    // Bundled files are node_modules/… or dist/…; external packages their bare names.
    const heavy = /^(node_modules\/)?(exceljs|fastify|@duckdb\/node-api|@resvg\/resvg-js)(\/|$)|^dist\/(server\/|report\/workbook\/index\.js)/;
    expect(settle.filter((f) => heavy.test(f))).toEqual([]);
    expect(loaded('dist/report/workbook/index.js')).toContain('exceljs');
    // Registering the book and serve commands (help, or a book command) does not load DuckDB; running one does.
    expect(loaded('dist/cli/main.js', 'dist/cli/book.js', 'dist/cli/serve.js').filter((f) => heavy.test(f))).toEqual([]);
    expect(loaded('dist/app/book.js')).toContain('@duckdb/node-api');
    expect(loaded('dist/server/app.js').some((f) => f.startsWith('node_modules/fastify/'))).toBe(true);
  });

  it("keeps only zod's English locale, which is all src/ uses", () => {
    const meta = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Meta;
    const vendor = JSON.parse(readFileSync(join(BUNDLE, 'vendor-meta.json'), 'utf8')) as Meta;
    const inputs = [...Object.values(meta.outputs), ...Object.values(vendor.outputs)].flatMap((o) => Object.keys(o.inputs));
    expect(inputs.filter((f) => /zod\/v4\/locales\//.test(f)).sort()).toEqual(['node_modules/zod/v4/locales/en.cjs']);
    const uses = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? uses(join(d, e.name)) : /\blocales\b/.test(readFileSync(join(d, e.name), 'utf8')) ? [join(d, e.name)] : []));
    expect(uses('src')).toEqual([]);
  });

  it('loads zod, yaml and papaparse once, from vendor.cjs with its code cache, and no other copy of them', () => {
    const meta = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Meta;
    const vendor = JSON.parse(readFileSync(join(BUNDLE, 'vendor-meta.json'), 'utf8')) as Meta;
    const packages = (m: Meta) => new Set(Object.values(m.outputs).flatMap((o) => Object.keys(o.inputs)).flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []));
    const inVendor = packages(vendor);
    for (const p of ['zod', 'yaml', 'papaparse']) expect(inVendor.has(p), p).toBe(true);
    expect([...packages(meta)].filter((p) => inVendor.has(p))).toEqual([]);
    const r = yibao(['settle', 'scenarios/demo.yaml', '--json', join(dir, 'vendor.json'), '-q', '--no-progress'], { YIBAO_VENDOR_DEBUG: '1' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[vendor] code cache used\n');
    // Help and --version load none of it.
    expect(yibao(['--version'], { YIBAO_VENDOR_DEBUG: '1' }).stderr).not.toContain('[vendor]');
  });

  it('settles on the reader thread and with the WebAssembly module from dist/bundle/, as the unbundled dist/ does', () => {
    const bundled = join(dir, 'bundled.json');
    const plain = join(dir, 'plain.json');
    const a = yibao(['settle', 'scenarios/demo.yaml', '--json', bundled, '-q', '--no-progress'], { YIBAO_CSV_THREAD: 'always' }, ['--import', pathToFileURL(PROBE).href]);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain(`[probe] worker ${join(BUNDLE, 'csvWorker.js')}\n`);
    expect(a.stderr).toContain(`[probe] wasm ${join(BUNDLE, 'recordScan.wasm')}\n`);
    const b = yibao(['settle', 'scenarios/demo.yaml', '--json', plain, '-q', '--no-progress'], { YIBAO_CSV_THREAD: 'never', YIBAO_UNBUNDLED: '1' });
    expect(b.code).toBe(0);
    expect(readFileSync(bundled)).toEqual(readFileSync(plain));
  });

  it('reads a GB18030 file with the GB18030 module from dist/bundle/, on the reader thread and on its own', () => {
    const gb = join(dir, 'gb.csv');
    expect(yibao(['generate', 'scenarios/demo.yaml', '--claims', '500', '--seed', '3', '--out', gb, '--encoding', 'gb18030', '--headers', 'chinese']).code).toBe(0);
    const outs = ['always', 'never'].map((mode) => {
      const out = join(dir, `gb-${mode}.json`);
      const r = yibao(['settle', 'scenarios/demo.yaml', '--set', `claims=${gb}`, '--json', out, '-q', '--no-progress'], { YIBAO_CSV_THREAD: mode }, ['--import', pathToFileURL(PROBE).href]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`[probe] wasm ${join(BUNDLE, 'gb18030.wasm')}\n`);
      return readFileSync(out);
    });
    expect(outs[0]).toEqual(outs[1]);
  });

  it('serves the page script, the CSS and ECharts when `yibao serve` runs from the bundle', async () => {
    const book = join(dir, 'book');
    expect(yibao(['book', 'init', book, '--scenario', 'scenarios/book-2024.yaml']).code).toBe(0);
    const server = spawn(process.execPath, ['bin/yibao.js', 'serve', '--book', book, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const address = await new Promise<string>((done, fail) => {
        let out = '';
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          const m = /web workspace at (http:\/\/\S+?)（/.exec(out);
          if (m) done(m[1]);
        });
        server.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
      });
      const files = { 'app.js': 'web/app.js', 'app.css': 'web/app.css', 'echarts.min.js': 'node_modules/echarts/dist/echarts.min.js' };
      for (const [name, file] of Object.entries(files)) {
        const r = await fetch(`${address}/static/${name}`);
        expect(r.status, name).toBe(200);
        expect(Buffer.from(await r.arrayBuffer()).equals(readFileSync(file)), name).toBe(true);
      }
    } finally {
      server.kill('SIGTERM');
    }
  });
});
