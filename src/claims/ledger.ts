// Checks across rows and files without keeping rows: unique claim ids and reversals (冲销).
//
// Every claim id goes into an open-addressing hash set of 64-bit hashes (12 bytes a slot, load ≤ 0.75, so 16
// bytes a row; the table is sized to the expected rows, not to a power of two), each with a 28-bit fingerprint of (institution, amounts) and three flags. A reversal looks up its
// original: the fingerprint of its negated amounts must equal the original's. A reversal whose original comes later
// waits in a small Map until the original appears (or is reported at the end).
//
// Hash collisions: two different ids with the same 64-bit hash would look like a duplicate. Such a suspected
// duplicate is never reported on the hash alone: the ledger keeps the suspects (few) and the importer confirms them
// with a second, id-only pass over the files (`confirmDuplicates`), comparing the actual id texts and naming the
// first occurrence. Only the reversal lookup relies on the hash alone: a reversal naming an unknown id whose hash
// equals another id's (probability ~n/2^64 per reversal) would additionally have to match a 28-bit fingerprint.
import type { Claim, InputError } from '../domain/types.js';
import { fingerprint, H, hash64 } from './fields.js';
import { msg } from './messages.js';

const OCCUPIED = 0x80000000;
const IS_REVERSAL = 1;
const REVERSED = 2;
const NO_AMOUNTS = 4; // the row was invalid: its amounts are unknown, reversal matching is skipped

export interface Suspect {
  readonly hi: number;
  readonly lo: number;
  readonly id: string;
  readonly file: string;
  readonly fileIndex: number;
  readonly row: number;
  readonly column: string;
}

/** A reversal whose original is not in the files read (DOMAIN.md §4: it may be an earlier claim of the book). */
export interface PendingReversal {
  readonly original: string;
  readonly file: string;
  readonly row: number;
  readonly column: string;
}

interface Pending {
  readonly original: string;
  readonly fp: number; // fingerprint of the reversal's amounts negated; -1 when unknown
  readonly file: string;
  readonly fileIndex: number;
  readonly row: number;
  readonly column: string;
}

export class ClaimLedger {
  private table: Uint32Array; // [hi, lo, meta] per slot
  private slots: number;
  private size = 0;
  private readonly pending = new Map<string, Pending>();
  readonly suspects: Suspect[] = [];

  constructor(
    expectedRows: number,
    private readonly report: (e: InputError, fileIndex: number) => void,
  ) {
    // 10% over the estimate (from the first 64 KB of each file), so that a slightly low estimate does not double it.
    this.slots = Math.max(1024, Math.ceil((expectedRows * 1.1) / MAX_LOAD));
    this.table = new Uint32Array(this.slots * 3);
  }

  get count(): number {
    return this.size;
  }

  /** Bytes held by the hash table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  /**
   * Records one row. `claim` is the valid row, or undefined when the row failed its own checks (then `id` and
   * `reverses` are its raw cells, possibly empty).
   */
  add(
    id: string,
    reverses: string,
    claim: Claim | undefined,
    file: string,
    fileIndex: number,
    row: number,
    labels: { readonly id: string; readonly reverses: string },
  ): void {
    if (id === '') return;
    const reversesColumn = labels.reverses;
    const isReversal = reverses !== '';
    let fp = 0;
    let flags = isReversal ? IS_REVERSAL : 0;
    if (claim) fp = fingerprint(claim.institutionId, claim.totalCost, claim.fundPaid, claim.patientPaid);
    else flags |= NO_AMOUNTS;

    hash64(id);
    const hi = H.hi;
    const lo = H.lo;
    const slot = this.find(hi, lo);
    const t = this.table;
    if (t[slot * 3 + 2] !== 0) {
      this.suspects.push({ hi, lo, id, file, fileIndex, row, column: labels.id });
      return; // a (suspected) duplicate does not replace the first occurrence
    }
    t[slot * 3] = hi;
    t[slot * 3 + 1] = lo;
    t[slot * 3 + 2] = OCCUPIED | (fp << 3) | flags;
    this.size++;
    if (this.size > this.slots * MAX_LOAD) this.grow();

    // A reversal that was waiting for this claim.
    if (this.pending.size > 0) {
      const p = this.pending.get(id);
      if (p) {
        this.pending.delete(id);
        const slotNow = this.find(hi, lo);
        this.matchReversal(slotNow, p.fp, p.original, p.file, p.fileIndex, p.row, p.column);
      }
    }

    if (isReversal && reverses !== id) {
      const rfp = claim ? fingerprint(claim.institutionId, -claim.totalCost, -claim.fundPaid, -claim.patientPaid) : -1;
      hash64(reverses);
      const oslot = this.find(H.hi, H.lo);
      if (this.table[oslot * 3 + 2] !== 0) {
        this.matchReversal(oslot, rfp, reverses, file, fileIndex, row, reversesColumn);
      } else if (this.pending.has(reverses)) {
        this.report(msg.reversalTwice({ file, row, column: reversesColumn, value: reverses }), fileIndex);
      } else {
        this.pending.set(reverses, { original: reverses, fp: rfp, file, fileIndex, row, column: reversesColumn });
      }
    }
  }

  /**
   * Reports the reversals whose original never appeared. Call once, after the last file. With `defer`, returns them
   * instead, for a caller that knows claims beyond these files (a book, whose earlier batches may hold the originals).
   */
  finish(defer = false): PendingReversal[] {
    if (defer) {
      const out = [...this.pending.values()].map((p) => ({ original: p.original, file: p.file, row: p.row, column: p.column }));
      this.pending.clear();
      return out;
    }
    for (const p of this.pending.values()) {
      this.report(msg.reversalUnknown({ file: p.file, row: p.row, column: p.column, value: p.original }), p.fileIndex);
    }
    this.pending.clear();
    return [];
  }

  private matchReversal(
    slot: number,
    fp: number,
    original: string,
    file: string,
    fileIndex: number,
    row: number,
    column: string,
  ): void {
    const t = this.table;
    const meta = t[slot * 3 + 2];
    const at = { file, row, column, value: original };
    if (meta & IS_REVERSAL) {
      this.report(msg.reversalOfReversal(at), fileIndex);
      return;
    }
    if (meta & REVERSED) {
      this.report(msg.reversalTwice(at), fileIndex);
      return;
    }
    t[slot * 3 + 2] = meta | REVERSED;
    if (fp < 0 || meta & NO_AMOUNTS) return; // one side is already in error: no second message
    if (((meta >>> 3) & 0x0fffffff) !== fp) this.report(msg.reversalMismatch(at), fileIndex);
  }

  private find(hi: number, lo: number): number {
    const t = this.table;
    const slots = this.slots;
    // The slot: a 32-bit mix of the hash scaled to [0, slots) (multiply-shift; exact enough and always in range, as
    // the product is below slots × 2^32 and dividing by 2^32 is exact).
    let i = Math.floor(((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) * slots / 0x100000000);
    for (;;) {
      const b = i * 3;
      if (t[b + 2] === 0 || (t[b] === hi && t[b + 1] === lo)) return i;
      i = i + 1 === slots ? 0 : i + 1;
    }
  }

  private grow(): void {
    const old = this.table;
    this.slots *= 2;
    this.table = new Uint32Array(this.slots * 3);
    for (let b = 0; b < old.length; b += 3) {
      if (old[b + 2] === 0) continue;
      const i = this.find(old[b], old[b + 1]);
      this.table[i * 3] = old[b];
      this.table[i * 3 + 1] = old[b + 1];
      this.table[i * 3 + 2] = old[b + 2];
    }
  }
}

/** The most a table is filled before it doubles. */
const MAX_LOAD = 0.75;
