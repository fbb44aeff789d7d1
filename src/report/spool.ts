// Streams every priced claim of a scan into a file as text lines (claims.csv), with synchronous 4 MiB writes (the
// scan calls back synchronously and cannot be paused, so memory stays bounded), and sums each member's liability on
// the way for the reconciliation on checks.csv. (The workbook's claim sheets go straight into its zip: zip.ts.)
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RowRef } from '../claims/source.js';
import type { Fen } from '../domain/money.js';
import type { PricedClaim } from '../domain/result.js';

/** Streams every in-group claim priced (the settlement's second look at the claims). */
export type PricedClaimScanner = (visit: (p: PricedClaim, at: RowRef) => void) => Promise<void>;

export interface Spooled {
  readonly rows: number;
  readonly liabilityByMember: ReadonlyMap<string, Fen>;
}

const SPOOL_BUFFER = 4 << 20;

/** `line(p, at)` gives the text of a claim; `head` starts the file. */
export async function spoolClaims(
  path: string,
  scan: PricedClaimScanner | undefined,
  line: (p: PricedClaim, at: RowRef) => string,
  head = '',
): Promise<Spooled> {
  const byMember = new Map<string, Fen>();
  let rows = 0;
  const fd = openSync(path, 'w');
  // Each line is encoded straight into one reused buffer (no string of a megabyte built and flattened per write).
  const buf = Buffer.allocUnsafe(SPOOL_BUFFER);
  let used = 0;
  const put = (text: string): void => {
    if (used + text.length * 3 > buf.length) {
      writeSync(fd, buf, 0, used);
      used = 0;
      if (text.length * 3 > buf.length) {
        writeSync(fd, Buffer.from(text, 'utf8')); // a line longer than the buffer
        return;
      }
    }
    used += buf.write(text, used, 'utf8');
  };
  try {
    put(head);
    if (scan !== undefined) {
      await scan((p, at) => {
        put(line(p, at));
        rows += 1;
        byMember.set(p.memberId, (byMember.get(p.memberId) ?? 0) + p.liability);
      });
    }
    writeSync(fd, buf, 0, used);
  } finally {
    closeSync(fd);
  }
  return { rows, liabilityByMember: byMember };
}
