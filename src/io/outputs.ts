// Outputs as one set (issue 11): a run's workbook, CSV tables and JSON are checked before anything is computed,
// written to temporary files beside their targets, and renamed onto the targets only when all are complete.
// A lock per target keeps a second run off the same targets (it refuses, naming the running process). On SIGINT or
// SIGTERM the temporary files and locks are removed; those of a run that died (kill -9, power loss) are removed by
// the next run that writes to the same place. Every output names the run by its inputs' SHA-256 (`runId`).
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputRejected } from '../domain/errors.js';
import type { InputFile } from '../domain/result.js';
import type { InputError } from '../domain/types.js';

export type OutputKind = 'file' | 'dir';
export interface OutputTarget {
  readonly path: string;
  readonly kind: OutputKind;
  readonly option: string; // how the user named it: "--xlsx"
}

/** A short name of the run: the first 16 hex digits of the SHA-256 of its inputs (role, file, SHA-256 each). */
export function runId(inputs: readonly InputFile[]): string {
  const h = createHash('sha256');
  for (const i of inputs) h.update(`${i.role}\t${i.file}\t${i.sha256}\n`);
  return h.digest('hex').slice(0, 16);
}

const TEMP = /^\..+\.(\d+)\.tmp(?:\..+)?$/; // .NAME.PID.tmp, and .NAME.PID.tmp.claims (the workbook's spool)
const LOCK_SUFFIX = '.yibao-lock';

function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

function bad(target: OutputTarget, rule: string, zh: string, en: string): InputError {
  return { file: target.path, rule, zh: `${target.option} ${zh}`, en: `${target.option} ${en}` };
}

function kindOf(path: string): 'missing' | 'file' | 'dir' | 'other' {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** Checks targets before any work: each file target is no folder, each folder target no file, none twice. */
export function checkTargets(targets: readonly OutputTarget[]): InputError[] {
  const errors: InputError[] = [];
  const seen = new Map<string, string>();
  for (const t of targets) {
    const abs = resolve(t.path);
    const other = seen.get(abs);
    if (other !== undefined) {
      errors.push(bad(t, 'output.twice', `与 ${other} 指向同一个位置`, `names the same place as ${other}`));
      continue;
    }
    seen.set(abs, t.option);
    const k = kindOf(abs);
    if (t.kind === 'dir' && (k === 'file' || k === 'other')) {
      errors.push(bad(t, 'output.notDir', '应为文件夹，但该位置已有一个文件', 'must be a folder, but a file is there'));
    } else if (t.kind === 'file' && k === 'dir') {
      errors.push(bad(t, 'output.isDir', '应为文件，但该位置是一个文件夹', 'must be a file, but a folder is there'));
    } else if (t.kind === 'file' && k === 'other') {
      errors.push(bad(t, 'output.notFile', '该位置不是普通文件（管道或设备）', 'is not a regular file (a pipe or device)'));
    } else {
      // The folder that will hold the file (or the folder itself): it must be a folder, or creatable.
      let up = t.kind === 'dir' ? abs : dirname(abs);
      while (kindOf(up) === 'missing' && dirname(up) !== up) up = dirname(up);
      if (kindOf(up) !== 'dir') {
        errors.push(bad(t, 'output.parent', `无法在 ${up} 下创建（那里是一个文件）`, `cannot be created under ${up} (a file is there)`));
      }
    }
  }
  return errors;
}

/** A path as the file system names it: symbolic links and `..` resolved, as far as the path exists. */
function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const up = dirname(abs);
    return up === abs ? abs : join(canonical(up), basename(abs));
  }
}

/**
 * Refuses an output that would overwrite a file the run reads (a claims export, the scenario or one it extends, a
 * table, the special-case list, the mapping): `--json claims.csv` would replace the clerk's export by the result.
 * A folder target (`--csv`) is checked by the names it writes (`filesOf`).
 */
export function checkNotInputs(targets: readonly OutputTarget[], inputs: readonly string[], filesOf: (t: OutputTarget) => readonly string[] = () => []): InputError[] {
  const read = new Set(inputs.map(canonical));
  const errors: InputError[] = [];
  for (const t of targets) {
    const paths = t.kind === 'dir' ? filesOf(t).map((n) => join(t.path, n)) : [t.path];
    const hit = paths.find((p) => read.has(canonical(p)));
    if (hit !== undefined) {
      errors.push({
        file: hit,
        rule: 'output.isInput',
        zh: `${t.option} 会覆盖本次运行读取的输入文件 ${hit}：请换一个输出位置`,
        en: `${t.option} would overwrite ${hit}, a file this run reads: choose another place for the output`,
      });
    }
  }
  return errors;
}

/** Removes temporary files and locks left in `dir` by runs that are no longer alive. */
export function removeLeftovers(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    let pid: number | undefined;
    const m = TEMP.exec(name);
    if (m) pid = Number(m[1]);
    else if (name.startsWith('.') && name.endsWith(LOCK_SUFFIX)) {
      try {
        pid = Number(readFileSync(join(dir, name), 'utf8').trim());
      } catch {
        continue;
      }
    } else continue;
    if (pidAlive(pid)) continue;
    rmSync(join(dir, name), { force: true, recursive: true });
    removed.push(name);
  }
  return removed;
}

/**
 * One run's outputs. `open` checks the targets, removes leftovers of dead runs and takes the locks; `write` stages
 * one file; `commit` renames every staged file onto its target (the JSON, staged last, is renamed last) and
 * releases the locks; `abort` (also on SIGINT/SIGTERM) removes what was staged and releases the locks.
 */
export class OutputSet {
  private readonly staged: { temp: string; target: string }[] = [];
  private readonly temps = new Set<string>();
  private readonly locks: string[] = [];
  private closed = false;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.abort();
    process.kill(process.pid, signal); // the default action, now that the handler is gone: exit 128 + n
  };
  private readonly onExit = () => this.abort();

  private constructor(readonly targets: readonly OutputTarget[]) {}

  static open(targets: readonly OutputTarget[]): OutputSet {
    const errors = checkTargets(targets);
    if (errors.length > 0) throw new InputRejected(errors);
    const set = new OutputSet(targets);
    try {
      for (const t of targets) set.lock(t);
    } catch (e) {
      set.abort();
      throw e;
    }
    process.once('SIGINT', set.onSignal);
    process.once('SIGTERM', set.onSignal);
    process.once('exit', set.onExit);
    return set;
  }

  private lock(t: OutputTarget): void {
    const abs = resolve(t.path);
    const dir = t.kind === 'dir' ? abs : dirname(abs);
    mkdirSync(dir, { recursive: true });
    removeLeftovers(dir);
    const lock = t.kind === 'dir' ? join(abs, `.dir${LOCK_SUFFIX}`) : join(dir, `.${basename(abs)}${LOCK_SUFFIX}`);
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(lock, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        this.locks.push(lock);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'EEXIST' || attempt > 0) throw e;
        let holder = NaN;
        try {
          holder = Number(readFileSync(lock, 'utf8').trim());
        } catch {
          // removed meanwhile: try again
        }
        if (pidAlive(holder)) {
          throw new InputRejected([
            bad(
              t,
              'output.locked',
              `正在被另一个 yibao 进程（PID ${holder}）写入；请等它结束后再运行，或换一个输出位置`,
              `is being written by another yibao process (PID ${holder}): wait for it to finish, or write elsewhere`,
            ),
          ]);
        }
        rmSync(lock, { force: true }); // a dead run's lock
      }
    }
  }

  /** The temporary path for a target: beside it, named by this process, so a dead run's leftovers can be told. */
  tempFor(target: string): string {
    const abs = resolve(target);
    const temp = join(dirname(abs), `.${basename(abs)}.${process.pid}.tmp`);
    this.temps.add(temp);
    this.temps.add(`${temp}.claims`);
    return temp;
  }

  /** Stages one output: `write(temp)` writes it; it reaches `target` only at `commit`. Same shape as writeAtomically. */
  async write<T>(target: string, write: (temp: string) => Promise<T> | T): Promise<T> {
    if (this.closed) throw new Error('output set already closed');
    const temp = this.tempFor(target);
    try {
      const result = await write(temp);
      this.staged.push({ temp, target: resolve(target) });
      return result;
    } catch (e) {
      rmSync(temp, { force: true, recursive: true });
      throw e;
    }
  }

  /** Renames every staged output onto its target, in staging order; then releases the locks. */
  async commit(): Promise<void> {
    await pauseAt('commit');
    for (const [i, s] of this.staged.entries()) {
      renameSync(s.temp, s.target);
      if (i === 0) await pauseAt('mid-commit');
    }
    this.staged.length = 0;
    this.close();
  }

  /** Removes every staged or half-written temporary file and releases the locks. Safe to call twice. */
  abort(): void {
    for (const t of this.temps) rmSync(t, { force: true, recursive: true });
    this.staged.length = 0;
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.locks) rmSync(l, { force: true });
    this.locks.length = 0;
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    process.removeListener('exit', this.onExit);
  }
}

/**
 * Test hook for the kill tests: with YIBAO_PAUSE_AT=<stage> the process creates YIBAO_PAUSE_FILE and waits at that
 * stage until a signal ends it (stages: 'staged' once every output is in its temporary file, 'commit', 'mid-commit'
 * after the first rename). Without the variable it returns at once.
 */
export async function pauseAt(stage: string): Promise<void> {
  if (process.env.YIBAO_PAUSE_AT !== stage) return;
  const file = process.env.YIBAO_PAUSE_FILE;
  if (file) closeSync(openSync(file, 'w'));
  await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}
