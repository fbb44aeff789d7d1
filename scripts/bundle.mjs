// Bundles the compiled CLI (dist/, from tsc) into dist/bundle/ with esbuild, for start-up time: Node resolves, reads
// and compiles a dozen files instead of some 150 of ours plus commander's, yaml's, zod's and decimal.js's.
// Run by `npm run build` after tsc and asc; bin/yibao.js runs dist/bundle/main.js (YIBAO_UNBUNDLED=1: dist/cli/main.js).
//
// - Code-split ESM: every `await import()` of src/ (each command, the workbook writer, the server) stays a chunk of
//   its own, loaded only when it runs — a settle does not load exceljs, fastify or the book.
// - Entry points: the CLI (main.js) and the CSV reader thread (csvWorker.js), which csvThread.ts finds beside itself
//   (`new URL('./csvWorker.js', import.meta.url)`). Every chunk lies in dist/bundle/ itself, two levels below the
//   root as dist/<dir>/*.js are, so the other relative URLs of src/ resolve as they do from dist/: '../../web/'
//   (the server's page script and CSS) and '../../dist/claims/recordScan.wasm'; the wasm module is also copied
//   beside the chunks, where recordScan.ts looks first. test/cli/bundle.test.ts checks every such URL resolves.
// - Native packages (DuckDB, resvg) stay external: they load their .node binaries from node_modules. exceljs stays
//   external too (it loads only with a workbook to write or read): some of its dependencies call `new Buffer()`,
//   which Node lets pass silently from inside node_modules but warns about (DEP0005, on stderr) from our dist/.
// - Bundled CommonJS packages call require() for Node's own modules: the banner gives each chunk a `require`.
// - zod's `locales` namespace (z.locales: 50 languages, 366 KB, ~10 ms to compile at each start) keeps only `en`,
//   the default error map zod installs itself; nothing in src/ uses another (test/cli/bundle.test.ts checks).
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');

/** zod's locales/index.js, as imported by zod's own entry modules, replaced by one that exports only `en`. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(a.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales', pluginData: a.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (a) => ({ contents: "export { default as en } from '../locales/en.js';", resolveDir: a.pluginData }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'dist/cli/main.js', out: 'main' },
    { in: 'dist/claims/csvWorker.js', out: 'csvWorker' },
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@duckdb/*', '@resvg/*', 'exceljs'],
  banner: { js: "import { createRequire as __yibaoCreateRequire } from 'node:module'; const require = __yibaoCreateRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
copyFileSync(join(dist, 'claims', 'recordScan.wasm'), join(outdir, 'recordScan.wasm'));
copyFileSync(join(dist, 'claims', 'gb18030.wasm'), join(outdir, 'gb18030.wasm'));
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
