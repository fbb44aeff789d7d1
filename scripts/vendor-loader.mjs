// Part of the CLI bundle (scripts/bundle.mjs), not of src/: the packages a command such as settle loads before it
// reads a file — zod, yaml, papaparse: over half the JavaScript a `settle` loads before its first row — are
// bundled apart as CommonJS (dist/bundle/vendor.cjs) and compiled here with V8's code cache for them
// (dist/bundle/vendor.cache, made by `npm run build` from a settle of the demo: scripts/vendor-cache.mjs). With the
// cache, V8 neither parses them nor compiles the functions that run at start-up. V8 refuses a cache made by another Node or with other flags
// (`cachedDataRejected`): then they are compiled as without it, and nothing else changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('./vendor.cjs', import.meta.url));
const cacheFile = fileURLToPath(new URL('./vendor.cache', import.meta.url));

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // not made yet (the build makes it by running the CLI once)
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, {
  filename: file,
  cachedData,
});
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));

/** The packages (scripts/vendor-entry.cjs), for the shims in scripts/bundle.mjs. */
export const vendor = module.exports;

// YIBAO_VENDOR_DEBUG=1: say whether V8 took the cache (a slow start: was it refused?).
if (process.env.YIBAO_VENDOR_DEBUG === '1') {
  const state = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'refused' : 'used';
  process.stderr.write(`[vendor] code cache ${state}\n`);
}

// scripts/vendor-cache.mjs: the cache of what this run compiled, written as the process ends.
const out = process.env.YIBAO_VENDOR_CACHE_OUT;
if (out) process.on('exit', () => writeFileSync(out, script.createCachedData()));
