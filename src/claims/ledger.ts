// Checks across rows and files without keeping rows: unique claim ids and reversals (冲销).
//
// Every claim id goes into an open-addressing hash set of 64-bit hashes (12 bytes a slot, load ≤ 0.75, so 16
// bytes a row; the table is sized to the expected rows, not to a power of two), each with a 28-bit fingerprint of (institution, amounts) and three flags. A reversal looks up its
// original: the fingerprint of its negated amounts must equal the original's. A reversal whose original comes later
// waits in a small Map until the original appears (or is reported at the end).
//
// Rows that are not reversals are inserted in batches, in the order of their slots rather than row by row: the table
// is far larger than the caches, and visiting its slots in address order costs about a third less than jumping
// about (measured at 1M ids). A reversal row, or a row whose id a waiting reversal names, sees every earlier row:
// the batch is inserted before it. Within a batch, two rows with the same id keep their row order (the later one is
// the suspect), and suspects are listed in row order.
//
// Hash collisions: two different ids with the same 64-bit hash would look like a duplicate. Such a suspected
// duplicate is never reported on the hash alone: the ledger keeps the suspects (few) and the importer confirms them
// with a second, id-only pass over the files (`confirmDuplicates`), comparing the actual id texts and naming the
// first occurrence. Only the reversal lookup relies on the hash alone: a reversal naming an unknown id whose hash
// equals another id's (probability ~n/2^64 per reversal) would additionally have to match a 28-bit fingerprint.
import type { Claim, InputError } from '../domain/types.js';
import { fingerprintOf, H, hash64, institutionHash, pricingHash, type PricingFields } from './fields.js';
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

export interface Pending {
  readonly original: string;
  readonly fp: number; // fingerprint of the reversal's amounts negated; -1 when unknown
  readonly file: string;
  readonly fileIndex: number;
  readonly row: number;
  readonly column: string;
}

/** What the ledger reads of a valid row: the fingerprint's fields. */
export type LedgerClaim = Pick<Claim, 'institutionId' | 'totalCost' | 'fundPaid' | 'patientPaid'> & PricingFields;

/**
 * A ledger's whole state between rows, to hand it to another thread and back (the reader thread keeps the ledger
 * while it reads a file: csvThread.ts). Its table is transferable.
 */
export interface LedgerState {
  /** Empty while no row has needed it (then allocated where it is first needed), or once `released`. */
  readonly table: Uint32Array;
  readonly slots: number;
  readonly size: number;
  readonly pending: Map<string, Pending>;
  readonly found: Suspect[];
  /** The table was let go with the last file (handOver(true)): only `finish` and `suspects` remain. */
  readonly released: boolean;
}

export class ClaimLedger {
  private hashTable: Uint32Array; // [hi, lo, meta] per slot
  private slots: number;
  private size = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly found: Suspect[] = [];
  // The batch of rows not yet inserted.
  private batched = 0;
  private readonly bHi = new Uint32Array(BATCH);
  private readonly bLo = new Uint32Array(BATCH);
  private readonly bMeta = new Uint32Array(BATCH);
  private readonly bHome = new Uint32Array(BATCH);
  private readonly bRow = new Int32Array(BATCH);
  private readonly bFileIndex = new Int32Array(BATCH);
  // A batched row's id is bIdText[k].slice(bIdS[k], bIdE[k]), made only when needed (a suspect, a waiting reversal).
  private readonly bIdText: string[] = [];
  private readonly bIdS = new Int32Array(BATCH);
  private readonly bIdE = new Int32Array(BATCH);
  private readonly bFile: string[] = [];
  private readonly bColumn: string[] = [];
  private readonly order = new Uint32Array(BATCH);
  private readonly buckets = new Uint32Array(BUCKETS + 1);
  /** institutionHash of a pricing field's text, kept per text (rows repeat a few categories, settings and codes). */
  private readonly valueHashes = new Map<string, number>();
  private readonly valueHash = (v: string): number => {
    let h = this.valueHashes.get(v);
    if (h === undefined) {
      h = institutionHash(v);
      if (this.valueHashes.size < 100_000) this.valueHashes.set(v, h);
    }
    return h;
  };
  private lastInstitution = '';
  private lastInstitutionHash = institutionHash('');
  private released = false;

  constructor(
    expectedRows: number,
    private readonly report: (e: InputError, fileIndex: number) => void,
  ) {
    // 10% over the estimate (from the first 64 KB of each file), so that a slightly low estimate does not double it.
    this.slots = Math.max(1024, Math.ceil((expectedRows * 1.1) / MAX_LOAD));
    // Allocated when first needed (`allocate`): a ledger handed to the reader thread unused gets its table there, in
    // the bulk tier's memory, and none here.
    this.hashTable = new Uint32Array(0);
  }

  /** The table, allocated on first use. */
  private allocate(): void {
    if (this.hashTable.length === this.slots * 3) return;
    if (this.released) throw new Error('ledger: a row after the last file (the table was released)');
    this.hashTable = new Uint32Array(this.slots * 3);
  }

  get count(): number {
    this.flush();
    return this.size;
  }

  /**
   * Hands the state over (to be continued elsewhere: `ClaimLedger.continued`); this ledger is unusable until
   * `resume` gives it the state back. With `release` (after the last file) the table stays behind: the state is
   * then good for `finish` and `suspects` only, and no copy of a table kept in the bulk tier's memory is made.
   */
  handOver(release = false): LedgerState {
    this.flush();
    // A table kept in the bulk tier's memory (`moveTable`) cannot go to another thread as it is: a copy goes.
    const table = release ? new Uint32Array(0) : ownsItsMemory(this.hashTable) ? this.hashTable : this.hashTable.slice();
    const state: LedgerState = {
      table,
      slots: this.slots,
      size: this.size,
      pending: new Map(this.pending),
      found: this.found.splice(0),
      released: release || this.released,
    };
    this.hashTable = new Uint32Array(0);
    this.pending.clear();
    return state;
  }

  /** Takes back the state handed over (after the rows read elsewhere). */
  resume(state: LedgerState): void {
    this.hashTable = state.table;
    this.released = state.released;
    this.slots = state.slots;
    this.size = state.size;
    this.pending.clear();
    for (const [k, v] of state.pending) this.pending.set(k, v);
    this.found.length = 0;
    for (const f of state.found) this.found.push(f); // (a spread of many suspects would overflow the stack)
  }

  /** A ledger continuing from a handed-over state (on the reader thread). */
  static continued(state: LedgerState, report: (e: InputError, fileIndex: number) => void): ClaimLedger {
    const ledger = new ClaimLedger(0, report);
    ledger.resume(state);
    return ledger;
  }

  /** Bytes held by the hash table. */
  get bytes(): number {
    this.flush();
    return this.hashTable.byteLength;
  }

  /** The ids whose 64-bit hash was seen before (suspected duplicates), in row order. */
  get suspects(): readonly Suspect[] {
    this.flush();
    return this.found;
  }

  /**
   * Records one row. `claim` is the valid row, or undefined when the row failed its own checks (then `id` and
   * `reverses` are its raw cells, possibly empty).
   */
  add(
    id: string,
    reverses: string,
    claim: LedgerClaim | undefined,
    file: string,
    fileIndex: number,
    row: number,
    labels: { readonly id: string; readonly reverses: string },
    /** hash64(id), when the caller has it (the reader thread computes it); NaN: compute it here. */
    idHi = NaN,
    idLo = NaN,
  ): void {
    if (id === '') return;
    const reversesColumn = labels.reverses;
    const isReversal = reverses !== '';
    let fp = 0;
    let pricing = 0;
    let flags = isReversal ? IS_REVERSAL : 0;
    if (claim) {
      // The institution's part of the fingerprint, kept while rows repeat the same institution string.
      if (claim.institutionId !== this.lastInstitution) {
        this.lastInstitution = claim.institutionId;
        this.lastInstitutionHash = institutionHash(claim.institutionId);
      }
      pricing = pricingHash(claim, this.valueHash);
      fp = fingerprintOf(this.lastInstitutionHash, claim.totalCost, claim.fundPaid, claim.patientPaid, pricing);
    } else flags |= NO_AMOUNTS;

    if (Number.isNaN(idHi)) {
      hash64(id);
      idHi = H.hi;
      idLo = H.lo;
    }
    const hi = idHi;
    const lo = idLo;
    if (!isReversal) {
      this.batch(hi, lo, OCCUPIED | (fp << 3) | flags, id, 0, id.length, file, fileIndex, row, labels.id);
      return;
    }
    this.flush();
    const slot = this.find(hi, lo);
    const t = this.hashTable;
    if (t[slot * 3 + 2] !== 0) {
      this.found.push({ hi, lo, id, file, fileIndex, row, column: labels.id });
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
      const rfp = claim ? fingerprintOf(this.lastInstitutionHash, -claim.totalCost, -claim.fundPaid, -claim.patientPaid, pricing) : -1;
      hash64(reverses);
      const oslot = this.find(H.hi, H.lo);
      if (this.hashTable[oslot * 3 + 2] !== 0) {
        this.matchReversal(oslot, rfp, reverses, file, fileIndex, row, reversesColumn);
      } else if (this.pending.has(reverses)) {
        this.report(msg.reversalTwice({ file, row, column: reversesColumn, value: reverses }), fileIndex);
      } else {
        this.pending.set(reverses, { original: reverses, fp: rfp, file, fileIndex, row, column: reversesColumn });
      }
    }
  }

  /**
   * `add` for a valid row that is not a reversal, whose id's hash64 and fingerprint are known and whose id is
   * idText[idS, idE): no string is made for the id unless the ledger needs it.
   */
  addKnown(
    idText: string,
    idS: number,
    idE: number,
    idHi: number,
    idLo: number,
    fingerprint: number,
    file: string,
    fileIndex: number,
    row: number,
    labels: { readonly id: string },
  ): void {
    this.batch(idHi, idLo, OCCUPIED | (fingerprint << 3), idText, idS, idE, file, fileIndex, row, labels.id);
  }

  private batch(hi: number, lo: number, meta: number, idText: string, idS: number, idE: number, file: string, fileIndex: number, row: number, column: string): void {
    const k = this.batched++;
    this.bHi[k] = hi;
    this.bLo[k] = lo;
    this.bMeta[k] = meta;
    this.bRow[k] = row;
    this.bFileIndex[k] = fileIndex;
    this.bIdText[k] = idText;
    this.bIdS[k] = idS;
    this.bIdE[k] = idE;
    this.bFile[k] = file;
    this.bColumn[k] = column;
    if (k + 1 === BATCH) this.flush();
  }

  // The bulk tier's share (recordScan.ts). On the reader thread the WebAssembly module enters the plain rows it takes
  // (valid, not reversals) into this table itself, as `flush` would and in row order, with the table kept in its
  // memory while the file is read.

  /**
   * Before the bulk tier enters rows: the batch inserted (earlier rows first), and how many ids it may enter into
   * `table` within the load limit (the table grown first when full) — or 0 while a reversal waits for its original:
   * then every row comes through `add` or `addKnown`, which look it up among the waiting.
   */
  tableForBulk(): number {
    this.flush();
    if (this.pending.size > 0) return 0;
    if (this.released) throw new Error('ledger: a row after the last file (the table was released)');
    while (this.size + 1 > this.slots * MAX_LOAD) this.grow();
    return Math.floor(this.slots * MAX_LOAD) - this.size;
  }

  /** The hash table (for the bulk tier: see tableForBulk): empty until allocated, then of `tableLength`. */
  get table(): Uint32Array {
    return this.hashTable;
  }

  /** The table's length once allocated: 3 numbers a slot. */
  get tableLength(): number {
    return this.slots * 3;
  }

  /** The same table, moved (into the bulk tier's memory, or within it). */
  moveTable(table: Uint32Array): void {
    if (table.length !== this.slots * 3) throw new Error(`ledger: a moved table has ${table.length / 3} slots, not ${this.slots}`);
    this.hashTable = table;
  }

  /** The bulk tier entered `count` new ids into the table. */
  enteredInBulk(count: number): void {
    this.size += count;
    if (this.size > this.slots * MAX_LOAD) throw new Error(`ledger: ${this.size} ids in ${this.slots} slots, past the load limit`);
  }

  /** The bulk tier found a row's id hash already in the table (the row was not entered): a suspect, in row order. */
  suspectInBulk(hi: number, lo: number, id: string, file: string, fileIndex: number, row: number, column: string): void {
    this.found.push({ hi, lo, id, file, fileIndex, row, column });
  }

  /** Batched row k's id. */
  private batchedId(k: number): string {
    const text = this.bIdText[k];
    const s = this.bIdS[k];
    const e = this.bIdE[k];
    return s === 0 && e === text.length ? text : text.slice(s, e);
  }

  /**
   * Reports the reversals whose original never appeared. Call once, after the last file. With `defer`, returns them
   * instead, for a caller that knows claims beyond these files (a book, whose earlier batches may hold the originals).
   */
  finish(defer = false): PendingReversal[] {
    this.flush();
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
    const t = this.hashTable;
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

  /**
   * Inserts the batch, in the order of the rows' home slots (a counting sort on the slot's leading bits; stable, so
   * rows with the same id keep their row order). The table is grown first, so that no slot moves meanwhile.
   */
  private flush(): void {
    const n = this.batched;
    if (n === 0) return;
    this.batched = 0;
    this.allocate();
    while (this.size + n > this.slots * MAX_LOAD) this.grow();
    const { bHi, bLo, bMeta, bHome, order, buckets } = this;
    const slots = this.slots;
    const perBucket = slots / BUCKETS;
    buckets.fill(0);
    for (let k = 0; k < n; k++) {
      const home = this.home(bHi[k], bLo[k]);
      bHome[k] = home;
      buckets[Math.floor(home / perBucket) + 1]++;
    }
    for (let b = 1; b <= BUCKETS; b++) buckets[b] += buckets[b - 1];
    for (let k = 0; k < n; k++) order[buckets[Math.floor(bHome[k] / perBucket)]++] = k;
    const t = this.hashTable;
    const firstSuspect = this.found.length;
    for (let q = 0; q < n; q++) {
      const k = order[q];
      const hi = bHi[k];
      const lo = bLo[k];
      const slot = this.probe(bHome[k], hi, lo);
      if (t[slot * 3 + 2] !== 0) {
        this.found.push({ hi, lo, id: this.batchedId(k), file: this.bFile[k], fileIndex: this.bFileIndex[k], row: this.bRow[k], column: this.bColumn[k] });
        continue;
      }
      t[slot * 3] = hi;
      t[slot * 3 + 1] = lo;
      t[slot * 3 + 2] = bMeta[k];
      this.size++;
      // A reversal that was waiting for this claim.
      if (this.pending.size > 0) {
        const id = this.batchedId(k);
        const p = this.pending.get(id);
        if (p) {
          this.pending.delete(id);
          this.matchReversal(slot, p.fp, p.original, p.file, p.fileIndex, p.row, p.column);
        }
      }
    }
    if (this.found.length - firstSuspect > 1) {
      const mine = this.found.splice(firstSuspect).sort((a, b) => a.fileIndex - b.fileIndex || a.row - b.row);
      this.found.push(...mine);
    }
    this.bIdText.fill('', 0, n);
    this.bFile.fill('', 0, n);
    this.bColumn.fill('', 0, n);
  }

  /**
   * The home slot of a hash: a 32-bit mix of it scaled to [0, slots) (multiply-shift; exact enough and always in
   * range, as the product is below slots × 2^32 and dividing by 2^32 is exact).
   */
  private home(hi: number, lo: number): number {
    return Math.floor((((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) * this.slots) / 0x100000000);
  }

  private find(hi: number, lo: number): number {
    this.allocate(); // (probing an empty array would never end)
    return this.probe(this.home(hi, lo), hi, lo);
  }

  /** The slot holding the hash, or the first empty one from `i` on (linear probing). */
  private probe(i: number, hi: number, lo: number): number {
    const t = this.hashTable;
    const slots = this.slots;
    for (;;) {
      const b = i * 3;
      if (t[b + 2] === 0 || (t[b] === hi && t[b + 1] === lo)) return i;
      i = i + 1 === slots ? 0 : i + 1;
    }
  }

  private grow(): void {
    const old = this.hashTable;
    this.slots *= 2;
    this.hashTable = new Uint32Array(this.slots * 3);
    for (let b = 0; b < old.length; b += 3) {
      if (old[b + 2] === 0) continue;
      const i = this.find(old[b], old[b + 1]);
      this.hashTable[i * 3] = old[b];
      this.hashTable[i * 3 + 1] = old[b + 1];
      this.hashTable[i * 3 + 2] = old[b + 2];
    }
  }
}

/** Whether a table is an array of its own (it can be transferred), not a view of other memory. */
function ownsItsMemory(t: Uint32Array): boolean {
  return t.byteOffset === 0 && t.byteLength === t.buffer.byteLength;
}

/** The most a table is filled before it doubles. */
const MAX_LOAD = 0.75;
/**
 * Rows per batch, and the buckets of the counting sort that orders a batch by home slot. (128k rows per batch made
 * the flush ≈ 15% cheaper on the reader thread but kept 4× as many id strings alive on the importer's thread: an
 * XLSX import slowed by ≈ 15%.)
 */
const BATCH = 1 << 15;
const BUCKETS = 1 << 12;
