// One process owns a book at a time: a LOCK file created exclusively, naming the owner's PID. A lock left by a
// process that no longer runs (killed) is taken over; a live owner's is refused with its PID.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputRejected } from '../domain/errors.js';

export interface BookLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The locks this process holds: taking one of them again (a second owner inside the server, say) is refused. */
const held = new Set<string>();

export function lockBook(dir: string, command: string): BookLock {
  const path = join(dir, 'LOCK');
  if (held.has(resolve(path))) {
    throw new InputRejected([
      {
        file: dir,
        rule: 'book.inUse',
        zh: `账簿正被本进程（PID ${process.pid}）使用`,
        en: `the book is in use by this process (PID ${process.pid})`,
      },
    ]);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, command }));
      closeSync(fd);
      let released = false;
      held.add(resolve(path));
      const release = () => {
        if (released) return;
        released = true;
        held.delete(resolve(path));
        rmSync(path, { force: true });
      };
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid?: number; command?: string } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
      } catch {
        // a lock file being written or empty: treat as held unless it stays unreadable
      }
      // Our own PID in a lock we do not hold: left by an earlier process that had the same PID.
      if (typeof owner.pid === 'number' && owner.pid !== process.pid && alive(owner.pid)) {
        throw new InputRejected([
          {
            file: dir,
            rule: 'book.inUse',
            zh: `账簿正被进程 PID ${owner.pid}（${owner.command ?? '?'}）使用，请等待其结束后再试`,
            en: `the book is in use by PID ${owner.pid} (${owner.command ?? '?'}); try again when it has finished`,
          },
        ]);
      }
      rmSync(path, { force: true }); // left by a process that is gone
    }
  }
  throw new InputRejected([
    { file: dir, rule: 'book.lock', zh: '无法取得账簿锁（LOCK 文件）', en: 'cannot take the book lock (LOCK file)' },
  ]);
}
