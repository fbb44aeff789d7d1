// Loading the WebAssembly modules that `npm run build` compiles from wasm/ (AssemblyScript) into dist/claims/.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The first of `locations` that exists, compiled (each module looks beside its JavaScript side, where the bundle has
 * it, then in dist/claims/, for the sources run by the tests); undefined when none exists, or when YIBAO_CSV_WASM=never
 * (then the JavaScript paths do all the work).
 */
export function compiledWasm(locations: readonly URL[]): WebAssembly.Module | undefined {
  if (process.env.YIBAO_CSV_WASM === 'never') return undefined;
  for (const url of locations) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return new WebAssembly.Module(readFileSync(path));
  }
  return undefined;
}
