// Nothing half-written: every output goes to a temporary file beside its target and is renamed only on success.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
}

/**
 * Runs `write(tempPath)`, then renames the temp file onto `target` and returns what `write` returned; on failure
 * removes the temp file.
 */
export async function writeAtomically<T>(target: string, write: (tempPath: string) => Promise<T> | T): Promise<T> {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const result = await write(tmp);
    renameSync(tmp, target);
    return result;
  } catch (e) {
    rmSync(tmp, { force: true, recursive: true });
    throw e;
  }
}

/** How an output is written: `writeAtomically`, or staged into an OutputSet (outputs.ts) and renamed with the set. */
export type OutputWriter = <T>(target: string, write: (tempPath: string) => Promise<T> | T) => Promise<T>;

export function writeTextAtomically(target: string, text: string): Promise<void> {
  return writeAtomically(target, (tmp) => writeFileSync(tmp, text, 'utf8'));
}
