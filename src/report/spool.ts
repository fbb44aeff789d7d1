// Streams every priced claim of a scan into a file as text lines, with synchronous 1 MiB writes (the scan calls back
// synchronously and cannot be paused, so memory stays bounded), and sums each member's liability on the way for the
// reconciliation on the Checks sheet / checks.csv. With `rowsPerFile`, the lines go into consecutive files of at most
// that many rows each (the workbook's claim sheets, one file per sheet).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RowRef } from '../claims/source.js';
import type { Fen } from '../domain/money.js';
import type { PricedClaim } from '../domain/result.js';

/** Streams every in-group claim priced (the settlement's second look at the claims). */
export type PricedClaimScanner = (visit: (p: PricedClaim, at: RowRef) => void) => Promise<void>;

export interface Spooled {
  readonly rows: number;
  readonly liabilityByMember: ReadonlyMap<string, Fen>;
  /** The files written, in order, with their rows: `path`, then `path.2`, `path.3`, … */
  readonly files: ReadonlyArray<{ readonly path: string; readonly rows: number }>;
}

const SPOOL_BUFFER = 4 << 20;

/** The k-th (0-based) spool file of `path`. */
export const spoolFile = (path: string, k: number): string => (k === 0 ? path : `${path}.${k + 1}`);

/**
 * `line(p, at, i)` gives the text of the i-th claim (0-based, counted over all files); `head` starts the first file.
 * On an error the files written so far stay for the caller to remove (their names are `spoolFile(path, k)`).
 */
export async function spoolClaims(
  path: string,
  scan: PricedClaimScanner | undefined,
  line: (p: PricedClaim, at: RowRef, i: number) => string,
  head = '',
  rowsPerFile = Number.POSITIVE_INFINITY,
  /** 'latin1' when the lines are byte strings (one character per byte, as ClaimRowXml gives them). */
  encoding: 'utf8' | 'latin1' = 'utf8',
): Promise<Spooled> {
  const byMember = new Map<string, Fen>();
  const files: Array<{ path: string; rows: number }> = [{ path, rows: 0 }];
  let rows = 0;
  let fd = openSync(path, 'w');
  // Each line is encoded straight into one reused buffer (no string of a megabyte built and flattened per write).
  const buf = Buffer.allocUnsafe(SPOOL_BUFFER);
  let used = 0;
  const perChar = encoding === 'utf8' ? 3 : 1;
  const put = (text: string): void => {
    if (used + text.length * perChar > buf.length) {
      writeSync(fd, buf, 0, used);
      used = 0;
      if (text.length * perChar > buf.length) {
        writeSync(fd, Buffer.from(text, encoding)); // a line longer than the buffer
        return;
      }
    }
    used += buf.write(text, used, encoding);
  };
  try {
    put(head);
    let inFile = 0;
    if (scan !== undefined) {
      await scan((p, at) => {
        if (inFile === rowsPerFile) {
          writeSync(fd, buf, 0, used);
          used = 0;
          closeSync(fd);
          fd = -1;
          const next = spoolFile(path, files.length);
          fd = openSync(next, 'w');
          files.push({ path: next, rows: 0 });
          inFile = 0;
        }
        put(line(p, at, rows));
        rows += 1;
        inFile += 1;
        files[files.length - 1].rows = inFile;
        byMember.set(p.memberId, (byMember.get(p.memberId) ?? 0) + p.liability);
      });
    }
    writeSync(fd, buf, 0, used);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  return { rows, liabilityByMember: byMember, files };
}
