// Streams every priced claim of a scan into a file as text lines, with synchronous 1 MiB writes (the scan calls back
// synchronously and cannot be paused, so memory stays bounded), and sums each member's liability on the way for the
// reconciliation on the Checks sheet / checks.csv.
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

export async function spoolClaims(path: string, scan: PricedClaimScanner | undefined, line: (p: PricedClaim, at: RowRef) => string, head = ''): Promise<Spooled> {
  const byMember = new Map<string, Fen>();
  let rows = 0;
  const fd = openSync(path, 'w');
  try {
    let buf = head;
    if (scan !== undefined) {
      await scan((p, at) => {
        buf += line(p, at);
        rows += 1;
        byMember.set(p.memberId, (byMember.get(p.memberId) ?? 0) + p.liability);
        if (buf.length > 1 << 20) {
          writeSync(fd, buf);
          buf = '';
        }
      });
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return { rows, liabilityByMember: byMember };
}
