#!/usr/bin/env node
// Thin launcher. `npm ci` builds the CLI (the `prepare` script): tsc compiles src/ to dist/, then esbuild bundles
// dist/ into dist/bundle/ (scripts/bundle.mjs), which starts faster. YIBAO_UNBUNDLED=1 runs the unbundled dist/
// instead (one file per module, for debugging).
await import(process.env.YIBAO_UNBUNDLED === '1' ? '../dist/cli/main.js' : '../dist/bundle/main.js');
