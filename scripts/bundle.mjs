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
// - The packages a command such as settle loads before it reads a file (zod, yaml, papaparse) are bundled apart, as
//   CommonJS (vendor.cjs), and loaded with V8's code cache for them (scripts/vendor-loader.mjs; the cache is made by
//   scripts/vendor-cache.mjs, which `npm run build` runs after this): their imports in dist/ become imports of the
//   loader's exports (VENDOR_SHIMS). commander and decimal.js (small) stay in the chunks: `--help` and `--version`,
//   which load them, load none of the vendor.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');

/**
 * zod's locales/index.js (or .cjs, in its CommonJS build), as imported by zod's own entry modules, replaced by one
 * that exports only `en`.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (a) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(a.importer)
        ? { path: a.path.endsWith('.cjs') ? 'zod-locales-en.cjs' : 'zod-locales-en', namespace: 'zod-locales', pluginData: a.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (a) => ({
      contents: a.path.endsWith('.cjs')
        ? "'use strict'; Object.defineProperty(exports, '__esModule', { value: true }); const m = require('../locales/en.cjs'); exports.en = m && m.__esModule ? m.default : m;"
        : "export { default as en } from '../locales/en.js';",
      resolveDir: a.pluginData,
    }));
  },
};

/**
 * The packages of vendor.cjs, as dist/ imports them (what src/ imports of each), made the vendor loader's exports;
 * test/cli/bundle.test.ts checks the bundle holds none of them itself.
 */
const VENDOR_SHIMS = {
  zod: 'export const z = vendor.z;',
  yaml: 'export default vendor.YAML; export const parse = vendor.YAML.parse;',
  papaparse: 'export default vendor.Papa;',
};
const vendorShims = {
  name: 'vendor-shims',
  setup(b) {
    b.onResolve({ filter: /^(zod|yaml|papaparse)$/ }, (a) =>
      /[\\/]node_modules[\\/]/.test(a.importer) ? undefined : { path: a.path, namespace: 'vendor-shim' },
    );
    b.onLoad({ filter: /.*/, namespace: 'vendor-shim' }, (a) => ({
      contents: `import { vendor } from './vendor-loader.mjs'; ${VENDOR_SHIMS[a.path]}`,
      resolveDir: join(root, 'scripts'),
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const vendor = await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'scripts', 'vendor-entry.cjs')],
  outfile: join(outdir, 'vendor.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [zodEnglishOnly],
  metafile: true,
  logLevel: 'warning',
});
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
  plugins: [vendorShims],
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
copyFileSync(join(dist, 'claims', 'recordScan.wasm'), join(outdir, 'recordScan.wasm'));
copyFileSync(join(dist, 'claims', 'gb18030.wasm'), join(outdir, 'gb18030.wasm'));
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
writeFileSync(join(outdir, 'vendor-meta.json'), JSON.stringify(vendor.metafile));
